"""Invariants every STV count keeps, on random small elections (Hypothesis)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ranked_strategies import elections

from dualpower.core.choice.ranked.election import RankedElection
from dualpower.core.choice.ranked.outcome import RankedOutcome
from dualpower.core.choice.ranked.stv import meek_stv, scottish_stv, wigm

Count = Callable[[RankedElection], RankedOutcome]
COUNTS: list[tuple[str, Count]] = [("scottish", scottish_stv), ("wigm", wigm), ("meek", meek_stv)]


def _valid_total(election: RankedElection) -> int:
    return sum(
        w for r, w in zip(election.rankings, election.weights, strict=True) if set(r) - election.withdrawn
    )


@pytest.mark.parametrize(("name", "count"), COUNTS, ids=[n for n, _ in COUNTS])
@settings(max_examples=60, deadline=None)
@given(election=elections())
def test_each_round_accounts_for_every_valid_ballot(
    name: str, count: Count, election: RankedElection
) -> None:
    outcome = count(election)
    total = _valid_total(election)
    for rnd in outcome.rounds:
        counted = sum((Fraction(v) for v in rnd.tallies.values()), Fraction(0))
        assert counted + Fraction(rnd.non_transferable) + Fraction(rnd.residual) == total, rnd.number
        assert Fraction(rnd.residual) >= 0
    standing = len(election.candidates) - len(election.withdrawn)
    assert len(outcome.elected) == min(election.seats, standing)
    assert len(set(outcome.elected)) == len(outcome.elected)


@pytest.mark.parametrize(("name", "count"), COUNTS, ids=[n for n, _ in COUNTS])
@settings(max_examples=40, deadline=None)
@given(election=elections(), data=st.data())
def test_the_result_does_not_depend_on_ballot_order(
    name: str, count: Count, election: RankedElection, data: st.DataObject
) -> None:
    order = data.draw(st.permutations(range(len(election.rankings))))
    shuffled = replace(
        election,
        rankings=tuple(election.rankings[i] for i in order),
        weights=tuple(election.weights[i] for i in order),
    )
    assert count(shuffled) == count(election)


@pytest.mark.parametrize(("name", "count"), COUNTS, ids=[n for n, _ in COUNTS])
@settings(max_examples=40, deadline=None)
@given(election=elections(), data=st.data())
def test_splitting_a_bundle_of_identical_ballots_changes_nothing(
    name: str, count: Count, election: RankedElection, data: st.DataObject
) -> None:
    k = data.draw(st.integers(0, len(election.rankings) - 1))
    if election.weights[k] < 2:
        return
    part = data.draw(st.integers(1, election.weights[k] - 1))
    split = replace(
        election,
        rankings=(*election.rankings, election.rankings[k]),
        weights=(*election.weights[:k], part, *election.weights[k + 1 :], election.weights[k] - part),
    )
    assert count(split) == count(election)
