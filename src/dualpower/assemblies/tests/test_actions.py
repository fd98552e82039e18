"""Decisions that take effect: actions run with the outcome, all or nothing, linked in the audit log."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from dualpower.assemblies import actions, services
from dualpower.assemblies.models import Outcome, Policy, ProposalAction
from dualpower.assemblies.tests.factories import after_close, general, open_proposal
from dualpower.community.models import AuditEntry
from dualpower.errors import InvalidInput
from dualpower.members.models import Application, Membership
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db


def test_a_passed_decision_grants_a_role_and_the_audit_links_it(people: Any, community: Any) -> None:
    mara, cato = membership_of(people["member"], community), membership_of(people["coordinator"], community)
    p = open_proposal(
        general(community),
        mara,
        process="majority",
        actions=[{"kind": "members.role", "params": {"membership": mara.pk, "role": "coordinator"}}],
    )
    services.vote_cast(proposal=p, by=cato, position="agree")
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    mara.refresh_from_db()
    assert mara.role == "coordinator"
    assert outcome.actions_status == Outcome.ActionsStatus.DONE
    entry = AuditEntry.objects.get(action="member.role_change")
    assert entry.decision_ref == actions.decision_ref(p.pk)


def test_a_decision_admits_an_applicant(people: Any, community: Any) -> None:
    mara = membership_of(people["member"], community)
    application = Application.objects.get(user=people["applicant"])
    p = open_proposal(
        general(community),
        mara,
        process="majority",
        actions=[{"kind": "members.admit", "params": {"application": application.pk}}],
    )
    services.vote_cast(proposal=p, by=mara, position="agree")
    services.proposal_close(proposal=p, now=after_close(p))
    assert Membership.objects.filter(user=people["applicant"], community=community, status="active").exists()
    assert AuditEntry.objects.filter(action="application.admit", decision_ref=f"proposal:{p.pk}").exists()


def test_a_decision_whose_action_fails_leaves_no_partial_change(people: Any, community: Any) -> None:
    mara, cato = membership_of(people["member"], community), membership_of(people["coordinator"], community)
    application = Application.objects.get(user=people["applicant"])
    p = open_proposal(
        general(community),
        mara,
        process="majority",
        actions=[
            {"kind": "members.role", "params": {"membership": mara.pk, "role": "coordinator"}},
            {"kind": "members.admit", "params": {"application": application.pk}},
        ],
    )
    services.vote_cast(proposal=p, by=cato, position="agree")
    # Meanwhile a coordinator declines the application: the second action can no longer run.
    from dualpower.members.services import application_decline

    application_decline(application=application, by=people["coordinator"], reason="Moved away.")
    before = AuditEntry.objects.count()
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    mara.refresh_from_db()
    assert mara.role == "member"  # the first action was rolled back too
    assert not AuditEntry.objects.filter(action="member.role_change").exists()
    assert outcome.passed is True and outcome.actions_status == Outcome.ActionsStatus.FAILED
    assert "Nothing was changed" in outcome.actions_error
    statuses = list(p.actions.values_list("status", flat=True))
    assert statuses == [ProposalAction.Status.SKIPPED, ProposalAction.Status.FAILED]
    # The outcome and the failure are recorded; the actions' own changes are not.
    assert set(AuditEntry.objects.order_by("id").values_list("action", flat=True)[before:]) == {
        "proposal.close",
        "proposal.actions_failed",
    }


def test_a_policy_changes_only_by_a_decision(people: Any, community: Any) -> None:
    assembly = general(community)
    mara = membership_of(people["member"], community)
    p = open_proposal(
        assembly,
        mara,
        process="majority",
        actions=[
            {
                "kind": "assemblies.change_policy",
                "params": {"assembly": assembly.pk, "changes": {"quorum": "0.25", "voting_days": 3}},
            }
        ],
    )
    services.vote_cast(proposal=p, by=mara, position="agree")
    services.proposal_close(proposal=p, now=after_close(p))
    policy = Policy.objects.get(assembly=assembly)
    assert policy.quorum == Decimal("0.25") and policy.voting_days == 3
    assert AuditEntry.objects.get(action="policy.change").decision_ref == f"proposal:{p.pk}"


@pytest.mark.parametrize(
    "action",
    [
        {"kind": "nope", "params": {}},
        {"kind": "members.role", "params": {"membership": 999999, "role": "coordinator"}},
        {"kind": "members.role", "params": {"role": "coordinator"}},
        {"kind": "assemblies.change_policy", "params": {"assembly": 0, "changes": {"quorum": "0.5"}}},
        {"kind": "assemblies.change_policy", "params": {"changes": {"quorum": "2"}}},
        {"kind": "assemblies.change_policy", "params": {"changes": {"colour": "red"}}},
    ],
)
def test_an_invalid_action_is_refused_when_attached(
    people: Any, community: Any, action: dict[str, Any]
) -> None:
    from dualpower.assemblies.models import Proposal

    assembly = general(community)
    if action["kind"] == "assemblies.change_policy" and "assembly" not in action["params"]:
        action = {**action, "params": {**action["params"], "assembly": assembly.pk}}
    with pytest.raises(InvalidInput):
        services.proposal_create(
            assembly=assembly, by=membership_of(people["member"], community), title="x", actions=[action]
        )
    assert not Proposal.objects.exists()


def test_actions_of_a_rejected_proposal_do_not_run(people: Any, community: Any) -> None:
    mara = membership_of(people["member"], community)
    p = open_proposal(
        general(community),
        mara,
        process="majority",
        actions=[{"kind": "members.role", "params": {"membership": mara.pk, "role": "coordinator"}}],
    )
    services.vote_cast(proposal=p, by=mara, position="disagree")
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    mara.refresh_from_db()
    assert mara.role == "member" and outcome.actions_status == Outcome.ActionsStatus.NOT_RUN
