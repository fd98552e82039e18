"""The API, with the permission matrix: each refused request gets a clear 4xx and writes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dualpower.assemblies import services
from dualpower.assemblies.models import Comment, Policy, Proposal, Vote
from dualpower.assemblies.tests.factories import after_close, general, open_proposal
from dualpower.groups.tests.factories import food, put_in_group
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db
ROLES = ["anonymous", "applicant", "observer", "member", "coordinator", "outsider"]
API = "/api/v1/communities/riverside/assemblies"


def _json(client: Any, method: str, url: str, data: Any = None) -> Any:
    return getattr(client, method)(url, data=json.dumps(data or {}), content_type="application/json")


def _writes() -> tuple[int, int, int]:
    return Proposal.objects.count(), Vote.objects.count(), Comment.objects.count()


@pytest.fixture
def ga(community: Any) -> Any:
    return general(community)


@pytest.fixture
def open_vote(ga: Any, people: Any, community: Any) -> Proposal:
    return open_proposal(ga, membership_of(people["coordinator"], community), process="consensus")


VIEW = {
    "anonymous": 401,
    "applicant": 403,
    "observer": 200,
    "member": 200,
    "coordinator": 200,
    "outsider": 403,
}
PROPOSE = {**VIEW, "observer": 403, "member": 201, "coordinator": 201}
COMMENT = {**VIEW, "observer": 201, "member": 201, "coordinator": 201}
VOTE = {**VIEW, "observer": 403}


@pytest.mark.parametrize("role", ROLES)
def test_view(client_for: Any, ga: Any, open_vote: Proposal, role: str) -> None:
    client = client_for(role)
    assert client.get(f"{API}/general").status_code == VIEW[role]
    assert client.get(f"{API}/general/proposals/{open_vote.pk}").status_code == VIEW[role]
    assert client.get(f"/c/riverside/assemblies/general/p/{open_vote.pk}/").status_code in (
        {200} if VIEW[role] == 200 else {302, 401, 403}
    )


@pytest.mark.parametrize("role", ROLES)
def test_propose(client_for: Any, ga: Any, role: str) -> None:
    before = _writes()
    response = _json(client_for(role), "post", f"{API}/general/proposals", {"title": "Plant trees"})
    assert response.status_code == PROPOSE[role], response.content
    if response.status_code != 201:
        assert response.json()["detail"] and _writes() == before


@pytest.mark.parametrize("role", ROLES)
def test_comment(client_for: Any, open_vote: Proposal, role: str) -> None:
    before = _writes()
    response = _json(
        client_for(role), "post", f"{API}/general/proposals/{open_vote.pk}/comments", {"body": "Yes!"}
    )
    assert response.status_code == COMMENT[role], response.content
    if response.status_code != 201:
        assert _writes() == before


@pytest.mark.parametrize("role", ROLES)
def test_vote(client_for: Any, open_vote: Proposal, role: str) -> None:
    before = _writes()
    response = _json(
        client_for(role), "put", f"{API}/general/proposals/{open_vote.pk}/vote", {"position": "agree"}
    )
    assert response.status_code == VOTE[role], response.content
    if response.status_code != 200:
        assert response.json()["detail"] and _writes() == before
    else:
        assert Vote.objects.count() == 1


@pytest.mark.parametrize("role", ROLES)
def test_nobody_changes_a_policy_directly(client_for: Any, ga: Any, role: str) -> None:
    response = _json(client_for(role), "patch", f"{API}/general/policy", {"quorum": "0.9"})
    assert response.status_code in (401, 403)
    assert Policy.objects.get(assembly=ga).quorum == 0


def test_voting_twice_replaces_never_two(client_for: Any, open_vote: Proposal) -> None:
    client = client_for("member")
    url = f"{API}/general/proposals/{open_vote.pk}/vote"
    assert _json(client, "put", url, {"position": "agree"}).status_code == 200
    assert _json(client, "put", url, {"position": "stand_aside"}).status_code == 200
    assert list(Vote.objects.values_list("position", flat=True)) == ["stand_aside"]
    assert client.get(url).json()["position"] == "stand_aside"


def test_voting_after_close_is_refused(client_for: Any, open_vote: Proposal) -> None:
    services.proposal_close(proposal=open_vote, now=after_close(open_vote))
    response = _json(
        client_for("member"), "put", f"{API}/general/proposals/{open_vote.pk}/vote", {"position": "agree"}
    )
    assert response.status_code == 409 and "closed" in response.json()["detail"]
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"position": "maybe"}, "position"),
        ({"position": "block"}, "reason"),
        ({"position": "block", "reason": "   "}, "reason"),
    ],
)
def test_a_bad_vote_is_refused_with_a_sentence(
    client_for: Any, open_vote: Proposal, payload: Any, field: str
) -> None:
    response = _json(client_for("member"), "put", f"{API}/general/proposals/{open_vote.pk}/vote", payload)
    assert response.status_code == 400 and response.json()["field"] == field
    assert not Vote.objects.exists()


@pytest.mark.parametrize(
    "payload",
    [
        {"title": ""},
        {"title": "x", "process": "coin-toss"},
        {"title": "x", "process": "approval", "options": [{"label": "only one"}]},
        {"title": "x", "process": "approval", "options": [{"label": "a"}, {"label": "A"}]},
        {"title": "x", "voting_mode": "carrier-pigeon"},
        {"title": "x", "process": "majority", "seats": 3},
        {"title": "x", "actions": [{"kind": "members.role", "params": {"membership": 0, "role": "x"}}]},
        {"title": "x" * 201},
    ],
)
def test_a_bad_proposal_is_refused_and_nothing_is_written(client_for: Any, ga: Any, payload: Any) -> None:
    response = _json(client_for("member"), "post", f"{API}/general/proposals", payload)
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"]
    assert not Proposal.objects.exists()


def test_results_are_hidden_until_close_when_the_policy_says_so(
    client_for: Any, open_vote: Proposal, people: Any, community: Any
) -> None:
    services.vote_cast(proposal=open_vote, by=membership_of(people["member"], community), position="agree")
    client = client_for("coordinator")
    detail = client.get(f"{API}/general/proposals/{open_vote.pk}").json()
    assert detail["running_counts"] is None
    assert client.get(f"{API}/general/proposals/{open_vote.pk}/votes").json() == []
    assert client.get(f"{API}/general/proposals/{open_vote.pk}/outcome").status_code == 404
    page = client.get(f"/c/riverside/assemblies/general/p/{open_vote.pk}/").content.decode()
    assert "Mara" not in page and "Results are shown when the vote closes" in page
    services.proposal_close(proposal=open_vote, now=after_close(open_vote))
    outcome = client.get(f"{API}/general/proposals/{open_vote.pk}/outcome").json()
    assert outcome["passed"] is True and outcome["participants"] == 1
    assert client.get(f"{API}/general/proposals/{open_vote.pk}/votes").json()[0]["name"] == "Mara"


def test_results_show_during_the_vote_when_the_policy_allows(
    client_for: Any, community: Any, people: Any
) -> None:
    ga = general(community, results_hidden_until_close=False)
    p = open_proposal(ga, membership_of(people["coordinator"], community), process="majority")
    services.vote_cast(proposal=p, by=membership_of(people["member"], community), position="agree")
    assert client_for("member").get(f"{API}/general/proposals/{p.pk}").json()["running_counts"] == {
        "agree": 1
    }
    other = open_proposal(ga, membership_of(people["coordinator"], community), process="majority")
    services.vote_cast(proposal=other, by=membership_of(people["member"], community), position="disagree")
    services.vote_cast(
        proposal=other, by=membership_of(people["coordinator"], community), position="disagree"
    )
    listed = client_for("member").get(f"{API}/general/proposals").json()["items"]
    assert {row["id"]: row["running_counts"] for row in listed} == {
        p.pk: {"agree": 1},
        other.pk: {"disagree": 2},
    }


def test_a_working_groups_assembly_is_for_its_members(client_for: Any, community: Any, people: Any) -> None:
    """Another assembly's member (a working group's) votes there; a member outside the group does not."""
    group = food(community)
    insider = make_membership(community, name="Gina")
    put_in_group(group, insider, convener=True)
    wg = services.assembly_create(
        community=community, name="Food group", kind="working_group", working_group=group
    )
    p = open_proposal(wg, insider, process="majority")
    url = f"{API}/food-group/proposals/{p.pk}/vote"
    response = _json(client_for("member"), "put", url, {"position": "agree"})
    assert response.status_code == 403 and not Vote.objects.exists()
    response = _json(client_for("member"), "post", f"{API}/food-group/proposals", {"title": "More beans"})
    assert response.status_code == 403 and Proposal.objects.count() == 1
    # Members outside the group may still speak in its discussion.
    response = _json(
        client_for("member"), "post", f"{API}/food-group/proposals/{p.pk}/comments", {"body": "Hi"}
    )
    assert response.status_code == 201
    client_for("member").logout()
    from django.test import Client

    gina = Client()
    assert insider.user is not None
    gina.force_login(insider.user)
    assert _json(gina, "put", url, {"position": "agree"}).status_code == 200
    # …and she, a member of the group's assembly, has no vote in the general assembly's proposal either way.


def test_secret_ballot_via_api_returns_a_receipt_once(client_for: Any, community: Any, people: Any) -> None:
    ga = general(community, secret_ballots=True)
    p = open_proposal(ga, membership_of(people["coordinator"], community), process="majority")
    client = client_for("member")
    url = f"{API}/general/proposals/{p.pk}/vote"
    first = _json(client, "put", url, {"position": "agree"}).json()
    assert first["secret"] and len(first["receipt"]) == 19
    assert _json(client, "put", url, {"position": "disagree"}).status_code == 409
    again = _json(client, "put", url, {"position": "disagree", "receipt": first["receipt"]}).json()
    assert again["receipt"] == ""
    assert client.get(url).json() == {**client.get(url).json(), "voted": True, "position": ""}


def test_the_list_of_proposals_pages_and_filters_as_the_orm_does(
    client_for: Any, ga: Any, people: Any, community: Any
) -> None:
    """The list read with SQL written once per process: every proposal but drafts, newest first,
    by state, a page at a time, each with its own options and actions; the same queries whatever
    the page's size."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from dualpower.assemblies.models import ProposalOption

    author = membership_of(people["coordinator"], community)
    made = [open_proposal(ga, author, title=f"Idea {i}", process="consensus") for i in range(4)]
    services.proposal_create(assembly=ga, by=author, title="Draft", body="", process="consensus", draft=True)
    poll = services.proposal_create(
        assembly=ga,
        by=author,
        title="Which colour",
        body="",
        process="approval",
        options=[{"label": "Red"}, {"label": "Blue"}],
    )
    client = client_for("member")

    def get(query: str) -> tuple[Any, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{API}/general/proposals{query}")
        assert response.status_code == 200
        return response.json(), len(queries)

    everything, n_all = get("")
    listed = (
        Proposal.objects.filter(assembly=ga)
        .exclude(state=Proposal.State.DRAFT)
        .order_by("-created_at", "-id")
    )
    assert [p["id"] for p in everything["items"]] == [p.pk for p in listed]
    assert everything["count"] == len(made) + 1 and "Draft" not in {p["title"] for p in everything["items"]}
    by_id = {p["id"]: p for p in everything["items"]}
    labels = list(ProposalOption.objects.filter(proposal=poll).values_list("label", flat=True))
    assert [o["label"] for o in by_id[poll.pk]["options"]] == labels == ["Red", "Blue"]
    assert all(by_id[p.pk]["options"] == [] for p in made)
    page, n_page = get("?limit=2&offset=1")
    assert [p["id"] for p in page["items"]] == [p.pk for p in listed[1:3]] and page["count"] == 5
    assert n_page == n_all
    voting, _n = get("?state=voting")
    assert {p["id"] for p in voting["items"]} == {p.pk for p in listed if p.state == "voting"}
    assert get("?state=draft")[0] == {"items": [], "count": 0}
    refused = client.get(f"{API}/general/proposals?state=bogus")
    assert refused.status_code == 400 and refused.json()["detail"] == "Unknown state."
