"""The count reads the stored ballots straight into the engine's arrays (issue 21).

However many ballots a cycle holds, the count makes the same number of queries and builds no model
instance per ballot or per entry; and what it stores equals the engine's own count of the same
ballots, built directly (no database, no file).
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from django.db import connection
from django.db.models import Model
from django.test.utils import CaptureQueriesContext

from dualpower.budgeting.models import Ballot, BallotEntry, BallotType, Cycle, Phase, Proposal, Result
from dualpower.budgeting.services import ballot_reading, cycle_count
from dualpower.budgeting.tests.factories import EUR, make_cycle, set_phase
from dualpower.core.choice.formats.pb import parse_pb
from dualpower.core.choice.pb.election import Ballots, PBElection, Project
from dualpower.core.choice.pb.greedy import greedy
from dualpower.core.choice.pb.mes import equal_shares
from dualpower.core.choice.pb.tiebreak import TieBreak

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

COSTS = [3_000, 7_500, 12_000, 4_200, 9_900, 15_000, 2_500, 6_600, 11_000, 5_000, 8_000, 13_500]


def _generated(community: Any, voters: int, seed: int = 1) -> tuple[Cycle, list[list[int]], list[bool]]:
    """A cycle of 12 proposals and ``voters`` approval ballots written in bulk: each proposal
    approved with its own probability, every fifth ballot on paper, some ballots empty.
    Returns the cycle, each ballot's approved proposals (positions) and whether it is on paper."""
    rng = random.Random(seed)
    cycle = make_cycle(community, phase=Phase.DEVELOPMENT, budget=40 * voters * EUR, min_choices=0)
    cycle.proposals.all().delete()
    proposals = Proposal.objects.bulk_create(
        [
            Proposal(
                cycle=cycle, code=str(i + 1), title=f"Project {i + 1}", cost=c * EUR, feasibility="feasible"
            )
            for i, c in enumerate(COSTS)
        ]
    )
    popularity = [rng.uniform(0.05, 0.6) for _ in COSTS]
    chosen = [[i for i, p in enumerate(popularity) if rng.random() < p] for _ in range(voters)]
    on_paper = [v % 5 == 4 for v in range(voters)]
    ballots = Ballot.objects.bulk_create(
        [
            Ballot(cycle=cycle, ref=f"r{v}", channel=Ballot.Channel.PAPER if paper else Ballot.Channel.ONLINE)
            for v, paper in enumerate(on_paper)
        ]
    )
    if not all(b.pk for b in ballots):
        ballots = list(Ballot.objects.filter(cycle=cycle).order_by("id"))
    # Entries stored in an order unlike the ballots' (as ballots changed over time would be).
    entries = [(b, i) for b, mine in zip(ballots, chosen, strict=True) for i in mine]
    rng.shuffle(entries)
    BallotEntry.objects.bulk_create([BallotEntry(ballot=b, proposal=proposals[i]) for b, i in entries])
    return set_phase(cycle, Phase.RESULTS), chosen, on_paper


def _counted(cycle: Cycle, monkeypatch: Any) -> tuple[Result, int, Counter[str]]:
    """Count the cycle; return its result, the queries it made and the ballot and entry model
    instances it loaded (every row the ORM turns into an instance goes through ``from_db``)."""
    loaded: Counter[str] = Counter()
    from_db = Model.from_db.__func__  # type: ignore[attr-defined]

    def spy(model: type[Model], *args: Any, **kwargs: Any) -> Model:
        loaded[model.__name__] += 1
        return from_db(model, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Ballot, "from_db", classmethod(spy))
        patch.setattr(BallotEntry, "from_db", classmethod(spy))
        with CaptureQueriesContext(connection) as queries:
            [result] = cycle_count(cycle=cycle, by=None)
    return result, len(queries), loaded


def _direct(cycle: Cycle, chosen: list[list[int]]) -> PBElection:
    """The same election built in memory for the engine: ballots in the order they were cast,
    projects in the order the cycle lists them (by code, as text: 1, 10, 11, 12, 2...)."""
    order = sorted(range(len(COSTS)), key=lambda i: str(i + 1))
    place = {i: k for k, i in enumerate(order)}
    voted = [sorted(place[i] for i in c) for c in chosen if c]
    return PBElection(
        projects=tuple(Project(id=str(i + 1), cost=COSTS[i]) for i in order),
        budget=cycle.budget // EUR,
        vote_type="approval",
        ballots=Ballots.from_lists(
            [f"x{v}" for v in range(len(voted))], [[(k, 1) for k in c] for c in voted]
        ),
    )


def _rows(text: str) -> list[tuple[str, ...]]:
    """Each published ballot as the project ids it names, in the file's order."""
    published = parse_pb(text)
    ids = [p.id for p in published.projects]
    b = published.ballots
    return [tuple(ids[i] for i in b.of(v)[0]) for v in range(b.num_voters)]


def test_the_count_makes_as_many_queries_for_1000_ballots_as_for_10_and_loads_no_ballot(
    community: Any, other_community: Any, monkeypatch: Any
) -> None:
    small, _chosen, _paper = _generated(community, 10)
    large, _chosen, _paper = _generated(other_community, 1_000)
    small_result, small_queries, small_loaded = _counted(small, monkeypatch)
    large_result, large_queries, large_loaded = _counted(large, monkeypatch)
    assert small_result.num_ballots <= 10 < large_result.num_ballots
    assert large_queries == small_queries <= 20
    assert small_loaded == large_loaded == Counter()  # no Ballot or BallotEntry instance at all


