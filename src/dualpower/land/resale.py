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
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any

from django.utils.translation import gettext as _

from dualpower.core.economy import CapitalImprovement, Formula, ResaleBreakdown, resale_price
from dualpower.errors import InvalidInput

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


def _int(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(
            _("%(name)s must be a whole number (cents).") % {"name": name}, field="formula_params"
        )
    return value


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
                cost=_int(item.get("cost"), _("The cost of an improvement")),
                completed=_date(item.get("completed"), _("The completion date of an improvement")),
                useful_life_years=None
                if life is None
                else _int(life, _("The useful life of an improvement")),
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
    price = _int(params.get("purchase_price"), _("The purchase price"))
    kwargs: dict[str, Any] = {"purchase_price": price}
    if formula == Formula.APPRAISAL_BASED:
        initial = _int(params.get("initial_appraisal"), _("The initial appraisal"))
        kwargs.update(
            initial_appraisal=initial,
            current_appraisal=initial
            if current_appraisal is None
            else _int(current_appraisal, _("The appraisal")),
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
        purchase_year = _int(params.get("purchase_year"), _("The purchase year"))
        kwargs.update(
            index=index,
            purchase_year=purchase_year,
            resale_year=max(index) if resale_year is None else _int(resale_year, _("The resale year")),
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
                adjustment=_int(params.get("adjustment", 0), _("The adjustment")),
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
