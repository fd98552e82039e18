"""The inbox against real signed requests: activities signed with F2's ``sign_cavage`` by actors a
real local HTTP server serves (so ``remote.actor_for_key`` really fetches them), POSTed through
Django's test client. Each attack of the issue is refused with nothing stored."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.utils import timezone

from dualpower.federation import ids, signatures
from dualpower.federation.models import (
    Delivery,
    Follower,
    Following,
    InboxEntry,
    OutboundActivity,
    RemoteActor,
    RemoteHost,
    RemoteObject,
)
from dualpower.federation.tests.inbox_helpers import (
    activity,
    nothing_stored,
    post,
)
from dualpower.federation.tests.remote_node import Actor, RemoteNode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("federation_site")]


def test_a_follow_of_a_community_makes_a_follower_and_an_accept_signed_as_the_community(
    client: Any, community: Any, node: RemoteNode, alice: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    follow = activity(
        alice, "Follow", ids.community_actor_id(community), to=[ids.community_actor_id(community)]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, follow, signer=alice, path=f"/ap/c/{community.slug}/inbox")
    assert response.status_code == 202
    follower = Follower.objects.get()
    assert (follower.community, follower.actor.uri, follower.follow_id) == (
        community,
        alice.uri,
        follow["id"],
    )
    # The Accept went to alice's server (its shared inbox), signed as the community's actor.
    [sent] = node.posted
    accept = sent.json
    assert (sent.path, accept["type"], accept["actor"]) == (
        "/inbox",
        "Accept",
        ids.community_actor_id(community),
    )
    assert accept["object"]["id"] == follow["id"] and accept["to"] == [alice.uri]
    from dualpower.federation import keys

    signed = signatures.verify(
        method="POST",
        path="/inbox",
        host=node.host,
        headers=sent.headers,
        body=sent.body,
        public_key_pem=keys.actor_public_pem(ids.actor_key_name(community)),
    )
    assert signed.key_id == ids.key_id(ids.community_actor_id(community))
    assert Delivery.objects.get().state == Delivery.State.DELIVERED


def test_a_replayed_activity_is_acknowledged_without_a_second_effect(
    client: Any, community: Any, alice: Actor
) -> None:
    follow = activity(alice, "Follow", ids.community_actor_id(community))
    assert post(client, follow, signer=alice).status_code == 202
    assert post(client, follow, signer=alice).status_code == 202
    assert (Follower.objects.count(), OutboundActivity.objects.count(), InboxEntry.objects.count()) == (
        1,
        1,
        1,
    )


def test_an_unsigned_post_is_refused(client: Any, community: Any, alice: Actor) -> None:
    response = post(client, activity(alice, "Follow", ids.community_actor_id(community)), signer=None)
    assert response.status_code == 401 and nothing_stored()


def test_a_body_changed_after_signing_is_refused(client: Any, community: Any, alice: Actor) -> None:
    follow = activity(alice, "Follow", ids.community_actor_id(community))
    other = json.dumps({**follow, "object": ids.community_actor_id(community) + "x"}).encode()
    assert post(client, follow, signer=alice, tamper=other).status_code == 401 and nothing_stored()


@pytest.mark.parametrize("age", [timedelta(hours=13), timedelta(hours=-2)], ids=["stale", "future"])
def test_a_stale_or_future_date_is_refused(client: Any, community: Any, alice: Actor, age: timedelta) -> None:
    follow = activity(alice, "Follow", ids.community_actor_id(community))
    response = post(client, follow, signer=alice, now=datetime.now(UTC) - age)
    assert response.status_code == 401 and nothing_stored()


def test_a_signer_who_is_not_the_actor_is_refused(
    client: Any, community: Any, node: RemoteNode, alice: Actor
) -> None:
    """CVE-2024-23832: mallory's valid signature on an activity claiming to be alice's."""
    mallory = node.actor("mallory")
    follow = activity(alice, "Follow", ids.community_actor_id(community))
    assert post(client, follow, signer=mallory).status_code == 401 and nothing_stored()


@pytest.mark.parametrize(
    "signed_for",
    ["http://elsewhere.example/ap/inbox", "http://testserver/ap/c/riverside/inbox"],
    ids=["another-host", "another-target"],
)
def test_a_signature_made_for_another_host_or_path_is_refused(
    client: Any, community: Any, alice: Actor, signed_for: str
) -> None:
    follow = activity(alice, "Follow", ids.community_actor_id(community))
    assert post(client, follow, signer=alice, url=signed_for).status_code == 401 and nothing_stored()


@pytest.mark.parametrize("kind", ["Create", "Update", "Delete"])
def test_creating_editing_or_deleting_an_object_of_another_origin_is_refused(
    client: Any, community: Any, alice: Actor, kind: str
) -> None:
    victim = {
        "id": "http://victim.example/notes/1",
        "type": "Note",
        "attributedTo": alice.uri,
        "content": "forged",
        "to": [ids.community_actor_id(community)],
    }
    response = post(
        client, activity(alice, kind, victim, to=[ids.community_actor_id(community)]), signer=alice
    )
    assert response.status_code == 400 and nothing_stored()


def test_an_oversized_body_is_refused(client: Any, community: Any, alice: Actor) -> None:
    big = activity(alice, "Follow", ids.community_actor_id(community), padding="x" * (256 * 1024))
    assert post(client, big, signer=alice).status_code == 413 and nothing_stored()


def test_a_blocked_host_is_refused(client: Any, community: Any, node: RemoteNode, alice: Actor) -> None:
    RemoteHost.objects.create(host=node.host, blocked_at=timezone.now(), block_reason="spam")
    follow = activity(alice, "Follow", ids.community_actor_id(community))
    assert post(client, follow, signer=alice).status_code == 403 and nothing_stored()
    assert not RemoteActor.objects.exists()  # refused before anything was fetched


def test_an_announced_object_is_taken_from_its_origin_not_from_the_announce(
    client: Any, community: Any, node: RemoteNode, alice: Actor
) -> None:
    bob = node.actor("bob")
    note = {"id": f"{node.base}/notes/1", "type": "Note", "attributedTo": bob.uri, "content": "the real text"}
    node.put(note)
    followed = RemoteActor.objects.create(
        uri=alice.uri,
        host=node.host,
        kind="Person",
        inbox=alice.uri + "/inbox",
        key_id=alice.key_id,
        public_key_pem=alice.public_pem,
        fetched_at=timezone.now(),
    )
    Following.objects.create(
        community=community,
        actor=followed,
        follow_id="http://testserver/ap/c/x/activities/1",
        state=Following.State.ACCEPTED,
    )
    forged = {**note, "content": "forged words put in bob's mouth"}
    assert post(client, activity(alice, "Announce", forged), signer=alice).status_code == 202
    kept = RemoteObject.objects.get()
    assert (kept.uri, kept.data["content"], kept.actor.uri) == (note["id"], "the real text", bob.uri)


def test_an_announce_of_an_object_its_origin_disowns_is_refused(
    client: Any, community: Any, node: RemoteNode, alice: Actor
) -> None:
    """The origin serves the id as attributed to an actor of another server: refused."""
    note = {"id": f"{node.base}/notes/2", "type": "Note", "attributedTo": "http://victim.example/users/v"}
    node.put(note)
    follow = activity(alice, "Follow", ids.community_actor_id(community))
    assert post(client, follow, signer=alice).status_code == 202
    Following.objects.create(
        community=community,
        actor=RemoteActor.objects.get(uri=alice.uri),
        follow_id="http://testserver/ap/c/x/activities/2",
        state=Following.State.ACCEPTED,
    )
    assert post(client, activity(alice, "Announce", note["id"]), signer=alice).status_code == 400
    assert not RemoteObject.objects.exists()


def test_only_post_is_allowed(client: Any) -> None:
    assert client.get("/ap/inbox").status_code == 405


@pytest.mark.parametrize("flaw", ["impossible-date", "id-too-long"])
def test_a_malformed_object_is_refused_not_a_server_error(
    client: Any, community: Any, node: RemoteNode, alice: Actor, flaw: str
) -> None:
    note = {
        "id": f"{node.base}/notes/9",
        "type": "Note",
        "attributedTo": alice.uri,
        "to": [ids.community_actor_id(community)],
    }
    if flaw == "impossible-date":
        note["published"] = "2026-13-45T25:00:00Z"
    else:
        note["id"] = f"{node.base}/notes/" + "n" * 600
    response = post(client, activity(alice, "Create", note), signer=alice)
    assert response.status_code == 400 and nothing_stored()
