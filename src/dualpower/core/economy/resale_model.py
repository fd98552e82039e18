"""What a resale formula returns: the price and the lines that make it, for the lease's page.

Every line is computed exactly (Fractions); the price is the exact total rounded once by the
lease's rounding; each line is shown rounded the same way, and when the rounded lines do not add up
to the price a "Rounding" line shows the difference, so the page always sums.

A line is data, not text: its ``kind`` and the numbers that explain it (``params``), so that each
page or client says it in its reader's language and money format. ``resale.english_label`` is
core's own English rendering.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from fractions import Fraction
from types import MappingProxyType

from dualpower.core.economy.rounding import Rounding, round_amount


class Formula(StrEnum):
    APPRAISAL_BASED = "appraisal_based"
    INDEXED = "indexed"
    FIXED_RATE_SIMPLE = "fixed_rate_simple"
    FIXED_RATE_COMPOUND = "fixed_rate_compound"
    ITEMIZED = "itemized"


class Compounding(StrEnum):
    SIMPLE = "simple"  # purchase price × (1 + rate × years)
    ANNUAL = "annual"  # purchase price × (1 + rate) ** years


class LineKind(StrEnum):
    """What a line of the breakdown is; each kind has its own ``params`` (amounts in the smallest
    currency unit, shares, rates and index values as Fractions)."""

    PURCHASE_PRICE = "purchase_price"  # purchase_price
    # share, initial_appraisal, current_appraisal, change (negative: a fall in value)
    APPRECIATION_SHARE = "appreciation_share"
    # index_name, purchase_year, resale_year, index_at_purchase, index_at_resale, purchase_price
    INDEX_GROWTH = "index_growth"
    FIXED_RATE_GROWTH = "fixed_rate_growth"  # rate, years, compounding, purchase_price
    # description, completed (a date), cost, useful_life_years and remaining_years (None: not depreciated)
    IMPROVEMENT = "improvement"
    ADJUSTMENT = "adjustment"  # description: the lease's words for it, or None for "Fixed adjustment"
    FLOOR = "floor"  # purchase_price: the price was raised to it
    ROUNDING = "rounding"  # no params: the rounded lines' difference from the rounded price


ParamValue = int | Fraction | str | date | None


@dataclass(frozen=True)
class ResaleLine:
    kind: LineKind
    exact: Fraction
    amount: int  # ``exact`` rounded by the breakdown's rounding (or the rounding difference)
    # Read-only; left out of the hash so a line stays hashable like the rest of the breakdown.
    params: Mapping[str, ParamValue] = field(default_factory=lambda: MappingProxyType({}), hash=False)


@dataclass(frozen=True)
class ResaleBreakdown:
    formula: Formula
    price: int  # the resale price: the exact total rounded once
    exact_price: Fraction
    lines: tuple[ResaleLine, ...]  # amounts sum to ``price``
    rounding: Rounding
    settings: tuple[tuple[str, str], ...]  # every input, as text, so the calculation can be replayed


@dataclass(frozen=True)
class CapitalImprovement:
    """An improvement the owner paid for (a new roof, an accessible bathroom), credited on resale."""

    description: str
    cost: int
    completed: date
    # Straight-line depreciation over this many years; None credits the full cost however old.
    useful_life_years: int | None = None


# A line before rounding: its kind, its params and its exact value.
Part = tuple[LineKind, Mapping[str, ParamValue], Fraction]


def build_breakdown(
    formula: Formula,
    lines: Sequence[Part],
    rounding: Rounding,
    settings: Sequence[tuple[str, object]],
    *,
    floor: int | None = None,
) -> ResaleBreakdown:
    """Round the exact ``lines`` into a breakdown. ``floor`` (the purchase price, when the lease
    says so) raises the price with a line of its own when the formula would fall below it."""
    exact_total = sum((value for _, _, value in lines), Fraction(0))
    all_lines = list(lines)
    if floor is not None and exact_total < floor:
        all_lines.append((LineKind.FLOOR, {"purchase_price": floor}, floor - exact_total))
        exact_total = Fraction(floor)
    price = round_amount(exact_total, rounding)
    shown = [
        ResaleLine(kind, value, round_amount(value, rounding), MappingProxyType(dict(params)))
        for kind, params, value in all_lines
    ]
    difference = price - sum(line.amount for line in shown)
    if difference:
        # Its exact value is 0, so exact values still sum to the exact price.
        shown.append(ResaleLine(LineKind.ROUNDING, Fraction(0), difference))
    return ResaleBreakdown(
        formula=formula,
        price=price,
        exact_price=exact_total,
        lines=tuple(shown),
        rounding=rounding,
        settings=tuple((name, str(value)) for name, value in settings),
    )
