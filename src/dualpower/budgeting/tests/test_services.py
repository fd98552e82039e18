"""Setting up a cycle, its phases on the clock and by hand, review, adoption and implementation."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dualpower.assemblies import actions
from dualpower.budgeting import services
from dualpower.budgeting.jobs import advance_phases
from dualpower.budgeting.models import Cycle, Phase, Proposal, Result
from dualpower.budgeting.tests.factories import EUR, make_cycle, set_phase
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.tests.factories import make_membership
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"budget": -1}, "budget"),
        ({"budget": 10.5}, "budget"),
        ({"budget": True}, "budget"),
        ({"rule": "dictator"}, "rule"),
        ({"ballot_type": "ranked"}, "max_choices"),
        ({"rule": "phragmen", "ballot_type": "cumulative"}, "rule"),
        ({"min_choices": 3, "max_choices": 2}, "max_choices"),
        ({"eligibility": "everyone"}, "eligibility"),
        ({"districts": [("North", -5)]}, "budget"),
        ({"categories": [("Sport", 130)]}, "max_share_percent"),
    ],
)
def test_a_cycle_with_bad_settings_is_refused_and_nothing_written(
    community: Any, changes: dict[str, Any], field: str
) -> None:
    options = {"title": "Budget", "budget": 1000 * EUR, **changes}
    with pytest.raises(InvalidInput) as refused:
        services.cycle_create(community=community, by=None, **options)
    assert refused.value.field == field
    assert Cycle.objects.count() == 0
    assert not AuditEntry.objects.filter(action__startswith="budget.").exists()


def test_phase_dates_must_be_in_order(community: Any) -> None:
    now = timezone.now()
    with pytest.raises(InvalidInput, match="in order"):
        services.cycle_create(
            community=community,
            by=None,
            title="B",
            budget=1,
            voting_from=now,
            voting_until=now - timedelta(days=1),
        )


def test_phases_only_move_forward_and_voting_needs_feasible_costed_proposals(community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.FEASIBILITY)
    with pytest.raises(Conflict, match="nothing to vote on"):
        services.cycle_advance(cycle=cycle, by=None)
    services.feasibility_decide(proposal=cycle.proposals.get(code="1"), by=None, feasible=True)
    services.cycle_advance(cycle=cycle, by=None)
    cycle.refresh_from_db()
    assert cycle.phase == Phase.VOTING
    with pytest.raises(Conflict, match="only move forward"):
        services.cycle_advance(cycle=cycle, by=None, to=Phase.IDEAS)


def test_opening_the_vote_tells_the_members(people: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.FEASIBILITY)
    cycle.proposals.update(feasibility=Proposal.Feasibility.FEASIBLE)
    services.cycle_advance(cycle=cycle, by=None)
    kinds = set(Notification.objects.values_list("kind", flat=True))
    assert kinds == {"budgeting.voting"}
    assert Notification.objects.count() == 2  # the member and the coordinator, not the observer


def test_a_refusal_needs_a_public_reason(community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.FEASIBILITY)
    proposal = cycle.proposals.get(code="1")
    with pytest.raises(InvalidInput, match="reason"):
        services.feasibility_decide(proposal=proposal, by=None, feasible=False, reason=" ")
    proposal.refresh_from_db()
    assert proposal.feasibility == Proposal.Feasibility.PENDING
    services.feasibility_decide(proposal=proposal, by=None, feasible=False, reason="The land is not ours.")
    assert Proposal.objects.get(pk=proposal.pk).feasibility_reason == "The land is not ours."


def test_the_clock_moves_phases_on_their_dates_and_counts_at_the_close(community: Any) -> None:
    now = timezone.now()
    cycle = make_cycle(community, phase=Phase.VOTING)
    Cycle.objects.filter(pk=cycle.pk).update(voting_until=now + timedelta(hours=1))
    services.ballot_submit(cycle=cycle, voter=make_membership(community), district=None, choices=[("1", 1)])
    assert advance_phases(now) == "0 cycles advanced, 0 waiting"
    assert advance_phases(now + timedelta(hours=2)) == "1 cycle advanced, 0 waiting"
    cycle.refresh_from_db()
    assert cycle.phase == Phase.RESULTS
    assert Result.objects.get(cycle=cycle).selected == ["1"]
    # Idempotent: the next tick does nothing more (implementation has no date).
    assert advance_phases(now + timedelta(hours=3)) == "0 cycles advanced, 0 waiting"


def test_a_cycle_not_ready_to_vote_waits_on_the_clock(community: Any) -> None:
    now = timezone.now()
    cycle = make_cycle(community, phase=Phase.FEASIBILITY)
    Cycle.objects.filter(pk=cycle.pk).update(voting_from=now)
    assert advance_phases(now) == "0 cycles advanced, 1 waiting"
    assert Cycle.objects.get(pk=cycle.pk).phase == Phase.FEASIBILITY


def _counted(community: Any, **options: Any) -> Cycle:
    cycle = make_cycle(community, phase=Phase.VOTING, **options)
    services.ballot_submit(cycle=cycle, voter=make_membership(community), district=None, choices=[("1", 1)])
    services.cycle_advance(cycle=cycle, by=None)
    cycle.refresh_from_db()
    return cycle


def test_implementation_waits_for_the_assemblys_decision(community: Any) -> None:
    cycle = _counted(community)
    with pytest.raises(Conflict, match="has not adopted"):
        services.cycle_advance(cycle=cycle, by=None)
    kind = actions.get("budgeting.adopt_result")
    params = kind.validate(community, {"cycle": cycle.pk})
    decision = actions.Decision(
        ref="proposal:9", community=community, assembly_id=1, proposal_id=9, title="Adopt"
    )
    kind.run(community=community, params=params, decision=decision)
    cycle.refresh_from_db()
    assert cycle.phase == Phase.IMPLEMENTATION and cycle.adopted_ref == "proposal:9"
    assert AuditEntry.objects.get(action="budget.adopt").decision_ref == "proposal:9"
    with pytest.raises(InvalidInput, match="already been adopted"):
        kind.validate(community, {"cycle": cycle.pk})


def test_a_binding_count_needs_no_adoption(community: Any) -> None:
    cycle = _counted(community, count_is_binding=True)
    with pytest.raises(InvalidInput, match="binding"):
        actions.get("budgeting.adopt_result").validate(community, {"cycle": cycle.pk})
    services.cycle_advance(cycle=cycle, by=None)
    assert Cycle.objects.get(pk=cycle.pk).phase == Phase.IMPLEMENTATION


@pytest.mark.parametrize("params", [{}, {"cycle": "x"}, {"cycle": 999999}, {"cycle": True}])
def test_the_adopt_action_refuses_bad_params(community: Any, params: dict[str, Any]) -> None:
    with pytest.raises(InvalidInput):
        actions.get("budgeting.adopt_result").validate(community, params)


def test_an_uncounted_cycle_cannot_be_adopted(community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    with pytest.raises(Conflict):
        services.result_adopt(cycle=cycle, decision_ref="proposal:1")


def test_implementation_status_money_and_reasons(community: Any) -> None:
    cycle = _counted(community, count_is_binding=True)
    services.cycle_advance(cycle=cycle, by=None)
    cycle.refresh_from_db()
    project = cycle.proposals.get(code="1")
    with pytest.raises(InvalidInput, match="reason"):
        services.project_status_set(proposal=project, by=None, status="abandoned")
    services.project_status_set(
        proposal=project, by=None, status="abandoned", reason="The owner sold the lot."
    )
    with pytest.raises(InvalidInput):
        services.project_spending_set(proposal=project, by=None, spent=-3)
    services.project_spending_set(proposal=project, by=None, spent=12_345)
    project.refresh_from_db()
    assert (project.status, project.spent) == ("abandoned", 12_345)
    with pytest.raises(Conflict, match="Only funded"):
        services.project_spending_set(proposal=cycle.proposals.get(code="4"), by=None, spent=1)


def test_settings_are_fixed_once_voting_opens(community: Any) -> None:
    cycle = set_phase(make_cycle(community), Phase.VOTING)
    with pytest.raises(Conflict):
        services.district_add(cycle=cycle, name="Late", budget=1, by=None)
