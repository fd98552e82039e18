"""Instant-runoff: agrees with a plain ballot-by-ballot recount and reports every round."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

import pytest
from droop_report import BLT
from hypothesis import given, settings
from hypothesis import strategies as st
from ranked_strategies import elections

from dualpower.core.choice.formats.blt import parse_blt, read_blt
from dualpower.core.choice.ranked.election import RankedElection
from dualpower.core.choice.ranked.irv import irv, ranking_matrix


def reference_irv(election: RankedElection) -> tuple[str, list[dict[str, int]]]:
    """The textbook count, one paper at a time, with the same tie rule (look back, then file order)."""
    ids = election.candidate_ids
    papers = [
        [c for c in ranking if c not in election.withdrawn]
        for ranking, weight in zip(election.rankings, election.weights, strict=True)
        for _ in range(weight)
    ]
    papers = [p for p in papers if p]
    standing = [c for c in range(len(ids)) if c not in election.withdrawn]
    history: list[Counter[int]] = []
    rounds: list[dict[str, int]] = []
    while True:
        tally: Counter[int] = Counter()
        for paper in papers:
            top = next((c for c in paper if c in standing), None)
            if top is not None:
                tally[top] += 1
        history.append(tally)
        rounds.append({ids[c]: tally[c] for c in standing})
        active = sum(tally.values())
        for c in standing:
            if 2 * tally[c] > active or len(standing) == 1:
                return ids[c], rounds
        low = min(tally[c] for c in standing)
        tied = [c for c in standing if tally[c] == low]
        loser = tied[0]
        if len(tied) > 1:
            for past in reversed(history[:-1]):
                fewest = min(past[c] for c in tied)
                at = [c for c in tied if past[c] == fewest]
                if len(at) == 1:
                    loser = at[0]
                    break
        standing.remove(loser)


@settings(max_examples=150, deadline=None)
@given(election=elections(max_candidates=7))
def test_irv_agrees_with_a_paper_by_paper_recount(election: RankedElection) -> None:
    winner, rounds = reference_irv(election)
    outcome = irv(election)
    assert outcome.elected == (winner,)
    assert [dict(r.tallies) for r in outcome.rounds] == rounds
    total = sum(
        w for r, w in zip(election.rankings, election.weights, strict=True) if set(r) - election.withdrawn
    )
    for rnd in outcome.rounds:
        assert sum(rnd.tallies.values()) + rnd.non_transferable == total


@settings(max_examples=40, deadline=None)
@given(election=elections(), data=st.data())
def test_irv_does_not_depend_on_ballot_order(election: RankedElection, data: st.DataObject) -> None:
    order = data.draw(st.permutations(range(len(election.rankings))))
    shuffled = replace(
        election,
        rankings=tuple(election.rankings[i] for i in order),
        weights=tuple(election.weights[i] for i in order),
    )
    assert irv(shuffled) == irv(election)


def test_irv_excludes_the_lowest_until_someone_has_a_majority() -> None:
    election = parse_blt('3 1\n4 1 0\n3 2 1 0\n2 3 2 0\n0\n"A"\n"B"\n"C"\n"T"\n')
    outcome = irv(election)
    assert [dict(r.tallies) for r in outcome.rounds] == [{"A": 4, "B": 3, "C": 2}, {"A": 4, "B": 5}]
    assert outcome.rounds[1].excluded == ("C",)
    assert outcome.rounds[1].transfers == {"B": 2}
    assert outcome.elected == ("B",)
    assert outcome.defeated == ("C", "A")


def test_a_tie_for_last_place_looks_back_to_an_earlier_round() -> None:
    # Round 0: A 5, B 3, C 2, D 1. D's paper goes to C, so B and C tie on 3;
    # C had fewer in round 0, so C goes, not B (who comes first by lot).
    election = parse_blt('4 1\n5 1 0\n3 2 0\n2 3 0\n1 4 3 0\n0\n"A"\n"B"\n"C"\n"D"\n"T"\n')
    outcome = irv(election)
    assert outcome.rounds[2].excluded == ("C",)
    assert "broken by round 0" in outcome.rounds[2].note


def test_an_unbreakable_tie_goes_to_the_recorded_lot() -> None:
    election = parse_blt('3 1\n1 1 0\n1 2 0\n1 3 0\n0\n"A"\n"B"\n"C"\n"T"\n')
    assert irv(election).rounds[1].excluded == ("A",)
    assert irv(replace(election, tie_order=(2, 0, 1))).rounds[1].excluded == ("C",)
    seeded = irv(election, lot_seed=3)
    assert seeded.settings["lot_seed"] == 3
    assert seeded.rounds[1].excluded == (seeded.settings["lot_order"][0],)


def test_withdrawn_candidates_are_skipped() -> None:
    election = parse_blt('3 1\n-1\n4 1 3 0\n3 2 0\n0\n"A"\n"B"\n"C"\n"T"\n')
    outcome = irv(election)
    assert outcome.rounds[0].tallies == {"B": 3, "C": 4}
    assert outcome.elected == ("C",)


def test_irv_on_a_glasgow_ward_matches_the_recount() -> None:
    election = read_blt(BLT / "Calton-2007.blt")
    winner, _ = reference_irv(election)
    assert irv(election).elected == (winner,) == ("George Redmond",)


def test_the_ranking_matrix_pads_with_minus_one() -> None:
    assert ranking_matrix([(2, 0), (1,)]).tolist() == [[2, 0, -1], [1, -1, -1]]


def test_no_valid_ballot_is_an_error() -> None:
    election = parse_blt('2 1\n-1\n3 1 0\n0\n"A"\n"B"\n"T"\n')
    with pytest.raises(ValueError, match="no valid ballots"):
        irv(election)


@pytest.mark.parametrize(
    ("rankings", "words"),
    [(((0, 1, 0),), "ranks a candidate twice"), (((0, 5),), "does not exist")],
)
def test_a_malformed_ballot_is_refused_with_a_sentence(rankings: tuple[tuple[int, ...]], words: str) -> None:
    election = RankedElection(("A", "B"), 1, rankings, (1,))
    with pytest.raises(ValueError, match=words):
        irv(election)
