"""GET of our activities by id: public ones to anyone, peers-only ones to a signed request from a
peer (its actor, or its server's instance actor) and to nobody else, who sees the same 404 as for
an activity that does not exist. Signed GETs by actors served from a real local HTTP server."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.federation import activities, delivery, ids, remote, signatures
from dualpower.federation.models import OutboundActivity, Peer
from dualpower.federation.tests.remote_node import Actor, RemoteNode

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("federation_site")]


def get(client: Any, uri: str, signer: Actor | None = None) -> Any:
    path = uri.removeprefix("http://testserver")
    headers = {"Host": "testserver", "Accept": "application/activity+json"}
    if signer is not None:
        headers |= signatures.sign_cavage(
            method="GET", url=uri, body=None, key_id=signer.key_id, private_key_pem=signer.private_pem
        )
    return client.get(path, headers=headers)


def published(community: Any, audience: str) -> OutboundActivity:
    made = activities.activity_build(
        kind="Create",
        community=community,
        object={"id": "http://testserver/x", "type": "Note"},
        **activities.addressing(community=community, audience=audience, peers=[]),
    )
    return delivery.activity_publish(community=community, activity=made, audience=audience)


def test_a_public_activity_is_served_to_anyone(client: Any, community: Any) -> None:
    outbound = published(community, "public")
    response = get(client, outbound.uri)
    assert response.status_code == 200 and response.json()["id"] == outbound.uri
    assert response["Content-Type"] == "application/activity+json"


def test_a_peers_only_activity_is_served_only_to_a_peer(
    client: Any, community: Any, node: RemoteNode
) -> None:
    garden, stranger, server = node.actor("garden", kind="Group"), node.actor("stranger"), node.actor("relay")
    node.documents["/users/relay"]["type"] = "Application"  # the peer server's instance actor
    Peer.objects.create(community=community, actor=remote.actor_get(garden.uri), state=Peer.State.ACTIVE)
    outbound = published(community, "peers")
    assert get(client, outbound.uri).status_code == 404  # unsigned
    assert get(client, outbound.uri, stranger).status_code == 404  # signed, not a peer
    assert get(client, outbound.uri, garden).json()["id"] == outbound.uri
    assert get(client, outbound.uri, server).status_code == 200
    response = get(client, outbound.uri, garden)
    assert response["Cache-Control"] == "private, no-store"


def test_a_peering_ended_closes_the_door(client: Any, community: Any, node: RemoteNode) -> None:
    garden = node.actor("garden", kind="Group")
    Peer.objects.create(community=community, actor=remote.actor_get(garden.uri), state=Peer.State.ENDED)
    assert get(client, published(community, "peers").uri, garden).status_code == 404


def test_an_unknown_activity_is_not_found(client: Any, community: Any) -> None:
    missing = f"{ids.community_actor_id(community)}/activities/00000000-0000-4000-8000-000000000000"
    assert get(client, missing).status_code == 404
