"""Exact rounding helpers shared by the economy formulas: no floats ever touch money.

``largest_remainder`` is Hamilton's method (the largest remainder method used to apportion seats):
every share gets the whole part of its exact quota, and the units left over go one each to the
largest fractional remainders, ties in the order given. The parts always sum to the total exactly.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction


class Rounding(StrEnum):
    """How an exact amount becomes a whole number of the currency's smallest unit."""

    DOWN = "down"  # towards minus infinity (floor)
    HALF_UP = "half_up"  # to the nearest; a half goes up
    HALF_EVEN = "half_even"  # to the nearest; a half goes to the even neighbour (banker's rounding)


def round_amount(value: Fraction, rounding: Rounding) -> int:
    """``value`` rounded to a whole unit by ``rounding``."""
    if rounding is Rounding.DOWN:
        return value.numerator // value.denominator
    if rounding is Rounding.HALF_UP:
        return (value + Fraction(1, 2)).__floor__()
    if rounding is Rounding.HALF_EVEN:
        return round(value)
    raise ValueError(
        f"The rounding must be one of {', '.join(r.value for r in Rounding)} (got {rounding!r})."
    )


def exact(value: object, what: str) -> Fraction:
    """``value`` as an exact Fraction; a float (inexact by nature) or a bool is refused."""
    if isinstance(value, bool) or not isinstance(value, int | Fraction | Decimal):
        raise ValueError(
            f"{what} must be an integer, a Fraction or a Decimal, not {type(value).__name__} {value!r}: "
            "money is computed exactly, so floats are refused."
        )
    return Fraction(value)


def whole(value: object, what: str) -> int:
    """``value`` checked to be an int (not a bool): amounts are integers in the smallest unit."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(
            f"{what} must be a whole number of the smallest currency unit, "
            f"not {type(value).__name__} {value!r}."
        )
    return value


def largest_remainder(total: int, weights: Sequence[int], order: Sequence[int]) -> tuple[int, ...]:
    """Split ``total`` (>= 0) in proportion to ``weights`` (>= 0, summing to more than 0).

    Each part is the floor of its quota ``total * w / sum(w)``; the ``total - sum(floors)`` units
    left go one each to the parts with the largest remainders. ``order`` lists every index once:
    among equal remainders the index that comes first in ``order`` wins. The result sums to
    ``total`` and each part differs from its exact quota by less than one unit."""
    weight_sum = sum(weights)
    if total < 0 or weight_sum <= 0:
        raise ValueError("largest_remainder needs a total of at least 0 and weights summing to more than 0.")
    floors = [total * w // weight_sum for w in weights]
    remainders = [total * w % weight_sum for w in weights]
    left = total - sum(floors)
    rank = {index: position for position, index in enumerate(order)}
    by_remainder = sorted(range(len(weights)), key=lambda i: (-remainders[i], rank[i]))
    for i in by_remainder[:left]:
        floors[i] += 1
    return tuple(floors)
