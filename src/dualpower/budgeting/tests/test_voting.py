"""Ballots: the limits of each ballot type, districts, replacing, closing, and nothing written on refusal."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.budgeting import services
from dualpower.budgeting.models import Ballot, BallotEntry, BallotType, Phase, Proposal
from dualpower.budgeting.tests.factories import EUR, make_cycle, set_phase
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db


def _nothing_written() -> None:
    assert Ballot.objects.count() == 0
    assert BallotEntry.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="budget.ballot").exists()


def test_a_member_casts_an_approval_ballot_and_can_replace_it(people: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    me = membership_of(people["member"], community)
    services.ballot_submit(cycle=cycle, voter=me, district=None, choices=[("1", 1), ("2", 1)])
    services.ballot_submit(cycle=cycle, voter=me, district=None, choices=[("3", 1)])
    ballot = Ballot.objects.get()
    assert [e.proposal.code for e in ballot.entries.all()] == ["3"]
    actions = list(
        AuditEntry.objects.filter(action__startswith="budget.ballot").values_list("action", flat=True)
    )
    assert sorted(actions) == ["budget.ballot_cast", "budget.ballot_replace"]
    # The audit log says that someone voted, never what they chose.
    assert all("3" not in str(e.data) for e in AuditEntry.objects.filter(action__startswith="budget.ballot"))


@pytest.mark.parametrize(
    ("options", "choices", "message"),
    [
        ({"min_choices": 2}, [("1", 1)], "Choose at least 2 projects."),
        ({"max_choices": 2}, [("1", 1), ("2", 1), ("3", 1)], "Choose at most 2 projects."),
        (
            {"max_total_cost": 50_000 * EUR},
            [("1", 1), ("2", 1)],
            "cost 70,000 EUR together; the most allowed is 50,000 EUR",
        ),
        ({}, [("9", 1)], "Project 9 is not on this ballot."),
        ({}, [("1", 1), ("1", 1)], "Project 1 is on the ballot twice."),
    ],
)
def test_an_approval_ballot_outside_the_limits_is_refused_and_nothing_written(
    people: Any, community: Any, options: dict[str, Any], choices: list[tuple[str, int]], message: str
) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, **options)
    with pytest.raises(InvalidInput) as refused:
        services.ballot_submit(
            cycle=cycle, voter=membership_of(people["member"], community), district=None, choices=choices
        )
    assert message in refused.value.detail
    _nothing_written()


def test_a_knapsack_ballot_may_not_cost_more_than_the_budget(people: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, ballot_type=BallotType.KNAPSACK)
    me = membership_of(people["member"], community)
    with pytest.raises(InvalidInput, match="120,000 EUR together; the most allowed is 100,000 EUR"):
        services.ballot_submit(cycle=cycle, voter=me, district=None, choices=[("1", 1), ("2", 1), ("4", 1)])
    _nothing_written()
    services.ballot_submit(cycle=cycle, voter=me, district=None, choices=[("1", 1), ("2", 1), ("3", 1)])
    assert BallotEntry.objects.count() == 3


def test_a_cumulative_ballot_spreads_at_most_its_points(people: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, ballot_type=BallotType.CUMULATIVE, points=10)
    me = membership_of(people["member"], community)
    with pytest.raises(InvalidInput, match=r"You gave 12 points; you have 10 points to spread\."):
        services.ballot_submit(cycle=cycle, voter=me, district=None, choices=[("1", 7), ("2", 5)])
    _nothing_written()
    services.ballot_submit(cycle=cycle, voter=me, district=None, choices=[("1", 7), ("2", 3)])
    assert sorted(BallotEntry.objects.values_list("points", flat=True)) == [3, 7]


def test_a_ranked_ballot_ranks_at_most_k_without_gaps(people: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, ballot_type=BallotType.RANKED, max_choices=2)
    me = membership_of(people["member"], community)
    with pytest.raises(InvalidInput, match=r"Rank at most 2 projects\."):
        services.ballot_submit(cycle=cycle, voter=me, district=None, choices=[("1", 1), ("2", 2), ("3", 3)])
    with pytest.raises(InvalidInput, match="without gaps or repeats"):
        services.ballot_submit(cycle=cycle, voter=me, district=None, choices=[("1", 1), ("2", 3)])
    _nothing_written()
    services.ballot_submit(cycle=cycle, voter=me, district=None, choices=[("2", 1), ("1", 2)])


def test_a_ranked_cycle_needs_k(community: Any) -> None:
    with pytest.raises(InvalidInput, match="top K"):
        make_cycle(community, ballot_type=BallotType.RANKED)


@pytest.mark.parametrize(
    "phase", [Phase.IDEAS, Phase.DEVELOPMENT, Phase.FEASIBILITY, Phase.RESULTS, Phase.IMPLEMENTATION]
)
def test_no_ballot_outside_the_voting_phase(people: Any, community: Any, phase: str) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    set_phase(cycle, phase)
    with pytest.raises(Conflict, match="Voting is not open"):
        services.ballot_submit(
            cycle=cycle, voter=membership_of(people["member"], community), district=None, choices=[("1", 1)]
        )
    _nothing_written()


def test_no_ballot_after_the_closing_time_even_before_the_clock_job(people: Any, community: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    cycle = make_cycle(community, phase=Phase.VOTING)
    cycle.voting_until = timezone.now() - timedelta(minutes=1)
    cycle.save()
    with pytest.raises(Conflict, match="Voting has closed"):
        services.ballot_submit(
            cycle=cycle, voter=membership_of(people["member"], community), district=None, choices=[("1", 1)]
        )
    _nothing_written()


def test_observers_and_outsiders_do_not_vote(people: Any, community: Any, other_community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    for voter in (
        membership_of(people["observer"], community),
        membership_of(people["outsider"], other_community),
    ):
        with pytest.raises(PermissionDenied):
            services.ballot_submit(cycle=cycle, voter=voter, district=None, choices=[("1", 1)])
    _nothing_written()


def _district_cycle(community: Any, **options: Any) -> Any:
    cycle = services.cycle_create(
        community=community,
        by=None,
        title="Districts",
        budget=0,
        districts=[("North", 50_000 * EUR), ("South", 50_000 * EUR), ("East", 50_000 * EUR)],
        **options,
    )
    for d in cycle.districts.all():
        services.proposal_create(
            cycle=cycle, by=None, title=f"Park {d.name}", cost=10_000 * EUR, district=d.pk
        )
    cycle.proposals.update(feasibility=Proposal.Feasibility.FEASIBLE)
    return set_phase(cycle, Phase.VOTING)


def test_one_district_only_unless_the_cycle_allows_one_other(people: Any, community: Any) -> None:
    cycle = _district_cycle(community)
    me = membership_of(people["member"], community)
    north, south = cycle.districts.get(name="North"), cycle.districts.get(name="South")
    code = {d.name: cycle.proposals.get(district=d).code for d in cycle.districts.all()}
    services.ballot_submit(cycle=cycle, voter=me, district=north, choices=[(code["North"], 1)])
    with pytest.raises(Conflict, match="one district only"):
        services.ballot_submit(cycle=cycle, voter=me, district=south, choices=[(code["South"], 1)])
    assert Ballot.objects.count() == 1


def test_one_other_district_when_allowed_and_not_a_third(people: Any, community: Any) -> None:
    cycle = _district_cycle(community, allow_other_district=True)
    me = membership_of(people["member"], community)
    d = {x.name: x for x in cycle.districts.all()}
    code = {x.name: cycle.proposals.get(district=x).code for x in d.values()}
    services.ballot_submit(cycle=cycle, voter=me, district=d["North"], choices=[(code["North"], 1)])
    services.ballot_submit(cycle=cycle, voter=me, district=d["South"], choices=[(code["South"], 1)])
    with pytest.raises(Conflict, match="two districts"):
        services.ballot_submit(cycle=cycle, voter=me, district=d["East"], choices=[(code["East"], 1)])
    assert Ballot.objects.count() == 2


def test_residents_vote_in_their_own_district(people: Any, community: Any) -> None:
    cycle = _district_cycle(community, eligibility="district")
    me = membership_of(people["member"], community)
    d = {x.name: x for x in cycle.districts.all()}
    code = {x.name: cycle.proposals.get(district=x).code for x in d.values()}
    with pytest.raises(Conflict, match="set your neighbourhood"):
        services.ballot_submit(cycle=cycle, voter=me, district=d["North"], choices=[(code["North"], 1)])
    me.neighbourhood = "south"
    me.save()
    with pytest.raises(Conflict, match="only in your own district, South"):
        services.ballot_submit(cycle=cycle, voter=me, district=d["North"], choices=[(code["North"], 1)])
    services.ballot_submit(cycle=cycle, voter=me, district=d["South"], choices=[(code["South"], 1)])
    assert Ballot.objects.count() == 1


def test_a_project_of_another_district_is_not_on_this_ballot(people: Any, community: Any) -> None:
    cycle = _district_cycle(community)
    d = {x.name: x for x in cycle.districts.all()}
    south_code = cycle.proposals.get(district=d["South"]).code
    with pytest.raises(InvalidInput, match="not on this ballot"):
        services.ballot_submit(
            cycle=cycle,
            voter=membership_of(people["member"], community),
            district=d["North"],
            choices=[(south_code, 1)],
        )
    _nothing_written()


def test_voting_codes_are_one_time_and_hashed(people: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, eligibility="codes")
    codes = services.voting_codes_issue(cycle=cycle, count=3, by=None)
    assert len(set(codes)) == 3
    stored = set(cycle.voting_codes.values_list("code_hash", flat=True))
    assert not stored & set(codes)  # never the code itself
    services.booth_vote(cycle=cycle, code=codes[0].lower(), district=None, choices=[("1", 1)])
    with pytest.raises(Conflict, match="already been used"):
        services.booth_vote(cycle=cycle, code=codes[0], district=None, choices=[("2", 1)])
    with pytest.raises(InvalidInput, match="not valid"):
        services.booth_vote(cycle=cycle, code="NOTACODE42", district=None, choices=[("2", 1)])
    assert Ballot.objects.get().channel == Ballot.Channel.BOOTH


def test_paper_ballots_count_only_after_a_second_teller_confirms(people: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    first, second = (
        membership_of(people["member"], community),
        membership_of(people["coordinator"], community),
    )
    made = services.paper_ballots_enter(
        cycle=cycle, by=first, district=None, ballots=[[("1", 1)], [("2", 1), ("3", 1)]]
    )
    assert not any(b.confirmed for b in made)
    with pytest.raises(Conflict, match="second teller"):
        services.paper_batch_confirm(cycle=cycle, by=first, batch=made[0].batch)
    assert services.paper_batch_confirm(cycle=cycle, by=second, batch=made[0].batch) == 2
    assert Ballot.objects.filter(confirmed=True, channel="paper").count() == 2


def test_a_batch_with_one_bad_paper_ballot_is_refused_whole(people: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, max_choices=1)
    with pytest.raises(InvalidInput, match=r"Ballot 2: Choose at most 1 project\."):
        services.paper_ballots_enter(
            cycle=cycle,
            by=membership_of(people["member"], community),
            district=None,
            ballots=[[("1", 1)], [("2", 1), ("3", 1)]],
        )
    _nothing_written()


def test_a_csv_of_paper_ballots_is_imported_as_one_batch(people: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    made = services.paper_csv_import(
        cycle=cycle, by=membership_of(people["member"], community), text='vote\n"1,2"\n3\n'
    )
    assert len(made) == 2 and len({b.batch for b in made}) == 1
    with pytest.raises(InvalidInput, match="Line 3"):
        services.paper_csv_import(
            cycle=cycle, by=membership_of(people["member"], community), text="district,vote\n,1\nNowhere,2\n"
        )
    assert Ballot.objects.count() == 2


def test_parse_choices_reads_what_tellers_type() -> None:
    assert services.parse_choices("3, 7;12", BallotType.APPROVAL) == [("3", 1), ("7", 1), ("12", 1)]
    assert services.parse_choices("3, 7", BallotType.RANKED) == [("3", 1), ("7", 2)]
    assert services.parse_choices("3:5, 7:2", BallotType.CUMULATIVE) == [("3", 5), ("7", 2)]
    with pytest.raises(InvalidInput):
        services.parse_choices("3", BallotType.CUMULATIVE)
