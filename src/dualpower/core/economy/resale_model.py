"""What a resale formula returns: the price and the lines that make it, for the lease's page.

Every line is computed exactly (Fractions); the price is the exact total rounded once by the
lease's rounding; each line is shown rounded the same way, and when the rounded lines do not add up
to the price a "Rounding" line shows the difference, so the page always sums.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

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


@dataclass(frozen=True)
class ResaleLine:
    label: str  # what a member reads, e.g. "25% of the appreciation (60,000)"
    exact: Fraction
    amount: int  # ``exact`` rounded by the breakdown's rounding (or the rounding difference)


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


def build_breakdown(
    formula: Formula,
    lines: Sequence[tuple[str, Fraction]],
    rounding: Rounding,
    settings: Sequence[tuple[str, object]],
    *,
    minimum: tuple[str, Fraction] | None = None,
) -> ResaleBreakdown:
    """Round the exact ``lines`` into a breakdown. ``minimum`` (label, value) raises the price to a
    floor with a line of its own when the formula would fall below it."""
    exact_total = sum((value for _, value in lines), Fraction(0))
    all_lines = list(lines)
    if minimum is not None and exact_total < minimum[1]:
        all_lines.append((minimum[0], minimum[1] - exact_total))
        exact_total = minimum[1]
    price = round_amount(exact_total, rounding)
    shown = [ResaleLine(label, value, round_amount(value, rounding)) for label, value in all_lines]
    difference = price - sum(line.amount for line in shown)
    if difference:
        # Its exact value is 0, so exact values still sum to the exact price.
        shown.append(ResaleLine("Rounding", Fraction(0), difference))
    return ResaleBreakdown(
        formula=formula,
        price=price,
        exact_price=exact_total,
        lines=tuple(shown),
        rounding=rounding,
        settings=tuple((name, str(value)) for name, value in settings),
    )
