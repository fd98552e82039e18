"""What inbox activities do, once verified: replies kept (and edited, deleted), follows ended
and answered, actors refreshed or gone, and the same activity taken once when it arrives twice at
the same moment. Signed requests from actors served by a real local HTTP server."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dualpower.federation import ids, signatures
from dualpower.federation.models import (
    Follower,
    Following,
    InboxEntry,
    OutboundActivity,
    RemoteActor,
    RemoteObject,
)
from dualpower.federation.tests.inbox_helpers import activity, post
from dualpower.federation.tests.remote_node import Actor, RemoteNode, rsa_pair

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("federation_site")]


def test_a_reply_to_a_community_is_kept_and_its_deletion_leaves_a_tombstone(
    client: Any, community: Any, node: RemoteNode, alice: Actor
) -> None:
    note = {
        "id": f"{node.base}/notes/3",
        "type": "Note",
        "attributedTo": alice.uri,
        "content": "hello",
        "to": [ids.community_actor_id(community)],
    }
    assert post(client, activity(alice, "Create", note), signer=alice).status_code == 202
    assert RemoteObject.objects.get().community == community
    edited = {**note, "content": "hello, edited"}
    assert post(client, activity(alice, "Update", edited), signer=alice).status_code == 202
    assert RemoteObject.objects.get().data["content"] == "hello, edited"
    assert post(client, activity(alice, "Delete", note["id"]), signer=alice).status_code == 202
    gone = RemoteObject.objects.get()
    assert gone.deleted_at is not None and "content" not in gone.data


def test_a_post_for_nobody_here_is_not_kept(
    client: Any, community: Any, node: RemoteNode, alice: Actor
) -> None:
    note = {"id": f"{node.base}/notes/4", "type": "Note", "attributedTo": alice.uri, "content": "spam"}
    assert post(client, activity(alice, "Create", note), signer=alice).status_code == 202
    assert not RemoteObject.objects.exists()


def test_undo_of_a_follow_ends_it(client: Any, community: Any, alice: Actor) -> None:
    follow = activity(alice, "Follow", ids.community_actor_id(community))
    post(client, follow, signer=alice)
    assert post(client, activity(alice, "Undo", follow), signer=alice).status_code == 202
    assert not Follower.objects.exists()


def test_an_accept_of_our_follow_counts_only_from_the_followed(
    client: Any, community: Any, node: RemoteNode, alice: Actor
) -> None:
    mallory = node.actor("mallory")
    post(client, activity(mallory, "Follow", ids.community_actor_id(community)), signer=mallory)  # known now
    post(client, activity(alice, "Follow", ids.community_actor_id(community)), signer=alice)
    ours = Following.objects.create(
        community=community,
        actor=RemoteActor.objects.get(uri=alice.uri),
        follow_id=f"http://testserver/ap/c/{community.slug}/activities/{uuid.uuid4()}",
    )
    assert post(client, activity(mallory, "Accept", ours.follow_id), signer=mallory).status_code == 403
    ours.refresh_from_db()
    assert ours.state == Following.State.PENDING
    assert post(client, activity(alice, "Accept", ours.follow_id), signer=alice).status_code == 202
    ours.refresh_from_db()
    assert ours.state == Following.State.ACCEPTED


def test_a_rotated_key_is_fetched_again_before_refusing(
    client: Any, community: Any, node: RemoteNode, alice: Actor
) -> None:
    post(client, activity(alice, "Follow", ids.community_actor_id(community)), signer=alice)
    # Fetched more than a minute ago: a key that no longer matches is fetched again.
    RemoteActor.objects.filter(uri=alice.uri).update(fetched_at=timezone.now() - timedelta(minutes=2))
    rotated = node.rotate_key("alice")
    note = {
        "id": f"{node.base}/notes/5",
        "type": "Note",
        "attributedTo": alice.uri,
        "content": "new key",
        "to": [ids.community_actor_id(community)],
    }
    assert post(client, activity(rotated, "Create", note), signer=rotated).status_code == 202
    assert RemoteActor.objects.get(uri=alice.uri).public_key_pem == rotated.public_pem


def test_forged_signatures_do_not_make_the_node_fetch_again_and_again(
    client: Any, community: Any, node: RemoteNode, alice: Actor
) -> None:
    post(client, activity(alice, "Follow", ids.community_actor_id(community)), signer=alice)
    fetched = len(node.fetched)
    forger = Actor(uri=alice.uri, key_id=alice.key_id, private_pem=rsa_pair()[0], public_pem="")
    for n in range(3):
        forged = activity(alice, "Create", {"id": f"{node.base}/notes/f{n}", "type": "Note", "content": "x"})
        assert post(client, forged, signer=forger).status_code == 401
    assert len(node.fetched) == fetched  # the key fetched a moment ago is not asked for again
    assert not RemoteObject.objects.exists()


def test_an_update_of_an_actor_fetches_it_from_its_origin(
    client: Any, community: Any, node: RemoteNode, alice: Actor
) -> None:
    post(client, activity(alice, "Follow", ids.community_actor_id(community)), signer=alice)
    node.documents["/users/alice"]["name"] = "Alice from the origin"
    claimed = {**node.documents["/users/alice"], "name": "What the Update says"}
    assert post(client, activity(alice, "Update", claimed), signer=alice).status_code == 202
    assert RemoteActor.objects.get(uri=alice.uri).name == "Alice from the origin"


def test_a_deleted_actor_follows_nothing_any_more(client: Any, community: Any, alice: Actor) -> None:
    post(client, activity(alice, "Follow", ids.community_actor_id(community)), signer=alice)
    assert post(client, activity(alice, "Delete", alice.uri), signer=alice).status_code == 202
    assert not Follower.objects.exists()


@pytest.mark.db_sensitive
def test_the_same_activity_arriving_twice_at_once_takes_effect_once(
    transactional_db: None, community: Any, alice: Actor, settings: Any
) -> None:
    import threading

    from django.db import connection

    from dualpower.federation import inbox

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}  # queued, not run
    follow = activity(alice, "Follow", ids.community_actor_id(community))
    body = json.dumps(follow).encode()
    headers = {
        name.lower(): value
        for name, value in signatures.sign_cavage(
            method="POST",
            url="http://testserver/ap/inbox",
            body=body,
            key_id=alice.key_id,
            private_key_pem=alice.private_pem,
        ).items()
    } | {"host": "testserver"}
    start = threading.Barrier(2)
    statuses: list[int] = []

    def receive() -> None:
        start.wait()
        try:
            statuses.append(
                inbox.inbox_receive(method="POST", path="/ap/inbox", headers=headers, body=body).status
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=receive) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [202, 202]
    assert (Follower.objects.count(), OutboundActivity.objects.count(), InboxEntry.objects.count()) == (
        1,
        1,
        1,
    )


def test_a_post_sent_by_reference_is_fetched_from_its_origin(
    client: Any, community: Any, node: RemoteNode, alice: Actor
) -> None:
    note = {
        "id": f"{node.base}/notes/6",
        "type": "Note",
        "attributedTo": alice.uri,
        "content": "fetched",
        "to": [ids.community_actor_id(community)],
    }
    node.put(note)
    assert post(client, activity(alice, "Create", note["id"]), signer=alice).status_code == 202
    assert RemoteObject.objects.get().data["content"] == "fetched"
    elsewhere = activity(alice, "Create", "http://victim.example/notes/1")
    assert post(client, elsewhere, signer=alice).status_code == 400
    assert RemoteObject.objects.count() == 1
