"""Quotas no panel can meet are refused with a sentence that names the feature to change."""

from __future__ import annotations

import pytest

from dualpower.core.sortition import Pool, Quota, Quotas, select_distribution

POOL = Pool.of(
    {
        f"p{i}": {"gender": "woman" if i % 2 else "man", "area": ("north", "south", "east")[i % 3]}
        for i in range(12)
    }
)


def _quotas(**changes: tuple[int, int]) -> Quotas:
    base = {
        ("gender", "woman"): (2, 3),
        ("gender", "man"): (2, 3),
        ("area", "north"): (1, 2),
        ("area", "south"): (1, 2),
        ("area", "east"): (1, 2),
    }
    for key, bounds in changes.items():
        feature, value = key.split("__")
        base[(feature, value)] = bounds
    return Quotas(tuple(Quota(f, v, lo, hi) for (f, v), (lo, hi) in base.items()))


def test_feasible_quotas_give_a_lottery() -> None:
    assert select_distribution(POOL, _quotas(), 5).min_probability > 0


def test_a_minimum_above_the_volunteers_with_that_value_names_the_feature() -> None:
    with pytest.raises(ValueError, match=r"area = north asks for at least 5 but only 4"):
        select_distribution(POOL, _quotas(area__north=(5, 5)), 5)


def test_minimums_that_add_up_past_the_panel_size_name_the_feature() -> None:
    with pytest.raises(ValueError, match=r"feature 'gender' ask for at least 6"):
        select_distribution(POOL, _quotas(gender__woman=(3, 3), gender__man=(3, 3)), 5)


def test_maximums_that_cannot_fill_the_panel_name_the_feature() -> None:
    with pytest.raises(ValueError, match=r"feature 'area' allow at most 3"):
        select_distribution(POOL, _quotas(area__north=(0, 1), area__south=(0, 1), area__east=(0, 1)), 5)


def test_quotas_that_clash_across_features_name_both_and_the_fix() -> None:
    # The three women are the three from the north: at least 2 from the north means at least 2
    # women, which the gender quota forbids. Each feature's quotas alone can be met.
    pool = Pool.of({f"p{i}": {"gender": "woman" if i < 3 else "man", "area": "north" if i < 3 else "south"}
                    for i in range(8)})  # fmt: skip
    quotas = Quotas.of(
        {"gender": {"woman": (0, 1), "man": (0, 5)}, "area": {"north": (2, 3), "south": (0, 5)}}
    )
    with pytest.raises(ValueError, match=r"'area' and 'gender' together.*(minimum 2 → 1|maximum 1 → 2)"):
        select_distribution(pool, quotas, 4)


def test_a_value_without_a_quota_is_refused() -> None:
    quotas = Quotas(tuple(q for q in _quotas().quotas if q.value != "east"))
    with pytest.raises(ValueError, match=r"area = 'east', a value with no quota"):
        select_distribution(POOL, quotas, 5)


def test_a_panel_larger_than_the_pool_is_refused() -> None:
    with pytest.raises(ValueError, match="cannot be drawn from a pool of 12"):
        select_distribution(POOL, _quotas(), 13)


def test_a_person_listed_twice_is_refused() -> None:
    with pytest.raises(ValueError, match="twice"):
        Pool.of([*POOL.people, POOL.people[0]])


def test_a_minimum_above_the_maximum_is_refused() -> None:
    with pytest.raises(ValueError, match="min <= max"):
        Quota("gender", "woman", 3, 2)


def test_an_unknown_objective_is_refused() -> None:
    with pytest.raises(ValueError, match="objective must be one of maximin, leximin"):
        select_distribution(POOL, _quotas(), 5, objective="nash")  # type: ignore[arg-type]


def test_people_no_panel_can_include_are_reported_not_zeroing_everyone() -> None:
    # Nobody from east may sit, so east's volunteers can never be drawn; the rest still share fairly.
    lottery = select_distribution(POOL, _quotas(area__east=(0, 0), area__north=(2, 3), area__south=(2, 3)), 5)
    east = {p.id for p in POOL.people if p.value("area") == "east"}
    assert set(lottery.never_selectable) == east
    assert all(lottery.probability(pid) == 0 for pid in east)
    assert lottery.min_probability == pytest.approx(5 / 8, abs=1e-9)
