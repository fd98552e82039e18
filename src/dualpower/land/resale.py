"""A lease's recorded resale formula, turned into the pure calculation of core.economy.

The lease stores its formula's name and parameters as JSON (amounts in cents as integers, rates
and shares as exact text such as "0.25" or "1/4", dates as YYYY-MM-DD). What only the day of sale
can tell (the new appraisal, the resale date or index year) is given to the calculator.

    appraisal_based      purchase_price, initial_appraisal, owner_share, floor_at_purchase_price
    indexed              purchase_price, purchase_year, index {year: value}, index_name,
                         floor_at_purchase_price
    fixed_rate_simple    purchase_price, annual_rate, purchase_date
    fixed_rate_compound  purchase_price, annual_rate, purchase_date
    itemized             purchase_price, purchase_date, improvements [{description, cost, completed,
                         useful_life_years}], adjustment

The breakdown's lines come back as data (a kind and its numbers); ``line_label`` says each in the
active language with the pages' money format, and ``line_params`` gives the numbers to API clients.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualpower.clean import clean_int
from dualpower.core.economy import CapitalImprovement, Formula, ResaleBreakdown, ResaleLine, resale_price
from dualpower.core.economy.resale_model import Compounding, LineKind
from dualpower.errors import InvalidInput
from dualpower.formatting import format_amount

FORMULAS = tuple(f.value for f in Formula)
PARAMETERS: dict[str, tuple[str, ...]] = {
    Formula.APPRAISAL_BASED: (
        "purchase_price",
        "initial_appraisal",
        "owner_share",
        "floor_at_purchase_price",
    ),
    Formula.INDEXED: ("purchase_price", "purchase_year", "index", "index_name", "floor_at_purchase_price"),
    Formula.FIXED_RATE_SIMPLE: ("purchase_price", "annual_rate", "purchase_date"),
    Formula.FIXED_RATE_COMPOUND: ("purchase_price", "annual_rate", "purchase_date"),
    Formula.ITEMIZED: ("purchase_price", "purchase_date", "improvements", "adjustment"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    Formula.APPRAISAL_BASED: ("purchase_price", "initial_appraisal", "owner_share"),
    Formula.INDEXED: ("purchase_price", "purchase_year", "index"),
    Formula.FIXED_RATE_SIMPLE: ("purchase_price", "annual_rate", "purchase_date"),
    Formula.FIXED_RATE_COMPOUND: ("purchase_price", "annual_rate", "purchase_date"),
    Formula.ITEMIZED: ("purchase_price", "purchase_date"),
}


def _fraction(value: Any, name: str) -> Fraction:
    # Text or an integer, never a JSON float: money and rates are exact.
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise InvalidInput(
            _('%(name)s must be written exactly, as text such as "0.25" or "1/4".') % {"name": name},
            field="formula_params",
        )
    try:
        return Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise InvalidInput(
            _("%(name)s is not a number: %(v)s.") % {"name": name, "v": value}, field="formula_params"
        ) from None


def _date(value: Any, name: str) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(
            _("%(name)s must be a date, YYYY-MM-DD.") % {"name": name}, field="formula_params"
        ) from None


def _bool(value: Any, name: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidInput(_("%(name)s must be true or false.") % {"name": name}, field="formula_params")
    return value


def clean_params(formula: str, params: Any) -> dict[str, Any]:
    """Check a lease's formula and parameters; returns them as stored (JSON)."""
    if formula not in FORMULAS:
        raise InvalidInput(
            _("The resale formula is one of: %(f)s.") % {"f": ", ".join(FORMULAS)}, field="formula"
        )
    if not isinstance(params, Mapping):
        raise InvalidInput(_("The formula's parameters must be an object."), field="formula_params")
    unknown = set(params) - set(PARAMETERS[formula])
    if unknown:
        raise InvalidInput(
            _("The formula %(f)s does not use: %(u)s.") % {"f": formula, "u": ", ".join(sorted(unknown))},
            field="formula_params",
        )
    missing = [name for name in REQUIRED[formula] if name not in params]
    if missing:
        raise InvalidInput(
            _("The formula %(f)s needs: %(m)s.") % {"f": formula, "m": ", ".join(missing)},
            field="formula_params",
        )
    cleaned = dict(params)
    # A trial run at the purchase itself catches every bad value now, not on the day of sale.
    breakdown_for(formula, cleaned)
    return cleaned


