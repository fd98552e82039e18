"""The season forecast of a garden: when a planting will be harvested, how much it will give, and
how much food the plan expects each week, by crop.

Pure and exact: no Django, no floats (quantities are Decimals with three places, as the food app
stores them). The rules, as docs/food.md tells gardeners:

- expected harvest = seeding date + the crop's days to maturity;
- expected yield = the planting's area (m²) × the crop's yield per m²;
- the yield per m² is the one the community set, until past harvests teach a better one: once at
  least ``LEARN_AFTER`` finished plantings of the crop have harvest logs, the rate is what they
  gave per m², all together (total harvested ÷ total area), not an average of averages;
- a planting's expected yield is spread evenly over its weeks of harvest, starting with the week
  (Monday to Sunday) of its expected harvest; the last week takes what rounding left over, so the
  weeks always add up to the planting's expected yield exactly;
- the standing need of a crop in a week is the sum of four parts (``NeedParts``): the weekly need
  the food group typed, the open food requests (households) times the crop's portion for a
  household, the shares committed that week, and the pantry's usage (what went out of the crop's
  pantry items over the last weeks, averaged per week).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal

PLACES = Decimal("0.001")
LEARN_AFTER = 2  # finished plantings with harvests before the learned rate replaces the set one


def monday(day: dt.date) -> dt.date:
    """The Monday of ``day``'s week."""
    return day - dt.timedelta(days=day.weekday())


def expected_harvest(seeding_date: dt.date, days_to_maturity: int) -> dt.date:
    """The day a crop sown on ``seeding_date`` is ready."""
    if days_to_maturity < 1:
        raise ValueError(f"Days to maturity must be at least 1 (got {days_to_maturity}).")
    return seeding_date + dt.timedelta(days=days_to_maturity)


