"""The smallest benchmark pool (150 volunteers, panel of 22), checked against sortition-algorithms
in the test suite: our maximin's smallest chance is at least theirs (within 1e-6). The larger
pools (500/75, 2,000/200) and the timings are in bench/bench_sortition.py."""

from __future__ import annotations

import pytest

from dualpower.core.sortition import draw, select_distribution


def test_maximin_is_at_least_sortition_algorithms_on_the_150_22_benchmark_pool() -> None:
    pytest.importorskip("sortition_algorithms")
    from sortition_peer import peer_maximin
    from sortition_pools import make_pool, make_quotas

    pool = make_pool(150, seed=150)  # the same pool as the benchmark
    quotas = make_quotas(pool, 22)
    ours = select_distribution(pool, quotas, 22)
    theirs = peer_maximin(pool, quotas, 22)
    assert ours.min_probability >= theirs.min_probability - 1e-6
    # And the lottery it publishes draws a panel of 22 that meets every quota.
    panel = draw(ours, "2026-12-05 4 17 23 31 42")
    assert len(panel.members) == 22
    people = {p.id: p for p in pool.people}
    for quota in quotas.quotas:
        have = sum(1 for pid in panel.members if people[pid].value(quota.feature) == quota.value)
        assert quota.min <= have <= quota.max