def _improvements(raw: Any) -> list[CapitalImprovement]:
    if not isinstance(raw, list):
        raise InvalidInput(_("The improvements must be a list."), field="formula_params")
    items = []
    for item in raw:
        if not isinstance(item, Mapping):
            raise InvalidInput(_("Each improvement is an object."), field="formula_params")
        life = item.get("useful_life_years")
        items.append(
            CapitalImprovement(
                description=str(item.get("description", "")),
                cost=clean_int(
                    item.get("cost"), field="formula_params", label=_("The cost of an improvement")
                ),
                completed=_date(item.get("completed"), _("The completion date of an improvement")),
                useful_life_years=None
                if life is None
                else clean_int(life, field="formula_params", label=_("The useful life of an improvement")),
            )
        )
    return items


def breakdown_for(
    formula: str,
    params: Mapping[str, Any],
    *,
    current_appraisal: int | None = None,
    resale_date: date | None = None,
    resale_year: int | None = None,
) -> ResaleBreakdown:
    """The resale price under the lease's formula, with the lines that make it."""
    price = clean_int(params.get("purchase_price"), field="formula_params", label=_("The purchase price"))
    kwargs: dict[str, Any] = {"purchase_price": price}
    if formula == Formula.APPRAISAL_BASED:
        initial = clean_int(
            params.get("initial_appraisal"), field="formula_params", label=_("The initial appraisal")
        )
        kwargs.update(
            initial_appraisal=initial,
            current_appraisal=initial
            if current_appraisal is None
            else clean_int(current_appraisal, field="formula_params", label=_("The appraisal")),
            owner_share=_fraction(params.get("owner_share"), _("The owner's share")),
            floor_at_purchase_price=_bool(params.get("floor_at_purchase_price", False), _("The floor")),
        )
    elif formula == Formula.INDEXED:
        raw = params.get("index")
        if not isinstance(raw, Mapping) or not raw:
            raise InvalidInput(_("The index is a list of years and values."), field="formula_params")
        try:
            index = {int(year): _fraction(value, _("An index value")) for year, value in raw.items()}
        except ValueError:
            raise InvalidInput(_("The index's years must be whole years."), field="formula_params") from None
        purchase_year = clean_int(
            params.get("purchase_year"), field="formula_params", label=_("The purchase year")
        )
        kwargs.update(
            index=index,
            purchase_year=purchase_year,
            resale_year=max(index)
            if resale_year is None
            else clean_int(resale_year, field="formula_params", label=_("The resale year")),
            index_name=str(params.get("index_name") or "index"),
            floor_at_purchase_price=_bool(params.get("floor_at_purchase_price", False), _("The floor")),
        )
    elif formula in (Formula.FIXED_RATE_SIMPLE, Formula.FIXED_RATE_COMPOUND, Formula.ITEMIZED):
        bought = _date(params.get("purchase_date"), _("The purchase date"))
        kwargs.update(purchase_date=bought)
        latest = bought
        if formula == Formula.ITEMIZED:
            improvements = _improvements(params.get("improvements", []))
            latest = max([bought, *(i.completed for i in improvements)])
            kwargs.update(
                improvements=improvements,
                adjustment=clean_int(
                    params.get("adjustment", 0), field="formula_params", label=_("The adjustment")
                ),
            )
        else:
            kwargs["annual_rate"] = _fraction(params.get("annual_rate"), _("The annual rate"))
        # Without a date of sale: as if sold today (never before the purchase or an improvement).
        kwargs["resale_date"] = resale_date or max(latest, date.today())
    try:
        return resale_price(formula, **kwargs)
    except ValueError as exc:
        raise InvalidInput(str(exc), field="formula_params") from None


def inputs_needed(formula: str) -> tuple[str, ...]:
    """What the calculator asks for on the day of sale."""
    if formula == Formula.APPRAISAL_BASED:
        return ("current_appraisal",)
    if formula == Formula.INDEXED:
        return ("resale_year",)
    return ("resale_date",)


def _short_decimal(value: Fraction) -> Decimal | None:
    """``value`` as a Decimal when it has a short exact decimal form (2.5, 237.017), else None."""
    for places in range(7):
        scaled = value * 10**places
        if scaled.denominator == 1:
            return Decimal(scaled.numerator).scaleb(-places)
    return None


def _number(value: Any, *, grouped: bool = False) -> str:
    """A share, rate or index value in the active language's number format ("2,5" in Spanish)."""
    value = Fraction(value)
    exact = _short_decimal(value)
    if exact is None:
        # No short decimal (a third): shown rounded for reading; the amounts stay exact.
        return "≈ " + number_format(
            Decimal(value.numerator) / Decimal(value.denominator), 2, force_grouping=grouped
        )
    return number_format(exact, force_grouping=grouped)


def _amount(value: object) -> str:
    """An amount in cents in the pages' money format ("1,234.56"; "1.234,56" in Spanish)."""
    return format_amount(value) if isinstance(value, int) and not isinstance(value, bool) else ""


