"""The Network page and the operators' page, through the test client, with a real server in a
thread for what they send (remote_node.py). Query counts do not grow with the rows listed."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualpower.assemblies.tests.factories import general
from dualpower.community.models import AuditEntry
from dualpower.federation import ids, remote
from dualpower.federation.models import (
    Delivery,
    Follower,
    Following,
    OutboundActivity,
    Peer,
    RemoteActor,
    RemoteHost,
)
from dualpower.federation.tests.remote_node import Actor, RemoteNode
from dualpower.members.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("federation_site")]
NETWORK = "/c/riverside/network/"
OPERATOR = "/setup/federation/"


@pytest.fixture
def garden(node: RemoteNode) -> Actor:
    made = node.actor("garden", kind="Group", dualpower=True)
    node.documents[f"/.well-known/webfinger?resource=acct:garden@{node.host}"] = {
        "subject": f"acct:garden@{node.host}",
        "links": [{"rel": "self", "type": "application/activity+json", "href": made.uri}],
    }
    return made


@pytest.fixture
def operator_client(client: Any) -> Any:
    client.force_login(UserFactory.create(email="ops@example.org", is_staff=True))
    return client


def remote_actor(n: int, *, kind: str = RemoteActor.Kind.GROUP, host: str = "far.example") -> RemoteActor:
    return RemoteActor.objects.create(
        uri=f"https://{host}/users/{kind.lower()}{n}",
        host=host,
        kind=kind,
        username=f"{kind.lower()}{n}",
        name=f"{kind} {n}",
        inbox=f"https://{host}/users/{kind.lower()}{n}/inbox",
        fetched_at=timezone.now(),
    )


def network_rows(community: Any, n: int, start: int = 0) -> None:
    """n of each thing the Network page lists: peers in each state, followers, following, known."""
    states = list(Peer.State)
    for i in range(start, start + n):
        group = remote_actor(i)
        Peer.objects.create(community=community, actor=group, state=states[i % len(states)])
        person = remote_actor(i, kind=RemoteActor.Kind.PERSON)
        Follower.objects.create(community=community, actor=person, follow_id=f"{person.uri}/follow")
        followed = remote_actor(1000 + i)
        Following.objects.create(community=community, actor=followed, follow_id=f"http://testserver/f/{i}")


def dead_letters(n: int, host: str = "down.example") -> list[Delivery]:
    made = []
    for _ in range(n):
        activity = OutboundActivity.objects.create(
            uri=f"http://testserver/ap/activities/{uuid.uuid4()}", kind="Create", audience="public", data={}
        )
        made.append(
            Delivery.objects.create(
                activity=activity,
                inbox=f"https://{host}/inbox",
                host=host,
                state=Delivery.State.DEAD,
                next_attempt_at=timezone.now(),
                last_error="HTTP 500",
                attempts=16,
            )
        )
    return made


def queries(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_members_read_the_network_and_only_coordinators_get_the_follow_form(
    client_for: Any, community: Any
) -> None:
    network_rows(community, 4)
    page = client_for("member").get(NETWORK)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Offers waiting for our decision" in html and "Group 3" in html  # INVITED comes first
    assert "4 accounts elsewhere follow this community." in html
    assert 'name="handle"' not in html and "Stop following" not in html
    assert 'name="handle"' in client_for("coordinator").get(NETWORK).content.decode()
    assert client_for("outsider").get(NETWORK).status_code == 403
    assert client_for("anonymous").get(NETWORK).status_code == 302  # to sign in


def test_a_peering_is_proposed_from_the_page_with_the_community_chosen(
    client_for: Any, community: Any
) -> None:
    assembly = general(community)
    group = remote_actor(1)
    Peer.objects.create(community=community, actor=group, state=Peer.State.INVITED)
    client = client_for("member")
    html = client.get(NETWORK).content.decode()
    link = f"/c/riverside/assemblies/{assembly.slug}/propose/?process={assembly.policy.default_process}"
    assert f"{link}&amp;action=federation.peer&amp;a_actor={group.pk}" in html
    form = client.get(f"{link}&action=federation.peer&a_actor={group.pk}").content.decode()
    assert f'<option value="{group.pk}" selected>Group 1 (@group1@far.example)</option>' in form
    # Left empty, the choice says the address is typed below (not "Leave as it is").
    assert '<option value="">Not in this list: I give its address below</option>' in form
    # An observer reads the network but does not propose.
    assert "action=federation.peer" not in client_for("observer").get(NETWORK).content.decode()


def test_a_coordinator_follows_by_address_and_stops(
    client_for: Any, community: Any, node: RemoteNode, garden: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    client = client_for("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(NETWORK, {"handle": f"@garden@{node.host}"})
    assert response.status_code == 302
    following = Following.objects.get()
    assert (following.actor.uri, following.state) == (garden.uri, Following.State.PENDING)
    [follow] = [p.json for p in node.posted]
    assert (follow["type"], follow["object"], follow["id"]) == ("Follow", garden.uri, following.follow_id)
    assert AuditEntry.objects.filter(action="federation.follow", community=community).exists()

    assert client.post(NETWORK, {"handle": f"@garden@{node.host}"}).status_code == 400  # already
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{NETWORK}following/{following.pk}/stop/")
    assert not Following.objects.exists()
    undo = node.posted[-1].json
    assert (undo["type"], undo["object"]["id"]) == ("Undo", follow["id"])


def test_an_address_that_leads_nowhere_is_said_on_the_field(client_for: Any, node: RemoteNode) -> None:
    response = client_for("coordinator").post(NETWORK, {"handle": f"@nobody@{node.host}"})
    assert response.status_code == 400
    assert "could not be found" in response.content.decode() and not Following.objects.exists()


def test_a_member_cannot_follow_or_remove(client_for: Any, community: Any) -> None:
    follower = Follower.objects.create(
        community=community, actor=remote_actor(1), follow_id="https://x.example/f"
    )
    client = client_for("member")
    assert client.post(NETWORK, {"handle": "@a@b.example"}).status_code == 403
    assert client.post(f"{NETWORK}followers/{follower.pk}/remove/").status_code == 403
    assert Follower.objects.exists()


def test_a_coordinator_removes_a_follower_who_is_told(
    client_for: Any, community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    bob = remote.actor_get(node.actor("bob").uri)
    follower = Follower.objects.create(community=community, actor=bob, follow_id=f"{bob.uri}/follows/1")
    with django_capture_on_commit_callbacks(execute=True):
        client_for("coordinator").post(f"{NETWORK}followers/{follower.pk}/remove/")
    assert not Follower.objects.exists()
    reject = node.posted[-1].json
    assert reject["type"] == "Reject" and reject["object"]["id"] == follower.follow_id
    assert reject["object"]["object"] == ids.community_actor_id(community)


def test_the_network_page_costs_the_same_with_more_rows(client_for: Any, community: Any) -> None:
    general(community)
    client = client_for("coordinator")
    network_rows(community, 3)
    few = queries(client, NETWORK)
    network_rows(community, 30, start=3)
    assert queries(client, NETWORK) <= few <= 30


def test_only_operators_open_the_operators_page(client_for: Any, operator_client: Any, people: Any) -> None:
    assert operator_client.get(OPERATOR).status_code == 200
    for role in ("member", "coordinator"):
        assert client_for(role).get(OPERATOR).status_code == 403
        assert client_for(role).post(OPERATOR, {"host": "bad.example"}).status_code == 403
    assert not RemoteHost.objects.exists()
    # A coordinator who also runs the server finds the operators' page from the Network page.
    assert OPERATOR not in client_for("coordinator").get(NETWORK).content.decode()
    people["coordinator"].is_staff = True
    people["coordinator"].save()
    assert OPERATOR in client_for("coordinator").get(NETWORK).content.decode()


def test_blocking_a_server_drops_its_followers_and_what_waited_for_it(
    community: Any, operator_client: Any
) -> None:
    blocked = remote_actor(1, kind=RemoteActor.Kind.PERSON, host="bad.example")
    Follower.objects.create(community=community, actor=blocked, follow_id="https://bad.example/f/1")
    Follower.objects.create(community=community, actor=remote_actor(2), follow_id="https://far.example/f/2")
    [waiting] = dead_letters(1, host="bad.example")
    waiting.state = Delivery.State.PENDING
    waiting.save()
    response = operator_client.post(OPERATOR, {"host": "https://Bad.Example/users/x", "reason": "harassment"})
    assert response.status_code == 302
    host = RemoteHost.objects.get()
    assert (host.host, host.block_reason, host.blocked_at is not None) == ("bad.example", "harassment", True)
    assert list(Follower.objects.values_list("actor__host", flat=True)) == ["far.example"]
    assert not Delivery.objects.exists()
    assert AuditEntry.objects.get(action="federation.host_block").summary == "bad.example"
    assert "bad.example" in operator_client.get(OPERATOR).content.decode()

    assert operator_client.post(OPERATOR, {"host": "bad.example"}).status_code == 400  # already
    operator_client.post(f"{OPERATOR}hosts/{host.pk}/unblock/")
    host.refresh_from_db()
    assert host.blocked_at is None


def test_an_operator_sends_a_dead_letter_again(operator_client: Any, settings: Any) -> None:
    # Queued, not attempted: down.example does not exist.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    first, *_others = dead_letters(3)
    operator_client.post(f"{OPERATOR}dead/{first.pk}/retry/")
    first.refresh_from_db()
    assert (first.state, first.attempts, first.last_error) == (Delivery.State.PENDING, 0, "")
    operator_client.post(f"{OPERATOR}dead/retry/")
    assert set(Delivery.objects.values_list("state", flat=True)) == {Delivery.State.PENDING}
    assert AuditEntry.objects.filter(action="federation.delivery_retry").count() == 3


def test_the_operators_page_costs_the_same_with_more_rows(operator_client: Any) -> None:
    dead_letters(2)
    RemoteHost.objects.create(host="slow.example", failures=6, failing_since=timezone.now())
    RemoteHost.objects.create(host="bad.example", blocked_at=timezone.now())
    few = queries(operator_client, OPERATOR)
    dead_letters(30)
    for i in range(20):
        RemoteHost.objects.create(host=f"slow{i}.example", failures=6, failing_since=timezone.now())
        RemoteHost.objects.create(host=f"bad{i}.example", blocked_at=timezone.now())
    assert queries(operator_client, OPERATOR) <= few <= 15
