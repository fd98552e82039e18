"""The lottery is as fair as the quotas allow: checked against every panel of tiny pools, and against
sortition-algorithms (the reference implementation) on small realistic pools."""

from __future__ import annotations

import pytest
from brute_force import best_raise, brute_maximin, feasible_panels
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sortition_pools import make_pool, make_quotas

from dualpower.core.sortition import Pool, Quota, Quotas, select_distribution


@st.composite
def tiny_instances(draw: st.DrawFn) -> tuple[Pool, Quotas, int]:
    """Pools of 4-9 people with two features (2-3 values each) and quotas that often bind."""
    size = draw(st.integers(4, 9))
    panel_size = draw(st.integers(2, min(4, size - 1)))
    names = {"area": ["a", "b", "c"][: draw(st.integers(2, 3))], "age": ["young", "old"]}
    people = {f"p{i}": {f: draw(st.sampled_from(values)) for f, values in names.items()} for i in range(size)}
    quotas = []
    for feature, values in names.items():
        for value in values:
            lo = draw(st.integers(0, 2))
            quotas.append(Quota(feature, value, lo, lo + draw(st.integers(0, 2))))
    return Pool.of(people), Quotas(tuple(quotas)), panel_size


def _feasible(pool: Pool, quotas: Quotas, panel_size: int) -> bool:
    return bool(feasible_panels(pool, quotas, panel_size))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(tiny_instances())
def test_maximin_reaches_the_best_minimum_over_all_panels(instance: tuple[Pool, Quotas, int]) -> None:
    pool, quotas, panel_size = instance
    if not _feasible(pool, quotas, panel_size):
        with pytest.raises(ValueError, match=r"area|age"):  # the sentence names a feature
            select_distribution(pool, quotas, panel_size)
        return
    lottery = select_distribution(pool, quotas, panel_size)
    assert lottery.min_probability == pytest.approx(brute_maximin(pool, quotas, panel_size), abs=1e-6)


@settings(max_examples=40, deadline=None)
@given(tiny_instances())
def test_leximin_leaves_no_one_who_could_be_raised(instance: tuple[Pool, Quotas, int]) -> None:
    pool, quotas, panel_size = instance
    if not _feasible(pool, quotas, panel_size):
        return
    lottery = select_distribution(pool, quotas, panel_size, objective="leximin")
    never = set(lottery.never_selectable)
    levels = {pid: float(p) for pid, p in lottery.probabilities if pid not in never}
    for who, level in levels.items():
        assert best_raise(pool, quotas, panel_size, levels, who) <= level + 1e-6


def test_maximin_alone_can_leave_someone_who_could_be_raised() -> None:
    """Why leximin exists: on this pool the maximin lottery the engine finds leaves slack."""
    pool = make_pool(10, seed=7, features=2)
    quotas = make_quotas(pool, 4)
    maximin = select_distribution(pool, quotas, 4)
    levels = {pid: float(p) for pid, p in maximin.probabilities}
    assert any(best_raise(pool, quotas, 4, levels, who) > level + 1e-6 for who, level in levels.items())
    leximin = select_distribution(pool, quotas, 4, objective="leximin")
    levels = {pid: float(p) for pid, p in leximin.probabilities}
    assert all(best_raise(pool, quotas, 4, levels, who) <= level + 1e-6 for who, level in levels.items())


@pytest.mark.parametrize(("size", "panel_size", "seed"), [(40, 8, 1), (60, 10, 2), (90, 15, 3)])
def test_maximin_is_at_least_sortition_algorithms_maximin(size: int, panel_size: int, seed: int) -> None:
    pytest.importorskip("sortition_algorithms")
    from sortition_peer import peer_maximin

    pool = make_pool(size, seed=seed)
    quotas = make_quotas(pool, panel_size)
    ours = select_distribution(pool, quotas, panel_size)
    theirs = peer_maximin(pool, quotas, panel_size)
    assert ours.min_probability >= theirs.min_probability - 1e-6


def test_leximin_keeps_the_maximin_minimum() -> None:
    pool = make_pool(60, seed=5)
    quotas = make_quotas(pool, 10)
    maximin = select_distribution(pool, quotas, 10)
    leximin = select_distribution(pool, quotas, 10, objective="leximin")
    assert leximin.min_probability == pytest.approx(maximin.min_probability, abs=1e-6)
    assert leximin.objective == "leximin"
