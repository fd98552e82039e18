"""Counting: results stored per area, hidden while voting, and reproducible by `dualpower tally`."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from dualpower.budgeting import selectors, services
from dualpower.budgeting.models import Ballot, Phase, Proposal, Result
from dualpower.budgeting.services import cycle_count
from dualpower.budgeting.tests.factories import EUR, make_cycle
from dualpower.core.choice import tally
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db


def _vote(community: Any, cycle: Any, ballots: list[list[str]]) -> list[Membership]:
    voters = []
    for codes in ballots:
        voter = make_membership(community)
        services.ballot_submit(cycle=cycle, voter=voter, district=None, choices=[(c, 1) for c in codes])
        voters.append(voter)
    return voters


def _polarised(community: Any, **options: Any) -> tuple[Any, list[Membership]]:
    """60 voters want the playground and the library; 40 want the food bank and bike repair.
    Greedy gives the majority everything; equal shares give the 40 % their share."""
    cycle = make_cycle(community, phase=Phase.VOTING, **options)
    voters = _vote(community, cycle, [["1", "4"]] * 6 + [["2", "3"]] * 4)
    return cycle, voters


def test_closing_the_vote_counts_it_with_equal_shares_and_compares_with_greedy(community: Any) -> None:
    cycle, _voters = _polarised(community)
    services.cycle_advance(cycle=cycle, by=None)
    result = Result.objects.get(cycle=cycle)
    assert set(result.selected) == {"1", "2", "3"}  # 40 % of voters fund 50,000 of 100,000
    assert set(result.greedy_selected) == {"1", "4"}  # the majority takes the whole budget
    assert result.total_cost == 90_000 * EUR
    assert result.votes["1"] == {"online": 6, "paper": 0, "points": 6}
    assert result.ballot_file_sha256 == hashlib.sha256(result.ballot_file.encode()).hexdigest()


@pytest.mark.parametrize(
    ("rule", "expected"), [("greedy", {"1", "4"}), ("phragmen", None), ("mes", {"1", "2", "3"})]
)
def test_running_the_published_command_on_the_downloaded_file_gives_the_official_result(
    community: Any, tmp_path: Path, capsys: Any, rule: str, expected: set[str] | None
) -> None:
    cycle, _voters = _polarised(community, rule=rule, tie_break_seed=7)
    services.cycle_advance(cycle=cycle, by=None)
    result = Result.objects.get(cycle=cycle)
    if expected is not None:
        assert set(result.selected) == expected
    path = tmp_path / result.command.split()[2]
    path.write_text(result.ballot_file, encoding="utf-8")
    assert hashlib.sha256(path.read_bytes()).hexdigest() == result.ballot_file_sha256
    argv = result.command.split()[2:]
    argv[0] = str(path)
    assert tally.main(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed["selected"] == result.selected
    assert "--seed 7" in result.command


def test_the_ballot_file_is_anonymous(people: Any, community: Any) -> None:
    cycle, voters = _polarised(community)
    services.cycle_advance(cycle=cycle, by=None)
    text = Result.objects.get(cycle=cycle).ballot_file
    for voter in voters:
        assert voter.display_name not in text
        assert voter.user is not None and voter.user.email not in text
    # Nor the ballots' stored refs: the file numbers its ballots afresh (test_pb_export_ids.py).
    refs = set(Ballot.objects.values_list("ref", flat=True))
    assert refs and not any(ref in text for ref in refs)


def test_results_are_hidden_while_voting_is_open(community: Any) -> None:
    cycle, _voters = _polarised(community)
    # Even a result row written by mistake stays hidden until the phase says counted.
    cycle_count(cycle=cycle, by=None)
    cycle.refresh_from_db()
    assert cycle.phase == Phase.VOTING
    assert selectors.results_of(cycle=cycle) == []
    assert selectors.funded_codes(cycle=cycle) == set()
    assert selectors.ballot_counts(cycle=cycle) == {}


def test_what_your_share_paid_for(community: Any) -> None:
    cycle, voters = _polarised(community)
    services.cycle_advance(cycle=cycle, by=None)
    cycle.refresh_from_db()
    [mine] = selectors.voter_explanations(cycle=cycle, voter=voters[-1])  # one of the 40 %
    assert {p["project"] for p in mine["payments"]} <= {"2", "3"}
    assert sum(p["paid_cents"] for p in mine["payments"]) + mine["left"] <= mine["share"] + 1
    assert mine["share"] > 0


def test_paper_and_online_ballots_are_counted_together_and_reported_apart(
    people: Any, community: Any
) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    _vote(community, cycle, [["1"]] * 2)
    made = services.paper_ballots_enter(
        cycle=cycle,
        by=membership_of(people["member"], community),
        district=None,
        ballots=[[("1", 1)], [("2", 1)]],
    )
    services.paper_batch_confirm(
        cycle=cycle, by=membership_of(people["coordinator"], community), batch=made[0].batch
    )
    services.paper_ballots_enter(
        cycle=cycle, by=membership_of(people["member"], community), district=None, ballots=[[("4", 1)]]
    )
    services.cycle_advance(cycle=cycle, by=None)
    result = Result.objects.get(cycle=cycle)
    assert result.votes["1"] == {"online": 2, "paper": 1, "points": 3}
    assert result.votes["4"]["paper"] == 0  # never confirmed, never counted
    assert result.num_ballots == 4


def test_each_district_is_counted_with_its_own_budget(people: Any, community: Any) -> None:
    cycle = services.cycle_create(
        community=community, by=None, title="D", budget=10_000 * EUR, districts=[("North", 30_000 * EUR)]
    )
    north = cycle.districts.get()
    services.proposal_create(cycle=cycle, by=None, title="City", cost=10_000 * EUR)
    services.proposal_create(cycle=cycle, by=None, title="Big", cost=40_000 * EUR, district=north.pk)
    services.proposal_create(cycle=cycle, by=None, title="Small", cost=20_000 * EUR, district=north.pk)
    cycle.proposals.update(feasibility=Proposal.Feasibility.FEASIBLE)
    services.cycle_advance(cycle=cycle, by=None, to=Phase.VOTING)
    voter = make_membership(community)
    services.ballot_submit(cycle=cycle, voter=voter, district=None, choices=[("1", 1)])
    services.ballot_submit(cycle=cycle, voter=voter, district=north, choices=[("2", 1), ("3", 1)])
    services.cycle_advance(cycle=cycle, by=None)
    results = {r.district_id: r for r in Result.objects.filter(cycle=cycle)}
    assert results[None].selected == ["1"]
    assert results[north.pk].selected == ["3"]  # 40,000 does not fit in 30,000
    assert results[north.pk].budget == 30_000 * EUR


def test_a_category_limit_passes_over_what_would_exceed_it(community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.DEVELOPMENT, rule="greedy", categories=[("Sport", 30)])
    sport = cycle.categories.get()
    Proposal.objects.filter(cycle=cycle, code__in=["1", "3"]).update(category=sport)  # 40,000 and 20,000
    cycle.proposals.update(feasibility=Proposal.Feasibility.FEASIBLE)
    services.cycle_advance(cycle=cycle, by=None, to=Phase.VOTING)
    _vote(community, cycle, [["1", "2", "3"]] * 3)
    services.cycle_advance(cycle=cycle, by=None)
    result = Result.objects.get(cycle=cycle)
    assert result.passed_over == ["1"]  # 40,000 > 30 % of 100,000
    assert set(result.selected) == {"2", "3"}


def test_an_area_without_ballots_funds_nothing(community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    services.cycle_advance(cycle=cycle, by=None)
    result = Result.objects.get(cycle=cycle)
    assert result.selected == [] and result.num_ballots == 0
