"""Hypothesis strategies for ranked elections, shared by the STV and IRV property tests."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import strategies as st

from dualpower.core.choice.ranked.election import RankedElection


@st.composite
def elections(draw: st.DrawFn, max_candidates: int = 6) -> RankedElection:
    n = draw(st.integers(2, max_candidates))
    names = tuple(f"C{i}" for i in range(n))
    seats = draw(st.integers(1, n))
    count = draw(st.integers(1, 12))
    rankings = []
    for _ in range(count):
        order = draw(st.permutations(range(n)))
        rankings.append(tuple(order[: draw(st.integers(1, n))]))
    weights = tuple(draw(st.lists(st.integers(1, 30), min_size=count, max_size=count)))
    withdrawn = draw(st.sets(st.integers(0, n - 1), max_size=n - 1))
    election = RankedElection(names, seats, tuple(rankings), weights, frozenset(withdrawn), "random")
    valid = sum(w for r, w in zip(rankings, weights, strict=True) if set(r) - withdrawn)
    if not valid:
        election = replace(election, withdrawn=frozenset())
    return election
