"""Closing a vote early: when everyone has voted, or by a coordinator with a reason where the policy
permits it. The outcome is recorded by ``proposal_close`` and its actions take effect at once."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dualpower.assemblies import services
from dualpower.assemblies.jobs import windows
from dualpower.assemblies.models import Outcome, Policy, Proposal
from dualpower.assemblies.tests.factories import after_close, general, later, open_proposal
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "applicant", "observer", "member", "coordinator", "outsider"]
API = "/api/v1/communities/riverside/assemblies/general/proposals"
PAGE = "/c/riverside/assemblies/general/p"


def _three_days(ga: Any) -> list[dict[str, Any]]:
    """The action the proposals below carry: the assembly discusses for three days, not seven."""
    return [
        {"kind": "assemblies.change_policy", "params": {"assembly": ga.pk, "changes": {"discussion_days": 3}}}
    ]


@pytest.fixture
def cast(people: Any, community: Any) -> dict[str, Membership]:
    return {
        "mara": membership_of(people["member"], community),
        "cato": membership_of(people["coordinator"], community),
    }


def _proposal(community: Any, author: Membership, **policy: Any) -> Proposal:
    ga = general(community, **policy)
    return open_proposal(
        ga, author, title="Three days of discussion", process="consent", actions=_three_days(ga)
    )


def _discussion_days(proposal: Proposal) -> int:
    return Policy.objects.get(assembly=proposal.assembly).discussion_days


# ---- services ------------------------------------------------------------------------------------


def test_when_everyone_has_voted_the_author_closes_and_the_action_takes_effect(
    people: Any, cast: dict[str, Membership], community: Any
) -> None:
    proposal = _proposal(community, cast["mara"])
    for who in cast.values():
        services.vote_cast(proposal=proposal, by=who, position="agree")
    outcome = services.proposal_close_early(proposal=proposal, by=cast["mara"])
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.CLOSED
    assert outcome.passed is True and outcome.actions_status == Outcome.ActionsStatus.DONE
    assert _discussion_days(proposal) == 3
    entry = AuditEntry.objects.get(action="proposal.close_early")
    assert entry.actor_id == cast["mara"].pk and entry.data["everyone_voted"] is True


def test_before_everyone_has_voted_the_policy_must_permit_it(
    cast: dict[str, Membership], community: Any
) -> None:
    proposal = _proposal(community, cast["mara"])
    services.vote_cast(proposal=proposal, by=cast["mara"], position="agree")
    with pytest.raises(PermissionDenied, match="policy does not allow closing a vote early"):
        services.proposal_close_early(proposal=proposal, by=cast["cato"], reason="We met and agreed.")
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.VOTING and not Outcome.objects.exists()
    assert _discussion_days(proposal) == 7


def test_an_early_close_needs_a_reason(cast: dict[str, Membership], community: Any) -> None:
    proposal = _proposal(community, cast["mara"], early_close=True)
    with pytest.raises(InvalidInput, match="Say why the vote closes early") as refused:
        services.proposal_close_early(proposal=proposal, by=cast["cato"], reason="   ")
    assert refused.value.field == "reason"
    assert not Outcome.objects.exists()


def test_an_early_close_is_for_a_coordinator(cast: dict[str, Membership], community: Any) -> None:
    proposal = _proposal(community, cast["mara"], early_close=True)
    with pytest.raises(PermissionDenied, match="Only a coordinator"):
        services.proposal_close_early(proposal=proposal, by=cast["mara"], reason="I am the author.")
    assert not Outcome.objects.exists()


def test_a_coordinator_closes_early_with_a_reason_kept_in_the_audit_log(
    cast: dict[str, Membership], community: Any
) -> None:
    proposal = _proposal(community, cast["mara"], early_close=True)
    services.vote_cast(proposal=proposal, by=cast["mara"], position="agree")
    outcome = services.proposal_close_early(
        proposal=proposal, by=cast["cato"], reason="Agreed at the meeting on Tuesday."
    )
    assert outcome.passed is True and _discussion_days(proposal) == 3
    entry = AuditEntry.objects.get(action="proposal.close_early")
    assert entry.actor_id == cast["cato"].pk
    assert entry.data == {"everyone_voted": False, "reason": "Agreed at the meeting on Tuesday."}
    assert AuditEntry.objects.filter(action="proposal.close").count() == 1  # the one close path


def test_an_outsider_or_a_plain_member_cannot_close(community: Any, cast: dict[str, Membership]) -> None:
    proposal = _proposal(community, cast["cato"], early_close=True)
    bystander = make_membership(community, name="Ade")
    for who in cast.values():
        services.vote_cast(proposal=proposal, by=who, position="agree")
    services.vote_cast(proposal=proposal, by=bystander, position="agree")
    with pytest.raises(PermissionDenied, match="Only the author or a coordinator"):
        services.proposal_close_early(proposal=proposal, by=bystander)
    with pytest.raises(PermissionDenied):
        services.proposal_close_early(proposal=proposal, by=None)


def test_a_closed_vote_is_not_closed_again(cast: dict[str, Membership], community: Any) -> None:
    proposal = _proposal(community, cast["mara"], early_close=True)
    services.proposal_close(proposal=proposal, now=after_close(proposal))
    with pytest.raises(Conflict, match="already closed"):
        services.proposal_close_early(proposal=proposal, by=cast["cato"], reason="Again.")
    assert Outcome.objects.count() == 1


def test_a_vote_not_yet_open_cannot_be_closed(cast: dict[str, Membership], community: Any) -> None:
    ga = general(community, early_close=True)
    proposal = services.proposal_create(assembly=ga, by=cast["mara"], title="Later", process="consent")
    with pytest.raises(Conflict, match="has not opened yet"):
        services.proposal_close_early(proposal=proposal, by=cast["cato"], reason="Too soon.")


def test_the_clock_leaves_a_vote_everyone_has_voted_in_open_until_its_time(
    cast: dict[str, Membership], community: Any
) -> None:
    """Decided: everyone having voted lets the author or a coordinator close; the clock waits, so
    a voter may still change their vote until the announced closing time."""
    proposal = _proposal(community, cast["mara"])
    for who in cast.values():
        services.vote_cast(proposal=proposal, by=who, position="agree")
    assert "closed 0" in windows(later(0, minutes=1))
    assert "closed 1" in windows(after_close(proposal))
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.CLOSED and _discussion_days(proposal) == 3


# ---- API -----------------------------------------------------------------------------------------

CLOSE = {
    "anonymous": 401,
    "applicant": 403,
    "observer": 403,
    "member": 200,  # the author
    "coordinator": 200,
    "outsider": 403,
}


def _post(client: Any, url: str, data: Any) -> Any:
    return client.post(url, data=json.dumps(data), content_type="application/json")


@pytest.mark.parametrize("role", ROLES)
def test_api_close_role_matrix(
    client_for: Any, cast: dict[str, Membership], community: Any, role: str
) -> None:
    proposal = _proposal(community, cast["mara"])
    for who in cast.values():
        services.vote_cast(proposal=proposal, by=who, position="agree")
    response = _post(client_for(role), f"{API}/{proposal.pk}/close", {"reason": ""})
    assert response.status_code == CLOSE[role], response.content
    proposal.refresh_from_db()
    if response.status_code == 200:
        assert response.json()["passed"] is True and response.json()["actions_status"] == "done"
        assert proposal.state == Proposal.State.CLOSED and _discussion_days(proposal) == 3
    else:
        assert response.json()["detail"]
        assert proposal.state == Proposal.State.VOTING and _discussion_days(proposal) == 7


def test_api_close_refusals_say_why(client_for: Any, cast: dict[str, Membership], community: Any) -> None:
    proposal = _proposal(community, cast["mara"])
    client = client_for("coordinator")
    url = f"{API}/{proposal.pk}/close"
    refused = _post(client, url, {"reason": "Because."})
    assert refused.status_code == 403 and "policy does not allow" in refused.json()["detail"]
    Policy.objects.filter(assembly=proposal.assembly).update(early_close=True)
    no_reason = _post(client, url, {})
    assert no_reason.status_code == 400 and no_reason.json()["field"] == "reason"
    assert _post(client, url, {"reason": "x" * 1001}).status_code in (400, 422)
    done = _post(client, url, {"reason": "We agreed in the room."})
    assert done.status_code == 200 and done.json()["passed"] is False  # nobody voted: no consent
    again = _post(client, url, {"reason": "Again."})
    assert again.status_code == 409 and "already closed" in again.json()["detail"]


# ---- pages ---------------------------------------------------------------------------------------


def test_the_page_asks_first_and_shows_the_outcome_at_once(
    client_for: Any, cast: dict[str, Membership], community: Any
) -> None:
    proposal = _proposal(community, cast["mara"], early_close=True)
    services.vote_cast(proposal=proposal, by=cast["mara"], position="agree")
    member = client_for("member").get(f"{PAGE}/{proposal.pk}/").content.decode()
    assert "Close the vote now" not in member  # the author may close only once everyone has voted
    client = client_for("coordinator")
    page = client.get(f"{PAGE}/{proposal.pk}/").content.decode()
    assert "Close the vote now" in page and "This cannot be undone." in page
    assert 'name="reason" rows="2" maxlength="1000" required' in page
    assert "1 member has not voted yet" in page
    refused = client.post(f"{PAGE}/{proposal.pk}/close/", {"reason": ""}, follow=True)
    assert "Say why the vote closes early" in refused.content.decode()
    assert not Outcome.objects.exists()
    response = client.post(f"{PAGE}/{proposal.pk}/close/", {"reason": "Agreed in the room."})
    assert response.status_code == 302 and response.url.endswith("#outcome-h")
    shown = client.get(response.url.split("#")[0]).content.decode()
    assert "The vote is closed" in shown and "Outcome" in shown
    assert "Close the vote now" not in shown
    assert _discussion_days(proposal) == 3


def test_when_everyone_has_voted_the_author_sees_the_close_button_without_a_reason(
    client_for: Any, cast: dict[str, Membership], community: Any
) -> None:
    proposal = _proposal(community, cast["mara"])
    client = client_for("member")
    assert "Close the vote now" not in client.get(f"{PAGE}/{proposal.pk}/").content.decode()
    for who in cast.values():
        services.vote_cast(proposal=proposal, by=who, position="agree")
    page = client.get(f"{PAGE}/{proposal.pk}/").content.decode()
    assert "Everyone who can vote has voted" in page and "required" not in page.split("close-reason")[2][:80]
    response = client.post(f"{PAGE}/{proposal.pk}/close/", {"reason": ""})
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.CLOSED and _discussion_days(proposal) == 3


def test_the_policy_page_shows_the_setting_and_a_decision_turns_it_on(
    client_for: Any, cast: dict[str, Membership], community: Any
) -> None:
    ga = general(community)
    page = client_for("member").get("/c/riverside/assemblies/general/policy/").content.decode()
    assert "A coordinator may close a vote early, giving a reason" in page
    proposal = open_proposal(
        ga,
        cast["mara"],
        title="Let a coordinator close a vote early",
        process="consent",
        actions=[
            {
                "kind": "assemblies.change_policy",
                "params": {"assembly": ga.pk, "changes": {"early_close": "yes"}},
            }
        ],
    )
    for who in cast.values():
        services.vote_cast(proposal=proposal, by=who, position="agree")
    services.proposal_close_early(proposal=proposal, by=cast["cato"])
    assert Policy.objects.get(assembly=ga).early_close is True
    api = client_for("member").get("/api/v1/communities/riverside/assemblies/general").json()
    assert api["policy"]["early_close"] is True
