"""Guides between servers: what a peer sends is kept (signed, from its own origin only), updated
by newer versions, removed by its Delete; a guide is served at its id to whom it is shared with
(public: anyone; peers only: signed requests from an active peer) and to nobody else."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from dualpower.commons import objects, services
from dualpower.commons.models import Licence, ReceivedGuide, Visibility
from dualpower.commons.tests.factories import make_guide, text
from dualpower.federation import ids, remote, signatures
from dualpower.federation.models import Following, InboxEntry, Peer
from dualpower.federation.tests.inbox_helpers import post
from dualpower.federation.tests.remote_node import Actor, RemoteNode

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive, pytest.mark.usefixtures("federation_site")]
AS = "https://www.w3.org/ns/activitystreams"
PUBLIC = AS + "#Public"


@pytest.fixture
def garden(node: RemoteNode, community: Any) -> Actor:
    """A community on another server that is an active peer of ours."""
    made = node.actor("garden", kind="Group")
    Peer.objects.create(community=community, actor=remote.actor_get(made.uri), state=Peer.State.ACTIVE)
    return made


def guide(
    actor: Actor, *, n: int = 1, version: int = 1, to: list[str] | None = None, **extra: Any
) -> dict[str, Any]:
    base = actor.uri.rsplit("/users/", 1)[0]
    return {
        "id": f"{base}/guides/{n}",
        "type": "Document",
        "name": "Tool library rules",
        "content": "<p>Borrow for a week.</p><p>Bring it back clean.</p>",
        "source": {"content": "Borrow for a week.\n\nBring it back clean.", "mediaType": "text/plain"},
        "contentMap": {"en": "<p>Borrow for a week.</p>"},
        "guideKind": "policy",
        "version": version,
        "license": "https://creativecommons.org/licenses/by-sa/4.0/",
        "attributedTo": actor.uri,
        "to": to if to is not None else [],
        **extra,
    }


def activity(actor: Actor, kind: str, obj: Any, to: list[str]) -> dict[str, Any]:
    base = actor.uri.rsplit("/users/", 1)[0]
    return {
        "@context": objects.GUIDE_CONTEXT,
        "id": f"{base}/activities/{uuid.uuid4()}",
        "type": kind,
        "actor": actor.uri,
        "object": obj,
        "to": to,
    }


def test_a_peers_guide_is_kept_with_its_licence_and_origin(
    client: Any, community: Any, garden: Actor
) -> None:
    ours = ids.community_actor_id(community)
    response = post(client, activity(garden, "Create", guide(garden, to=[ours]), [ours]), signer=garden)
    assert response.status_code == 202
    kept = ReceivedGuide.objects.get()
    assert (kept.community, kept.title, kept.kind, kept.licence, kept.version, kept.language) == (
        community,
        "Tool library rules",
        "policy",
        Licence.CC_BY_SA,
        1,
        "en",
    )
    assert kept.body == "Borrow for a week.\n\nBring it back clean." and kept.origin_name == "garden"
    assert kept.actor_uri == garden.uri and not kept.is_public


def test_an_object_of_another_origin_is_refused_and_nothing_kept(
    client: Any, community: Any, garden: Actor
) -> None:
    ours = ids.community_actor_id(community)
    forged = guide(garden, to=[ours]) | {"id": "https://elsewhere.example/guides/1"}
    response = post(client, activity(garden, "Create", forged, [ours]), signer=garden)
    assert response.status_code == 400
    assert not ReceivedGuide.objects.exists() and not InboxEntry.objects.exists()


def test_an_object_attributed_to_another_actor_is_refused(
    client: Any, community: Any, garden: Actor, node: RemoteNode
) -> None:
    other = node.actor("other", kind="Group")
    ours = ids.community_actor_id(community)
    forged = guide(garden, to=[ours]) | {"attributedTo": other.uri}
    assert post(client, activity(garden, "Create", forged, [ours]), signer=garden).status_code == 400
    assert not ReceivedGuide.objects.exists()


def test_a_stranger_s_guide_is_not_kept(client: Any, community: Any, node: RemoteNode) -> None:
    stranger = node.actor("stranger", kind="Group")
    ours = ids.community_actor_id(community)
    assert (
        post(
            client, activity(stranger, "Create", guide(stranger, to=[ours]), [ours]), signer=stranger
        ).status_code
        == 202
    )
    assert not ReceivedGuide.objects.exists()


def test_a_followed_community_s_public_guide_is_kept_but_not_its_peers_only_ones(
    client: Any, community: Any, node: RemoteNode
) -> None:
    followed = node.actor("followed", kind="Group")
    Following.objects.create(
        community=community,
        actor=remote.actor_get(followed.uri),
        follow_id="http://testserver/ap/f/1",
        state=Following.State.ACCEPTED,
    )
    post(client, activity(followed, "Create", guide(followed, n=1, to=[]), []), signer=followed)
    post(client, activity(followed, "Create", guide(followed, n=2, to=[PUBLIC]), [PUBLIC]), signer=followed)
    kept = ReceivedGuide.objects.get()
    assert kept.uri.endswith("/guides/2") and kept.is_public


def test_newer_versions_replace_older_ones_and_never_the_reverse(
    client: Any, community: Any, garden: Actor
) -> None:
    ours = ids.community_actor_id(community)
    post(client, activity(garden, "Create", guide(garden, version=1, to=[ours]), [ours]), signer=garden)
    post(
        client,
        activity(garden, "Update", guide(garden, version=3, name="v3", to=[ours]), [ours]),
        signer=garden,
    )
    post(
        client,
        activity(garden, "Update", guide(garden, version=2, name="v2", to=[ours]), [ours]),
        signer=garden,
    )
    kept = ReceivedGuide.objects.get()
    assert (kept.version, kept.title) == (3, "v3")
    # A Delete of an older version (arriving late) leaves the newer one; of this one removes it.
    gone = {"id": kept.uri, "type": "Document", "version": 2}
    post(client, activity(garden, "Delete", gone, [ours]), signer=garden)
    assert ReceivedGuide.objects.exists()
    post(client, activity(garden, "Delete", gone | {"version": 3}, [ours]), signer=garden)
    assert not ReceivedGuide.objects.exists()


def test_a_delete_of_another_origin_s_guide_is_refused(
    client: Any, community: Any, garden: Actor, node: RemoteNode
) -> None:
    ours = ids.community_actor_id(community)
    post(client, activity(garden, "Create", guide(garden, to=[ours]), [ours]), signer=garden)
    forged = {"id": "https://elsewhere.example/guides/1", "type": "Document"}
    assert post(client, activity(garden, "Delete", forged, [ours]), signer=garden).status_code == 400
    assert ReceivedGuide.objects.count() == 1


def test_html_from_elsewhere_is_kept_as_text(client: Any, community: Any, garden: Actor) -> None:
    ours = ids.community_actor_id(community)
    obj = guide(garden, to=[ours], content="<p>Hello <script>alert(1)</script>&amp; bye</p>")
    del obj["source"]
    post(client, activity(garden, "Create", obj, [ours]), signer=garden)
    assert ReceivedGuide.objects.get().body == "Hello alert(1)& bye"


def test_an_unreadable_licence_counts_as_all_rights_reserved(
    client: Any, community: Any, garden: Actor
) -> None:
    ours = ids.community_actor_id(community)
    post(
        client, activity(garden, "Create", guide(garden, to=[ours], license="ask us"), [ours]), signer=garden
    )
    assert ReceivedGuide.objects.get().licence == Licence.RESERVED


# --- our guides at their ids -------------------------------------------------------------------


def get(client: Any, uri: str, signer: Actor | None = None, accept: str = "application/activity+json") -> Any:
    headers = {"Host": "testserver", "Accept": accept}
    if signer is not None:
        headers |= signatures.sign_cavage(
            method="GET", url=uri, body=None, key_id=signer.key_id, private_key_pem=signer.private_pem
        )
    return client.get(uri.removeprefix("http://testserver"), headers=headers)


def test_a_peers_only_guide_is_served_only_to_signed_peers(
    client: Any, community: Any, garden: Actor, node: RemoteNode
) -> None:
    stranger = node.actor("stranger", kind="Group")
    shared = make_guide(community, visibility=Visibility.PEERS)
    uri = objects.guide_id(shared)
    assert get(client, uri).status_code == 404
    assert get(client, uri, stranger).status_code == 404
    served = get(client, uri, garden)
    assert served.status_code == 200 and served.json()["id"] == uri
    assert served.json()["source"]["content"] == shared.body
    assert served["Cache-Control"] == "private, no-store"


def test_a_members_only_guide_is_served_to_nobody(client: Any, community: Any, garden: Actor) -> None:
    private = make_guide(community)
    assert get(client, objects.guide_id(private), garden).status_code == 404


def test_a_public_guide_is_served_to_anyone_as_json_or_a_page(client: Any, community: Any) -> None:
    public = make_guide(community, visibility=Visibility.PUBLIC)
    uri = objects.guide_id(public)
    assert get(client, uri).json()["version"] == 1
    page = get(client, uri, accept="text/html")
    assert page.status_code == 200 and public.title in page.content.decode()
    services.guide_edit(guide=public, by=None, text=text(visibility=Visibility.MEMBERS))
    assert get(client, uri).status_code == 404