@pytest.mark.parametrize("chunk", [ballot_reading.CHUNK_BALLOTS, 7])
def test_the_count_from_the_database_equals_the_engines_count_of_the_same_ballots(
    community: Any, monkeypatch: Any, chunk: int
) -> None:
    # 7: the ballots are read in ranges of 7 ids, so their entries arrive in over a hundred parts
    monkeypatch.setattr(ballot_reading, "CHUNK_BALLOTS", chunk)
    cycle, chosen, on_paper = _generated(community, 1_000, seed=chunk)
    result, _queries, _loaded = _counted(cycle, monkeypatch)
    election = _direct(cycle, chosen)
    tie = TieBreak("equalshares", seed=cycle.tie_break_seed)
    assert result.rule_selected == list(equal_shares(election, completion="add1", tie_break=tie).selected)
    assert result.greedy_selected == list(greedy(election, tie_break=tie).selected)
    assert result.num_ballots == sum(1 for c in chosen if c) < 1_000  # empty ballots are not in the file
    election_ids = [p.id for p in election.projects]
    assert [p.id for p in parse_pb(result.ballot_file).projects] == election_ids
    expected = [
        tuple(election_ids[i] for i in election.ballots.of(v)[0]) for v in range(election.ballots.num_voters)
    ]
    assert Counter(_rows(result.ballot_file)) == Counter(expected)
    for i in range(len(COSTS)):
        code = str(i + 1)
        paper = sum(1 for c, p in zip(chosen, on_paper, strict=True) if p and i in c)
        online = sum(1 for c, p in zip(chosen, on_paper, strict=True) if not p and i in c)
        assert result.votes[code] == {"online": online, "paper": paper, "points": online + paper}


def test_a_ranked_ballot_is_published_first_choice_first_whatever_order_it_was_stored_in(
    community: Any,
) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, ballot_type=BallotType.RANKED, max_choices=3)
    by_code = {p.code: p for p in cycle.proposals.all()}
    stored = [[("3", 2), ("1", 3), ("4", 1)], [("2", 1)], [("4", 2), ("2", 1)]]
    for v, ranks in enumerate(stored):
        ballot = Ballot.objects.create(cycle=cycle, ref=f"r{v}")
        for code, rank in ranks:
            BallotEntry.objects.create(ballot=ballot, proposal=by_code[code], points=rank)
    set_phase(cycle, Phase.RESULTS)
    [result] = cycle_count(cycle=cycle, by=None)
    assert set(_rows(result.ballot_file)) == {("4", "3", "1"), ("2",), ("2", "4")}
    assert result.votes["4"] == {"online": 2, "paper": 0, "points": 3}


def test_cumulative_points_are_published_with_their_projects_and_summed(community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, ballot_type=BallotType.CUMULATIVE, points=10)
    by_code = {p.code: p for p in cycle.proposals.all()}
    stored = [[("4", 3), ("1", 7)], [("2", 10)], [("3", 1), ("2", 9)]]
    for v, given in enumerate(stored):
        ballot = Ballot.objects.create(cycle=cycle, ref=f"r{v}")
        for code, points in given:
            BallotEntry.objects.create(ballot=ballot, proposal=by_code[code], points=points)
    set_phase(cycle, Phase.RESULTS)
    [result] = cycle_count(cycle=cycle, by=None)
    published = parse_pb(result.ballot_file)
    ids = [p.id for p in published.projects]
    b = published.ballots
    rows = {tuple((ids[i], int(s)) for i, s in zip(*b.of(v), strict=True)) for v in range(b.num_voters)}
    assert rows == {(("1", 7), ("4", 3)), (("2", 10),), (("2", 9), ("3", 1))}
    assert {code: v["points"] for code, v in result.votes.items()} == {"1": 7, "2": 19, "3": 1, "4": 3}


def test_entries_for_a_proposal_no_longer_on_the_ballot_are_left_out_and_so_is_a_ballot_left_empty(
    community: Any,
) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, min_choices=0)
    by_code = {p.code: p for p in cycle.proposals.all()}
    stored = [["1", "2"], ["2"], ["3", "4"], ["4"]]
    for v, codes in enumerate(stored):
        channel = Ballot.Channel.PAPER if v == 3 else Ballot.Channel.ONLINE
        ballot = Ballot.objects.create(cycle=cycle, ref=f"r{v}", channel=channel)
        for code in codes:
            BallotEntry.objects.create(ballot=ballot, proposal=by_code[code])
    # Found not feasible after the vote: its id lies between the others', so the read meets its entries.
    Proposal.objects.filter(pk=by_code["2"].pk).update(
        feasibility=Proposal.Feasibility.NOT_FEASIBLE, feasibility_reason="Already built."
    )
    set_phase(cycle, Phase.RESULTS)
    [result] = cycle_count(cycle=cycle, by=None)
    assert result.num_ballots == 3
    assert Counter(_rows(result.ballot_file)) == Counter([("1",), ("3", "4"), ("4",)])
    assert "2" not in result.votes
    assert result.votes["4"] == {"online": 1, "paper": 1, "points": 2}
