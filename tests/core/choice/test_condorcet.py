"""The Schulze method: the published example, Condorcet consistency, ties by a recorded rule."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualpower.core.choice.ranked.condorcet import pairwise_counts, schulze, strongest_paths
from dualpower.core.choice.ranked.election import RankedElection


def _election(
    names: str, data: list[tuple[int, str]], *, seats: int = 1, withdrawn: frozenset[int] = frozenset()
) -> RankedElection:
    rankings = tuple(tuple(names.index(c) for c in ranking) for _, ranking in data)
    return RankedElection(tuple(names), seats, rankings, tuple(w for w, _ in data), withdrawn=withdrawn)


# Wikipedia, "Schulze method", the example with 45 voters and 5 candidates (also Schulze 2011, §3.1).
WIKIPEDIA_45 = [
    (5, "ACBED"), (5, "ADECB"), (8, "BEDAC"), (3, "CABED"),
    (7, "CAEBD"), (2, "CBADE"), (7, "DCEBA"), (8, "EBADC"),
]  # fmt: skip


def test_schulze_reproduces_the_wikipedia_45_voter_example() -> None:
    outcome = schulze(_election("ABCDE", WIKIPEDIA_45))
    assert outcome.pairwise == (
        (0, 20, 26, 30, 22),
        (25, 0, 16, 33, 18),
        (19, 29, 0, 17, 24),
        (15, 12, 28, 0, 14),
        (23, 27, 21, 31, 0),
    )
    assert outcome.strongest_paths == (
        (0, 28, 28, 30, 24),
        (25, 0, 28, 33, 24),
        (25, 29, 0, 29, 24),
        (25, 28, 28, 0, 24),
        (25, 28, 28, 31, 0),
    )
    assert outcome.elected == ("E",)
    assert outcome.ranking == ("E", "A", "C", "B", "D")


def test_schulze_json_carries_the_full_pairwise_table_and_strongest_paths() -> None:
    data = json.loads(json.dumps(schulze(_election("ABCDE", WIKIPEDIA_45)).to_json()))
    assert data["selected"] == ["E"]
    assert data["pairwise"]["A"]["D"] == 30 and data["pairwise"]["D"]["A"] == 15
    assert data["strongest_paths"]["E"]["D"] == 31
    assert data["ranking"] == ["E", "A", "C", "B", "D"]


def test_schulze_with_more_seats_elects_the_top_of_its_order() -> None:
    outcome = schulze(_election("ABCDE", WIKIPEDIA_45), seats=3)
    assert outcome.elected == ("E", "A", "C")
    assert outcome.defeated == ("B", "D")
    assert [r.elected for r in outcome.rounds] == [("E",), ("A",), ("C",), (), ()]


def test_unranked_candidates_count_below_every_ranked_candidate() -> None:
    # Three voters rank only B; two rank A then C. B beats A 3–2 and C 3–2, though B is ranked alone.
    outcome = schulze(_election("ABC", [(3, "B"), (2, "AC")]))
    assert outcome.pairwise[1] == (3, 0, 3)
    assert outcome.pairwise[0][2] == 2 and outcome.pairwise[2][0] == 0
    assert outcome.elected == ("B",)


def test_withdrawn_candidates_are_left_out_of_the_count() -> None:
    outcome = schulze(_election("ABC", [(3, "BAC"), (2, "ACB")], withdrawn=frozenset({1})))
    assert outcome.candidates == ("A", "C")
    assert outcome.elected == ("A",)


CYCLE = [(1, "ABC"), (1, "BCA"), (1, "CAB")]  # every candidate beats one and loses to one, 2–1


def test_a_schulze_tie_is_broken_by_the_recorded_order() -> None:
    first = schulze(_election("ABC", CYCLE), tie_break_order=("C", "A", "B"))
    second = schulze(_election("ABC", CYCLE), tie_break_order=("B", "C", "A"))
    assert first.elected == ("C",) and second.elected == ("B",)
    assert first.settings["tie_order"] == ["C", "A", "B"]
    assert "tie" in first.rounds[0].note


def test_a_schulze_lot_is_recorded_and_replays_the_same_count() -> None:
    outcomes = [schulze(_election("ABC", CYCLE), lot_seed=seed) for seed in range(12)]
    assert len({o.elected for o in outcomes}) > 1  # the lot decides
    for seed, outcome in enumerate(outcomes):
        replay = schulze(_election("ABC", CYCLE), tie_break_order=outcome.settings["tie_order"])
        assert replay.ranking == outcome.ranking
        assert outcome.settings["lot_seed"] == seed


def test_schulze_rejects_more_seats_than_candidates_and_unknown_tie_order() -> None:
    with pytest.raises(ValueError, match="seats"):
        schulze(_election("ABC", CYCLE), seats=4)
    with pytest.raises(ValueError, match="not a candidate"):
        schulze(_election("ABC", CYCLE), tie_break_order=("A", "B", "Z"))
    with pytest.raises(ValueError, match="does not list"):
        schulze(_election("ABC", CYCLE), tie_break_order=("A", "B"))


ballots = st.lists(
    st.tuples(
        st.integers(1, 5), st.permutations(range(4)).flatmap(lambda p: st.integers(1, 4).map(lambda k: p[:k]))
    ),
    min_size=1,
    max_size=12,
)


def _from(data: list[tuple[int, tuple[int, ...]]]) -> RankedElection:
    return RankedElection(("A", "B", "C", "D"), 1, tuple(r for _, r in data), tuple(w for w, _ in data))


@settings(max_examples=300, deadline=None)
@given(ballots)
def test_a_condorcet_winner_always_wins_under_schulze(data: list[tuple[int, tuple[int, ...]]]) -> None:
    election = _from(data)
    d = pairwise_counts(election.rankings, election.weights, 4)
    winners = [a for a in range(4) if all(d[a][b] > d[b][a] for b in range(4) if b != a)]
    outcome = schulze(election)
    if winners:
        assert outcome.elected == (election.candidates[winners[0]],)
    # However the ties are broken, the winner is never beaten by strongest paths.
    p = outcome.strongest_paths
    w = outcome.candidates.index(outcome.elected[0])
    assert all(p[w][b] >= p[b][w] for b in range(4))


def _brute_force_paths(d: list[list[int]]) -> list[list[int]]:
    # The definition itself: the best weakest link over every simple path of beating links.
    n = len(d)
    best = [[0] * n for _ in range(n)]
    for a, b in itertools.permutations(range(n), 2):
        middles = [c for c in range(n) if c not in (a, b)]
        for k in range(len(middles) + 1):
            for inner in itertools.permutations(middles, k):
                path = (a, *inner, b)
                links = [d[x][y] if d[x][y] > d[y][x] else 0 for x, y in itertools.pairwise(path)]
                best[a][b] = max(best[a][b], min(links))
    return best


@settings(max_examples=150, deadline=None)
@given(ballots)
def test_strongest_paths_match_the_definition(data: list[tuple[int, tuple[int, ...]]]) -> None:
    election = _from(data)
    d = pairwise_counts(election.rankings, election.weights, 4)
    assert strongest_paths(d) == _brute_force_paths(d.tolist())


@settings(max_examples=100, deadline=None)
@given(ballots, st.randoms(use_true_random=False))
def test_schulze_does_not_depend_on_ballot_order(
    data: list[tuple[int, tuple[int, ...]]], rnd: random.Random
) -> None:
    shuffled = list(data)
    rnd.shuffle(shuffled)
    a, b = schulze(_from(data)), schulze(_from(shuffled))
    assert (a.ranking, a.pairwise) == (b.ranking, b.pairwise)


def test_schulze_rejects_malformed_ballots_with_a_sentence() -> None:
    with pytest.raises(ValueError, match="ranks a candidate twice"):
        schulze(RankedElection(("A", "B"), 1, ((0, 1), (1, 1)), (1, 1)))
    with pytest.raises(ValueError, match="does not exist"):
        schulze(RankedElection(("A", "B"), 1, ((0, 2),), (1,)))
    with pytest.raises(ValueError, match="negative"):
        schulze(RankedElection(("A", "B"), 1, ((0, 1),), (-1,)))


def test_schulze_refuses_an_election_without_valid_ballots() -> None:
    with pytest.raises(ValueError, match="no valid ballots"):
        schulze(RankedElection(("A", "B", "C"), 1, (), ()))
    with pytest.raises(ValueError, match="no valid ballots"):
        schulze(_election("ABC", [(2, "A")], withdrawn=frozenset({0})))
