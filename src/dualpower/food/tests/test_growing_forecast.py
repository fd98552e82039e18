"""The season forecast (core/food/forecast.py): harvest dates from days to maturity, yields from
area and rate, the rate learned from past harvests, and weekly supply that always adds up."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualpower.core.food import forecast
from dualpower.core.food.forecast import Observation, PlannedHarvest

MONDAY = dt.date(2026, 6, 1)  # a Monday


def test_harvest_is_the_days_to_maturity_after_seeding() -> None:
    assert forecast.expected_harvest(dt.date(2026, 4, 1), 75) == dt.date(2026, 6, 15)


def test_a_crop_needs_at_least_a_day_to_mature() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        forecast.expected_harvest(dt.date(2026, 4, 1), 0)


def test_yield_is_area_times_rate_and_unknown_without_a_rate() -> None:
    assert forecast.expected_yield(Decimal("12.5"), Decimal("3.2")) == Decimal("40.000")
    assert forecast.expected_yield(Decimal("12.5"), None) is None


def test_floats_are_refused() -> None:
    with pytest.raises(ValueError, match="Decimal"):
        forecast.expected_yield(12.5, Decimal(1))  # type: ignore[arg-type]


def test_the_set_rate_is_used_until_enough_plantings_were_harvested() -> None:
    one = [Observation(area_m2=Decimal(10), harvested=Decimal(50))]
    rate = forecast.yield_rate(Decimal("3"), one)
    assert (rate.per_m2, rate.learned) == (Decimal("3"), False)


def test_the_learned_rate_is_total_harvest_over_total_area() -> None:
    observed = [
        Observation(area_m2=Decimal(10), harvested=Decimal(50)),  # 5 per m²
        Observation(area_m2=Decimal(30), harvested=Decimal(30)),  # 1 per m²
    ]
    rate = forecast.yield_rate(Decimal("3"), observed)
    # 80 over 40 m², not the average of 5 and 1 (which would be 3).
    assert (rate.per_m2, rate.learned, rate.observations) == (Decimal("2.000"), True, 2)


def test_a_crop_without_a_rate_learns_one() -> None:
    observed = [Observation(area_m2=Decimal(4), harvested=Decimal(9))] * 2
    assert forecast.yield_rate(None, observed).per_m2 == Decimal("2.250")


def test_a_harvest_is_spread_over_its_weeks_from_the_week_it_is_ready() -> None:
    harvest = PlannedHarvest(
        crop_id=1, expected_harvest=MONDAY + dt.timedelta(days=3), harvest_weeks=3, quantity=Decimal(10)
    )
    weeks = [MONDAY + dt.timedelta(weeks=i) for i in range(5)]
    supply = forecast.weekly_supply([harvest], weeks)
    assert supply == {
        (1, MONDAY): Decimal("3.333"),
        (1, MONDAY + dt.timedelta(weeks=1)): Decimal("3.333"),
        (1, MONDAY + dt.timedelta(weeks=2)): Decimal("3.334"),
    }


def test_any_day_of_a_week_stands_for_its_monday() -> None:
    harvest = PlannedHarvest(crop_id=7, expected_harvest=MONDAY, harvest_weeks=1, quantity=Decimal(4))
    assert forecast.weekly_supply([harvest], [MONDAY + dt.timedelta(days=6)]) == {(7, MONDAY): Decimal(4)}


def test_shortfalls_name_the_crop_week_and_what_is_missing() -> None:
    supply = {(1, MONDAY): Decimal(10), (2, MONDAY): Decimal(50)}
    need = {(1, MONDAY): Decimal(25), (2, MONDAY): Decimal(20), (3, MONDAY): Decimal(5)}
    found = forecast.shortfalls(supply, need)
    assert [(s.crop_id, s.missing) for s in found] == [(1, Decimal(15)), (3, Decimal(5))]


quantities = st.decimals(min_value=0, max_value=100000, places=3, allow_nan=False, allow_infinity=False)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(quantity=quantities, weeks=st.integers(1, 52))
def test_the_weeks_always_add_up_to_the_expected_yield(quantity: Decimal, weeks: int) -> None:
    parts = forecast.spread(quantity, weeks)
    assert len(parts) == weeks
    assert sum(parts) == forecast.quantize(quantity)
    assert all(p >= 0 for p in parts)


@settings(derandomize=True, max_examples=100, deadline=None)
@given(
    plan=st.lists(
        st.tuples(st.integers(1, 4), st.integers(0, 120), st.integers(1, 8), quantities), max_size=20
    )
)
def test_the_season_supply_is_what_the_plantings_expect(plan: list[tuple[int, int, int, Decimal]]) -> None:
    harvests = [
        PlannedHarvest(crop_id=c, expected_harvest=MONDAY + dt.timedelta(days=d), harvest_weeks=w, quantity=q)
        for c, d, w, q in plan
    ]
    weeks = [MONDAY + dt.timedelta(weeks=i) for i in range(40)]  # covers every harvest week
    supply = forecast.weekly_supply(harvests, weeks)
    for crop in range(1, 5):
        expected = sum((forecast.quantize(h.quantity) for h in harvests if h.crop_id == crop), Decimal(0))
        assert sum((v for (c, _w), v in supply.items() if c == crop), Decimal(0)) == expected