def _exact(value: object, what: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise ValueError(f"{what} must be an integer or a Decimal, not {type(value).__name__} {value!r}.")
    result = Decimal(value)
    if not result.is_finite() or result < 0:
        raise ValueError(f"{what} must be a number of zero or more (got {value!r}).")
    return result


def quantize(value: Decimal) -> Decimal:
    """``value`` to three places, rounded down (a forecast never promises a gram it cannot give)."""
    return value.quantize(PLACES, rounding=ROUND_DOWN)


def expected_yield(area_m2: Decimal, yield_per_m2: Decimal | None) -> Decimal | None:
    """What ``area_m2`` of a crop giving ``yield_per_m2`` should give; None if no rate is known."""
    area = _exact(area_m2, "The area")
    if yield_per_m2 is None:
        return None
    return quantize(area * _exact(yield_per_m2, "The yield per m²"))


@dataclass(frozen=True)
class Observation:
    """A finished planting of a crop: its area and what its harvest logs add up to."""

    area_m2: Decimal
    harvested: Decimal


@dataclass(frozen=True)
class Rate:
    """The yield per m² the forecast uses for a crop, and where it comes from."""

    per_m2: Decimal | None
    learned: bool  # True when past harvests gave it, False when it is the community's set rate
    observations: int


def yield_rate(
    set_rate: Decimal | None, observations: Sequence[Observation], learn_after: int = LEARN_AFTER
) -> Rate:
    """The rate to forecast with: learned from ``observations`` once there are ``learn_after`` of
    them (with a positive total area), otherwise the community's ``set_rate``."""
    if learn_after < 1:
        raise ValueError(f"Learning needs at least one observation (got {learn_after}).")
    area = sum((_exact(o.area_m2, "The area") for o in observations), Decimal(0))
    harvested = sum((_exact(o.harvested, "The harvest") for o in observations), Decimal(0))
    if len(observations) >= learn_after and area > 0:
        return Rate(per_m2=quantize(harvested / area), learned=True, observations=len(observations))
    if set_rate is not None:
        set_rate = _exact(set_rate, "The yield per m²")
    return Rate(per_m2=set_rate, learned=False, observations=len(observations))


@dataclass(frozen=True)
class PlannedHarvest:
    """What the weekly supply needs to know of a planting."""

    crop_id: int
    expected_harvest: dt.date
    harvest_weeks: int
    quantity: Decimal


def spread(quantity: Decimal, weeks: int) -> list[Decimal]:
    """``quantity`` split over ``weeks`` equal parts to three places; the last part takes the rest,
    so the parts add up to ``quantity`` (quantised) exactly."""
    if weeks < 1:
        raise ValueError(f"A harvest lasts at least one week (got {weeks}).")
    total = quantize(_exact(quantity, "The quantity"))
    part = quantize(total / weeks)
    return [part] * (weeks - 1) + [total - part * (weeks - 1)]


def weekly_supply(
    harvests: Iterable[PlannedHarvest], weeks: Iterable[dt.date]
) -> dict[tuple[int, dt.date], Decimal]:
    """(crop id, Monday) → the quantity the plan expects that week, for the Mondays of ``weeks``
    (any day of a week stands for its Monday). Pairs with nothing expected are left out."""
    wanted = {monday(week) for week in weeks}
    supply: dict[tuple[int, dt.date], Decimal] = {}
    if not wanted:
        return supply
    for harvest in harvests:
        first = monday(harvest.expected_harvest)
        for index, part in enumerate(spread(harvest.quantity, harvest.harvest_weeks)):
            week = first + dt.timedelta(weeks=index)
            if week in wanted and part > 0:
                key = (harvest.crop_id, week)
                supply[key] = supply.get(key, Decimal(0)) + part
    return supply


@dataclass(frozen=True)
class Shortfall:
    """A crop and week where the plan expects less than is needed."""

    crop_id: int
    week: dt.date
    expected: Decimal
    needed: Decimal

    @property
    def missing(self) -> Decimal:
        return self.needed - self.expected


def shortfalls(
    supply: dict[tuple[int, dt.date], Decimal], need: dict[tuple[int, dt.date], Decimal]
) -> list[Shortfall]:
    """Every (crop, week) whose need is more than its expected supply, by week then crop."""
    found = [
        Shortfall(crop_id=crop_id, week=week, expected=supply.get((crop_id, week), Decimal(0)), needed=needed)
        for (crop_id, week), needed in need.items()
        if needed > supply.get((crop_id, week), Decimal(0))
    ]
    return sorted(found, key=lambda s: (s.week, s.crop_id))


@dataclass(frozen=True)
class NeedParts:
    """Where a crop's need in a week comes from, in the crop's unit."""

    typed: Decimal = Decimal(0)  # the weekly need the food group set on the crop
    requests: Decimal = Decimal(0)  # open food requests × the portion for a household
    shares: Decimal = Decimal(0)  # what the live shares' baskets are owed that week
    pantry: Decimal = Decimal(0)  # the pantry's average weekly stock-out of the crop

    @property
    def total(self) -> Decimal:
        return self.typed + self.requests + self.shares + self.pantry


def requests_need(households: int, portion: Decimal | None) -> Decimal:
    """What ``households`` open food requests need of a crop in a week at ``portion`` each."""
    if isinstance(households, bool) or not isinstance(households, int) or households < 0:
        raise ValueError(f"The households must be a whole number of zero or more (got {households!r}).")
    if portion is None:
        return Decimal(0)
    return quantize(households * _exact(portion, "The portion"))


def weekly_usage(used: int | Decimal, weeks: int) -> Decimal:
    """The average a week of ``used`` over ``weeks`` weeks (rounded down to three places)."""
    if weeks < 1:
        raise ValueError(f"Usage is averaged over at least one week (got {weeks}).")
    return quantize(_exact(used, "The usage") / weeks)


def need_parts(
    weeks: Iterable[dt.date],
    *,
    typed: dict[int, Decimal],
    portions: dict[int, Decimal],
    households: int,
    shares: dict[tuple[int, dt.date], Decimal],
    pantry: dict[int, Decimal],
) -> dict[tuple[int, dt.date], NeedParts]:
    """(crop id, Monday) → the parts of its standing need, for the Mondays of ``weeks``: the typed
    need, the requests' need and the pantry's usage are the same every week; the shares are the
    week's. Pairs that need nothing are left out."""
    mondays = sorted({monday(week) for week in weeks})
    crops = set(typed) | set(portions) | set(pantry) | {crop_id for crop_id, _week in shares}
    out: dict[tuple[int, dt.date], NeedParts] = {}
    for crop_id in crops:
        requested = requests_need(households, portions.get(crop_id))
        for week in mondays:
            parts = NeedParts(
                typed=typed.get(crop_id, Decimal(0)),
                requests=requested,
                shares=shares.get((crop_id, week), Decimal(0)),
                pantry=pantry.get(crop_id, Decimal(0)),
            )
            if parts.total > 0:
                out[(crop_id, week)] = parts
    return out
