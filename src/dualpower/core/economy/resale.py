"""Community land trust resale formulas: the most a homeowner may sell their home for.

A CLT keeps homes affordable for the next buyer by capping the resale price in the ground lease.
The four families of formula used in practice (Davis, "Shared Equity Homeownership", NHI 2006;
Grounded Solutions Network's model ground lease) are here as pure functions, each returning the
price and the lines that make it (``ResaleBreakdown``). Amounts are integers in the smallest
currency unit, rates and shares exact Fractions. Bad input raises ValueError with a sentence.
docs/economy-formulas.md gives each in plain words with a worked example.

The lines are data (a ``LineKind`` and its params); ``english_label`` says one in English, with
amounts as units and two decimals, for tools and tests that have no language or currency of their own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from dualpower.core.economy.resale_model import (
    CapitalImprovement,
    Compounding,
    Formula,
    LineKind,
    ParamValue,
    Part,
    ResaleBreakdown,
    ResaleLine,
    build_breakdown,
)
from dualpower.core.economy.rounding import Rounding, exact, whole

# Rounding down by default: the formula gives the highest price the lease allows, and rounding
# must never lift a price above it.
DEFAULT_ROUNDING = Rounding.DOWN


def _price(value: object, what: str) -> int:
    amount = whole(value, what)
    if amount <= 0:
        raise ValueError(f"{what} must be more than 0 (got {amount}).")
    return amount


def _fraction_between_0_and_1(value: object, what: str) -> Fraction:
    share = exact(value, what)
    if not 0 <= share <= 1:
        raise ValueError(f"{what} must be between 0 and 1 (got {share}).")
    return share


def _percent(value: Fraction) -> str:
    """A share as a percentage for a label, exactly when it has a short decimal form (2.5%)."""
    percent = value * 100
    if percent.denominator == 1:
        return f"{percent.numerator}%"
    text = str((Decimal(percent.numerator) / Decimal(percent.denominator)).normalize())
    return f"{text}%" if len(text) <= 8 else f"{percent}%"


def full_years(start: date, end: date) -> int:
    """Whole years from ``start`` to ``end``, counted on each anniversary (a 29 February start
    has its anniversary on 1 March in other years)."""
    years = end.year - start.year
    if (end.month, end.day) < (start.month, start.day):
        years -= 1
    return years


def _dates_in_order(earlier: date, later: date, earlier_name: str, later_name: str) -> None:
    if later < earlier:
        raise ValueError(f"The {later_name} ({later}) is before the {earlier_name} ({earlier}).")


def appraisal_based(
    *,
    purchase_price: int,
    initial_appraisal: int,
    current_appraisal: int,
    owner_share: Fraction,
    floor_at_purchase_price: bool = False,
    rounding: Rounding = DEFAULT_ROUNDING,
) -> ResaleBreakdown:
    """Purchase price + ``owner_share`` of the change in appraised value between purchase and
    resale. A fall in value is shared the same way, unless ``floor_at_purchase_price``."""
    purchase = _price(purchase_price, "The purchase price")
    rounding = Rounding(rounding)
    initial = _price(initial_appraisal, "The initial appraisal")
    current = _price(current_appraisal, "The current appraisal")
    share = _fraction_between_0_and_1(owner_share, "The owner's share of appreciation")
    change = current - initial
    lines: list[Part] = [
        (LineKind.PURCHASE_PRICE, {"purchase_price": purchase}, Fraction(purchase)),
        (
            LineKind.APPRECIATION_SHARE,
            {"share": share, "initial_appraisal": initial, "current_appraisal": current, "change": change},
            share * change,
        ),
    ]
    return build_breakdown(
        Formula.APPRAISAL_BASED,
        lines,
        rounding,
        [
            ("purchase_price", purchase),
            ("initial_appraisal", initial),
            ("current_appraisal", current),
            ("owner_share", share),
            ("floor_at_purchase_price", floor_at_purchase_price),
            ("rounding", rounding.value),
        ],
        floor=purchase if floor_at_purchase_price else None,
    )


def indexed(
    *,
    purchase_price: int,
    index: Mapping[int, int | Fraction | Decimal],
    purchase_year: int,
    resale_year: int,
    index_name: str = "index",
    floor_at_purchase_price: bool = False,
    rounding: Rounding = DEFAULT_ROUNDING,
) -> ResaleBreakdown:
    """Purchase price × index[resale year] / index[purchase year]: the price grows with a published
    series such as the area median income (AMI) or the consumer price index (CPI), given as data."""
    purchase = _price(purchase_price, "The purchase price")
    rounding = Rounding(rounding)
    if resale_year < purchase_year:
        raise ValueError(f"The resale year ({resale_year}) is before the purchase year ({purchase_year}).")
    for year, name in ((purchase_year, "purchase"), (resale_year, "resale")):
        if year not in index:
            known = ", ".join(str(y) for y in sorted(index)) or "none"
            raise ValueError(
                f"The {index_name} has no value for the {name} year {year} (years given: {known})."
            )
    start = exact(index[purchase_year], f"The {index_name} for {purchase_year}")
    end = exact(index[resale_year], f"The {index_name} for {resale_year}")
    if start <= 0 or end <= 0:
        raise ValueError(f"The {index_name} values must be more than 0 (got {start} and {end}).")
    growth = purchase * (end / start - 1)
    lines: list[Part] = [
        (LineKind.PURCHASE_PRICE, {"purchase_price": purchase}, Fraction(purchase)),
        (
            LineKind.INDEX_GROWTH,
            {
                "index_name": index_name,
                "purchase_year": purchase_year,
                "resale_year": resale_year,
                "index_at_purchase": start,
                "index_at_resale": end,
                "purchase_price": purchase,
            },
            growth,
        ),
    ]
    return build_breakdown(
        Formula.INDEXED,
        lines,
        rounding,
        [
            ("purchase_price", purchase),
            ("index_name", index_name),
            ("purchase_year", purchase_year),
            ("resale_year", resale_year),
            ("index_at_purchase", start),
            ("index_at_resale", end),
            ("floor_at_purchase_price", floor_at_purchase_price),
            ("rounding", rounding.value),
        ],
        floor=purchase if floor_at_purchase_price else None,
    )


def fixed_rate(
    *,
    purchase_price: int,
    annual_rate: Fraction,
    purchase_date: date,
    resale_date: date,
    compounding: Compounding,
    rounding: Rounding = DEFAULT_ROUNDING,
) -> ResaleBreakdown:
    """Purchase price grown by ``annual_rate`` for each full year of ownership: simple
    (price × (1 + rate × years)) or compounded annually (price × (1 + rate) ** years). A part year
    earns nothing, as in leases that say "for each full year"; this keeps the arithmetic exact."""
    purchase = _price(purchase_price, "The purchase price")
    rounding = Rounding(rounding)
    rate = _fraction_between_0_and_1(annual_rate, "The annual rate")
    compounding = Compounding(compounding)
    _dates_in_order(purchase_date, resale_date, "purchase date", "resale date")
    years = full_years(purchase_date, resale_date)
    if compounding is Compounding.SIMPLE:
        growth = purchase * rate * years
        formula = Formula.FIXED_RATE_SIMPLE
    else:
        growth = purchase * ((1 + rate) ** years - 1)
        formula = Formula.FIXED_RATE_COMPOUND
    params = {"rate": rate, "years": years, "compounding": compounding.value, "purchase_price": purchase}
    return build_breakdown(
        formula,
        [
            (LineKind.PURCHASE_PRICE, {"purchase_price": purchase}, Fraction(purchase)),
            (LineKind.FIXED_RATE_GROWTH, params, growth),
        ],
        rounding,
        [
            ("purchase_price", purchase),
            ("annual_rate", rate),
            ("purchase_date", purchase_date.isoformat()),
            ("resale_date", resale_date.isoformat()),
            ("compounding", compounding.value),
            ("rounding", rounding.value),
        ],
    )


def improvement_credit(improvement: CapitalImprovement, resale_date: date) -> Fraction:
    """The cost, less straight-line depreciation for each full year since completion (never below 0);
    the full cost when the improvement is not depreciated."""
    if improvement.useful_life_years is None:
        return Fraction(improvement.cost)
    years = full_years(improvement.completed, resale_date)
    remaining = max(0, improvement.useful_life_years - years)
    return Fraction(improvement.cost * remaining, improvement.useful_life_years)


def itemized(
    *,
    purchase_price: int,
    purchase_date: date,
    resale_date: date,
    improvements: Sequence[CapitalImprovement] = (),
    adjustment: int = 0,
    adjustment_label: str | None = None,
    rounding: Rounding = DEFAULT_ROUNDING,
) -> ResaleBreakdown:
    """Purchase price + each capital improvement (depreciated or not) + a fixed adjustment set by
    the lease (positive or negative, e.g. a share of closing costs), named by ``adjustment_label``
    in the lease's own words or, without one, "Fixed adjustment" in the reader's language."""
    purchase = _price(purchase_price, "The purchase price")
    rounding = Rounding(rounding)
    whole(adjustment, "The fixed adjustment")
    _dates_in_order(purchase_date, resale_date, "purchase date", "resale date")
    lines: list[Part] = [(LineKind.PURCHASE_PRICE, {"purchase_price": purchase}, Fraction(purchase))]
    for item in improvements:
        cost = _price(item.cost, f"The cost of the improvement {item.description!r}")
        if not item.description.strip():
            raise ValueError("Every capital improvement needs a description.")
        _dates_in_order(purchase_date, item.completed, "purchase date", f"completion of {item.description!r}")
        _dates_in_order(item.completed, resale_date, f"completion of {item.description!r}", "resale date")
        life: int | None = None
        remaining: int | None = None
        if item.useful_life_years is not None:
            life = whole(item.useful_life_years, f"The useful life of {item.description!r}")
            if life <= 0:
                raise ValueError(f"The useful life of {item.description!r} must be at least 1 year.")
            remaining = max(0, life - full_years(item.completed, resale_date))
        params: dict[str, ParamValue] = {
            "description": item.description,
            "completed": item.completed,
            "cost": cost,
            "useful_life_years": life,
            "remaining_years": remaining,
        }
        lines.append((LineKind.IMPROVEMENT, params, improvement_credit(item, resale_date)))
    if adjustment:
        lines.append((LineKind.ADJUSTMENT, {"description": adjustment_label}, Fraction(adjustment)))
    return build_breakdown(
        Formula.ITEMIZED,
        lines,
        rounding,
        [
            ("purchase_price", purchase),
            ("purchase_date", purchase_date.isoformat()),
            ("resale_date", resale_date.isoformat()),
            *(
                (f"improvement {i}", f"{m.description}|{m.cost}|{m.completed}|{m.useful_life_years}")
                for i, m in enumerate(improvements, 1)
            ),
            ("adjustment", adjustment),
            ("rounding", rounding.value),
        ],
    )


def resale_price(formula: Formula | str, **parameters: Any) -> ResaleBreakdown:
    """The breakdown for the formula a lease records by name, with that formula's keyword
    parameters (the two fixed-rate names set ``compounding`` themselves)."""
    try:
        chosen = Formula(formula)
    except ValueError:
        names = ", ".join(f.value for f in Formula)
        raise ValueError(f"Unknown resale formula {formula!r}; the formulas are {names}.") from None
    if chosen is Formula.APPRAISAL_BASED:
        return appraisal_based(**parameters)
    if chosen is Formula.INDEXED:
        return indexed(**parameters)
    if chosen is Formula.ITEMIZED:
        return itemized(**parameters)
    if "compounding" in parameters:
        raise ValueError(f"The formula {chosen.value} sets the compounding itself; do not pass it.")
    compounding = Compounding.SIMPLE if chosen is Formula.FIXED_RATE_SIMPLE else Compounding.ANNUAL
    return fixed_rate(**parameters, compounding=compounding)


def _money(units: object) -> str:
    """An amount in the smallest unit as units with two decimals (1200000 → "12,000.00"): core
    knows no currency, and every currency the app keeps resale prices in has cents."""
    assert isinstance(units, int)
    sign = "-" if units < 0 else ""
    whole_units, cents = divmod(abs(units), 100)
    return f"{sign}{whole_units:,}.{cents:02d}"


def _number(value: object) -> str:
    """An index value as published (237.017), or as an exact fraction when it has no short decimal."""
    assert isinstance(value, Fraction)
    if value.denominator == 1:
        return f"{value.numerator:,}"
    text = str((Decimal(value.numerator) / Decimal(value.denominator)).normalize())
    return text if len(text) <= 12 else str(value)


def _years(n: object) -> str:
    return f"{n} full year" if n == 1 else f"{n} full years"


def english_label(line: ResaleLine) -> str:
    """What a line says in English, e.g. "25% of the appreciation (2,600.00 − 2,000.00 = 600.00)"."""
    p = line.params
    kind = line.kind
    if kind is LineKind.PURCHASE_PRICE:
        return "Purchase price"
    if kind is LineKind.APPRECIATION_SHARE:
        share, change = p["share"], p["change"]
        assert isinstance(share, Fraction) and isinstance(change, int)
        word = "appreciation" if change >= 0 else "fall in value"
        return (
            f"{_percent(share)} of the {word} "
            f"({_money(p['current_appraisal'])} − {_money(p['initial_appraisal'])} = {_money(change)})"
        )
    if kind is LineKind.INDEX_GROWTH:
        start, end = _number(p["index_at_purchase"]), _number(p["index_at_resale"])
        return (
            f"Change in the {p['index_name']} from {p['purchase_year']} ({start}) "
            f"to {p['resale_year']} ({end}): × {end}/{start}"
        )
    if kind is LineKind.FIXED_RATE_GROWTH:
        rate = p["rate"]
        assert isinstance(rate, Fraction)
        years, price = p["years"], _money(p["purchase_price"])
        if p["compounding"] == Compounding.SIMPLE:
            return (
                f"{_percent(rate)} a year, simple, for {_years(years)} ({price} × {_percent(rate)} × {years})"
            )
        return (
            f"{_percent(rate)} a year, compounded yearly, for {_years(years)} "
            f"({price} × (1 + {_percent(rate)})^{years} − {price})"
        )
    if kind is LineKind.IMPROVEMENT:
        completed = p["completed"]
        assert isinstance(completed, date)
        head = f"{p['description']} ({completed.isoformat()}, {_money(p['cost'])}"
        life = p["useful_life_years"]
        if life is None:
            return f"{head}, not depreciated)"
        return f"{head}, depreciated over {life} years: {p['remaining_years']}/{life} remains)"
    if kind is LineKind.ADJUSTMENT:
        return str(p["description"] or "Fixed adjustment")
    if kind is LineKind.FLOOR:
        return "Raised to the purchase price (the lease's floor)"
    if kind is LineKind.ROUNDING:
        return "Rounding"
    raise ValueError(f"Unknown resale line kind {kind!r}.")