def _percent(value: Any) -> str:
    return f"{_number(Fraction(value) * 100)}%"


def line_label(line: ResaleLine) -> str:
    """What a line of the breakdown says, in the active language, amounts in the pages' money format."""
    p = line.params
    if line.kind == LineKind.PURCHASE_PRICE:
        return _("Purchase price")
    if line.kind == LineKind.APPRECIATION_SHARE:
        values: dict[str, object] = {
            "share": _percent(p["share"]),
            "current": _amount(p["current_appraisal"]),
            "initial": _amount(p["initial_appraisal"]),
            "change": _amount(p["change"]),
        }
        change = p["change"]
        assert isinstance(change, int)  # the engine's appreciation is in whole cents
        if change >= 0:
            return _("%(share)s of the appreciation (%(current)s − %(initial)s = %(change)s)") % values
        return _("%(share)s of the fall in value (%(current)s − %(initial)s = %(change)s)") % values
    if line.kind == LineKind.INDEX_GROWTH:
        values = {
            "index": p["index_name"],
            "start_year": p["purchase_year"],
            "end_year": p["resale_year"],
            "start": _number(p["index_at_purchase"], grouped=True),
            "end": _number(p["index_at_resale"], grouped=True),
        }
        if p["index_name"] == "index":  # the lease names no index
            return (
                _(
                    "Change in the index from %(start_year)s (%(start)s) to %(end_year)s (%(end)s): "
                    "× %(end)s/%(start)s"
                )
                % values
            )
        return (
            _(
                "Change in the %(index)s from %(start_year)s (%(start)s) to %(end_year)s (%(end)s): "
                "× %(end)s/%(start)s"
            )
            % values
        )
    if line.kind == LineKind.FIXED_RATE_GROWTH:
        years = p["years"]
        assert isinstance(years, int)  # full years, counted by the engine
        values = {"rate": _percent(p["rate"]), "years": years, "price": _amount(p["purchase_price"])}
        if p["compounding"] == Compounding.SIMPLE:
            text = ngettext(
                "%(rate)s a year, simple, for %(years)s full year (%(price)s × %(rate)s × %(years)s)",
                "%(rate)s a year, simple, for %(years)s full years (%(price)s × %(rate)s × %(years)s)",
                years,
            )
        else:
            text = ngettext(
                "%(rate)s a year, compounded yearly, for %(years)s full year "
                "(%(price)s × (1 + %(rate)s)^%(years)s − %(price)s)",
                "%(rate)s a year, compounded yearly, for %(years)s full years "
                "(%(price)s × (1 + %(rate)s)^%(years)s − %(price)s)",
                years,
            )
        return text % values
    if line.kind == LineKind.IMPROVEMENT:
        completed = p["completed"]
        assert isinstance(completed, date)  # an improvement always has its date
        values = {
            "description": p["description"],
            "completed": date_format(completed),
            "cost": _amount(p["cost"]),
            "life": p["useful_life_years"],
            "remaining": p["remaining_years"],
        }
        life = p["useful_life_years"]
        if life is None:
            return _("%(description)s (%(completed)s, %(cost)s, not depreciated)") % values
        assert isinstance(life, int)  # whole years, as the lease records them
        return (
            ngettext(
                "%(description)s (%(completed)s, %(cost)s, depreciated over %(life)s year: "
                "%(remaining)s/%(life)s remains)",
                "%(description)s (%(completed)s, %(cost)s, depreciated over %(life)s years: "
                "%(remaining)s/%(life)s remains)",
                life,
            )
            % values
        )
    if line.kind == LineKind.ADJUSTMENT:
        # The lease's own words when it has them: they are the trust's text, not the app's.
        return str(p["description"] or _("Fixed adjustment"))
    if line.kind == LineKind.FLOOR:
        return _("Raised to the purchase price (the lease's floor)")
    if line.kind == LineKind.ROUNDING:
        return _("Rounding")
    raise ValueError(f"Unknown resale line kind {line.kind!r}.")


def _json_value(value: object) -> int | str | None:
    if isinstance(value, Fraction):
        exact = _short_decimal(value)
        # Exact text a client can parse without floats: "0.25", or "1/3" when no decimal ends.
        return str(value) if exact is None else str(exact)
    if isinstance(value, date):
        return value.isoformat()
    if value is None or isinstance(value, int | str):
        return value
    raise TypeError(f"A resale line parameter cannot be sent as JSON: {value!r}.")


def line_params(line: ResaleLine) -> dict[str, int | str | None]:
    """A line's numbers for API clients: amounts in cents, shares, rates and index values as exact
    text ("0.25", "1/3"), dates as YYYY-MM-DD."""
    return {name: _json_value(value) for name, value in line.params.items()}
