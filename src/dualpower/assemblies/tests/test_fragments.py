"""An assembly's page, a proposal's page and the API's list of proposals keep what they show
while the data is unchanged (web/fragments.py): a second visit, with nothing written between, asks
the database for the visitor's session alone (none of the lists, counts, votes, amendments or
comments is read again), a write through the services shows on the next visit, and what one person
was shown is never served to another who may do something else (put a proposal forward, steer or
close a vote, vote themselves).

Transactional tests: inside an ordinary test's transaction no fragment is kept."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from dualpower.assemblies import services
from dualpower.assemblies.models import Proposal
from dualpower.assemblies.tests.factories import ProposalFactory, general, open_proposal
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, membership_of
from dualpower.web.tests.kept import SESSION_ALONE, signed_in, visit, without_tokens

pytestmark = [
    # Not in the PostgreSQL pass: what a page keeps is the same code on both databases; the count
    # it is keyed by is checked on both by tests/test_fragments.py (transactional tests cost a
    # flush of every table each on PostgreSQL).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_log_emptied_after"),
]


def test_the_assembly_page_is_kept_until_a_write(community: Any, people: dict[str, Any]) -> None:
    coordinator = membership_of(people["coordinator"], community)
    assembly = general(community)
    open_proposal(assembly, coordinator, title="Paint the hall")
    url = assembly.get_absolute_url()
    (client,) = signed_in(people["coordinator"])
    _, page = visit(client, url)
    second, again = visit(client, url)
    assert second == SESSION_ALONE
    assert without_tokens(again) == without_tokens(page)
    assert "Paint the hall" in again and "Fix the roof" not in again
    # A proposal put forward through the service shows on the next visit, and the count of voters.
    ProposalFactory.create(assembly=assembly, by=coordinator, title="Fix the roof")
    _, after = visit(client, url)
    assert "Fix the roof" in after
    voters = re.search(r"(\d+) members vote here", after)
    assert voters is not None
    make_membership(community, name="Newcomer")
    _, later = visit(client, url)
    assert f"{int(voters.group(1)) + 1} members vote here" in later


def test_the_assembly_page_of_one_is_not_served_to_another(community: Any, people: dict[str, Any]) -> None:
    coordinator = membership_of(people["coordinator"], community)
    assembly = general(community)
    open_proposal(assembly, coordinator, title="Paint the hall")
    services.proposal_create(
        assembly=assembly, by=coordinator, title="My unfinished idea", process="consent", draft=True
    )
    url = assembly.get_absolute_url()
    # Everyone signs in first: signing in writes (the last login), which would drop what is kept.
    runner, observer, member = signed_in(*(people[r] for r in ("coordinator", "observer", "member")))
    visit(runner, url)
    _, seen = visit(runner, url)
    assert "Put a proposal forward" in seen and "My unfinished idea" in seen
    _, watched = visit(observer, url)
    assert "Paint the hall" in watched  # the shared part
    assert "Put a proposal forward" not in watched and "My unfinished idea" not in watched
    _, other = visit(member, url)
    assert "Put a proposal forward" in other and "My unfinished idea" not in other


def voting(community: Any, people: dict[str, Any]) -> tuple[Proposal, Membership, Membership]:
    """An open vote whose running count and votes show (the policy does not hide them)."""
    coordinator = membership_of(people["coordinator"], community)
    member = membership_of(people["member"], community)
    assembly = general(community, results_hidden_until_close=False, early_close=True)
    proposal = open_proposal(assembly, coordinator, title="Paint the hall")
    return proposal, coordinator, member


def test_the_proposal_page_is_kept_until_a_write(community: Any, people: dict[str, Any]) -> None:
    proposal, coordinator, member = voting(community, people)
    url = proposal.get_absolute_url()
    (client,) = signed_in(people["coordinator"])
    _, page = visit(client, url)
    second, again = visit(client, url)
    assert second == SESSION_ALONE
    assert without_tokens(again) == without_tokens(page)
    assert "No comments yet." in again and "How members voted" not in again
    assert "2 members have not voted yet." in again
    # A comment, then a vote, through the services: each shows on the next visit.
    services.comment_add(proposal=proposal, by=member, body="Which colour?")
    _, after = visit(client, url)
    assert "Which colour?" in after and "No comments yet." not in after
    services.vote_cast(proposal=proposal, by=member, position="agree", reason="Bright is good")
    _, voted = visit(client, url)
    assert "How members voted" in voted and "Bright is good" in voted
    assert "1 member has not voted yet." in voted
    # The coordinator's own vote is theirs: their form says so on the next visit.
    assert "Change your vote" not in voted
    services.vote_cast(proposal=proposal, by=coordinator, position="agree")
    _, mine = visit(client, url)
    assert "Change your vote" in mine


def test_the_proposal_page_of_one_is_not_served_to_another(community: Any, people: dict[str, Any]) -> None:
    proposal, _coordinator, member = voting(community, people)
    url = proposal.get_absolute_url()
    services.vote_cast(proposal=proposal, by=member, position="object", reason="Too dark")
    runner, voter, observer = signed_in(*(people[r] for r in ("coordinator", "member", "observer")))
    visit(runner, url)
    _, seen = visit(runner, url)
    assert "Steer this proposal" in seen and "Close the vote now…" in seen
    assert "Your vote" in seen and "Change your vote" not in seen
    _, theirs = visit(voter, url)
    assert "Steer this proposal" not in theirs and "Close the vote now…" not in theirs
    assert "Change your vote" in theirs and 'value="object" checked' in theirs
    assert "Too dark" in theirs  # the shared list of votes, and their reason in their own form
    _, watched = visit(observer, url)
    assert "Steer this proposal" not in watched and "Close the vote now…" not in watched
    assert "Your vote" not in watched and "Change your vote" not in watched
    assert "How members voted" in watched
    # The author's buttons on an amendment are the author's alone.
    discussed = ProposalFactory.create(assembly=proposal.assembly, by=member, title="Plant trees")
    by = membership_of(people["coordinator"], community)
    services.amendment_propose(proposal=discussed, by=by, body="Oaks")
    runner, voter = signed_in(people["coordinator"], people["member"])
    visit(runner, discussed.get_absolute_url())
    _, not_author = visit(runner, discussed.get_absolute_url())
    _, author = visit(voter, discussed.get_absolute_url())
    assert "Accept into my proposal" in author and "Accept into my proposal" not in not_author


def test_the_api_list_is_kept_until_a_write(community: Any, people: dict[str, Any]) -> None:
    proposal, coordinator, _member = voting(community, people)
    url = f"/api/v1/communities/{community.slug}/assemblies/{proposal.assembly.slug}/proposals"
    (client,) = signed_in(people["member"])
    _, body = visit(client, url)
    second, again = visit(client, url)
    assert second == SESSION_ALONE
    assert again == body and json.loads(body)["count"] == 1
    # Another page of the list, another state, are kept apart.
    assert json.loads(visit(client, url + "?state=closed")[1])["count"] == 0
    assert json.loads(visit(client, url + "?offset=1")[1])["items"] == []
    ProposalFactory.create(assembly=proposal.assembly, by=coordinator, title="Fix the roof")
    _, after = visit(client, url)
    found = json.loads(after)
    assert found["count"] == 2 and "Fix the roof" in [p["title"] for p in found["items"]]
    # An outsider is refused, whatever is kept.
    (outsider,) = signed_in(people["outsider"])
    assert outsider.get(url).status_code in (403, 404)


def test_the_delegations_are_the_visitors_own(community: Any, people: dict[str, Any]) -> None:
    """Where members may delegate, each sees the delegations they gave (read only for them)."""
    coordinator = membership_of(people["coordinator"], community)
    member = membership_of(people["member"], community)
    assembly = general(community, liquid_delegation=True)
    services.delegation_set(assembly=assembly, by=coordinator, delegate=member, topic="roads")
    url = assembly.get_absolute_url()
    runner, voter = signed_in(people["coordinator"], people["member"])
    visit(runner, url)
    _, seen = visit(runner, url)
    assert "Delegate your vote" in seen and "topic: roads" in seen and "Take back" in seen
    _, theirs = visit(voter, url)
    assert "Delegate your vote" in theirs and "topic: roads" not in theirs and "Take back" not in theirs
