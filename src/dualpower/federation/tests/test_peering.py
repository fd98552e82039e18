"""Peering by decision, against a real server in a thread (remote_node.py): our assembly decides
with a real proposal, our Offer/Accept/Undo/Reject really goes out signed, and theirs come into our
inbox signed by their Group actor's key, through the test client."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from dualpower.assemblies import services as assemblies
from dualpower.assemblies.models import Outcome
from dualpower.assemblies.tests.factories import after_close, general, open_proposal
from dualpower.community.models import AuditEntry
from dualpower.errors import InvalidInput
from dualpower.federation import ids, peering, remote, rules, services
from dualpower.federation.models import InboxEntry, Peer, RemoteActor
from dualpower.federation.tests.inbox_helpers import post
from dualpower.federation.tests.remote_node import Actor, RemoteNode
from dualpower.members.tests.factories import membership_of
from dualpower.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("federation_site")]
S = Peer.State


@pytest.fixture
def garden(node: RemoteNode) -> Actor:
    """A community on the other server (a dualpower node's Group actor), known to ours."""
    made = node.actor("garden", kind="Group", dualpower=True)
    node.documents["/users/garden"]["name"] = "Garden Collective"
    return made


@pytest.fixture
def known(garden: Actor) -> RemoteActor:
    return remote.actor_get(garden.uri)


def receive(client: Any, sender: Actor, activity: dict[str, Any], *, capture: Any) -> Any:
    """``activity`` POSTed to our shared inbox, signed by ``sender`` (what their node does)."""
    with capture(execute=True):
        return post(client, activity, signer=sender)


def theirs(sender: Actor, kind: str, obj: Any, to: str) -> dict[str, Any]:
    base = sender.uri.rsplit("/users/", 1)[0]
    return {
        "@context": peering.CONTEXT,
        "id": f"{base}/activities/{uuid.uuid4()}",
        "type": kind,
        "actor": sender.uri,
        "to": [to],
        "object": obj,
    }


def decide(community: Any, people: Any, kind: str, params: dict[str, Any], *, capture: Any) -> Outcome:
    """A real proposal carrying the action, agreed and closed: the action runs with the outcome."""
    mara = membership_of(people["member"], community)
    proposal = open_proposal(
        general(community), mara, process="majority", actions=[{"kind": kind, "params": params}]
    )
    assemblies.vote_cast(proposal=proposal, by=mara, position="agree")
    with capture(execute=True):
        outcome = assemblies.proposal_close(proposal=proposal, now=after_close(proposal))
    assert outcome.actions_status == Outcome.ActionsStatus.DONE, outcome
    return outcome


def sent(node: RemoteNode, kind: str) -> dict[str, Any]:
    found = [p.json for p in node.posted if p.json.get("type") == kind]
    assert len(found) == 1, [p.json.get("type") for p in node.posted]
    return found[0]


def coordinators_told(kind: str) -> int:
    return Notification.objects.filter(kind=kind).count()


def test_our_decision_offers_and_their_accept_makes_us_peers(
    client: Any,
    community: Any,
    people: Any,
    node: RemoteNode,
    garden: Actor,
    known: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ours = ids.community_actor_id(community)
    decide(
        community, people, "federation.peer", {"actor": known.pk}, capture=django_capture_on_commit_callbacks
    )
    peer = Peer.objects.get()
    assert (peer.state, peer.actor, peer.our_decision_ref) == (S.OFFERED, known, peer.our_decision_ref)
    offer = sent(node, "Offer")
    assert offer["actor"] == ours and offer["to"] == [garden.uri] and offer["id"] == peer.our_offer_id
    assert offer["object"] == {"type": "Peering", "actor": ours, "target": garden.uri}
    assert "proof" in offer  # a dualpower node: FEP-8b32 integrity proof added by the outbox
    assert not rules.is_peer_actor(garden.uri, community)

    accept = theirs(
        garden, "Accept", {"id": offer["id"], "type": "Offer", "actor": ours, "object": offer["object"]}, ours
    )
    assert receive(client, garden, accept, capture=django_capture_on_commit_callbacks).status_code == 202
    peer.refresh_from_db()
    assert (peer.state, peer.their_offer_id) == (S.ACTIVE, accept["id"])
    assert rules.is_peer_actor(garden.uri, community)
    assert coordinators_told("federation.peer_active") == 1  # Cato, the coordinator
    entry = AuditEntry.objects.get(action="federation.peer")
    assert entry.decision_ref.startswith("proposal:") and entry.summary.startswith("Garden Collective")


def test_their_offer_invites_us_and_our_decision_accepts_it(
    client: Any,
    community: Any,
    people: Any,
    node: RemoteNode,
    garden: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ours = ids.community_actor_id(community)
    offer = theirs(garden, "Offer", {"type": "Peering", "actor": garden.uri, "target": ours}, ours)
    assert receive(client, garden, offer, capture=django_capture_on_commit_callbacks).status_code == 202
    peer = Peer.objects.get()
    assert (peer.state, peer.their_offer_id) == (S.INVITED, offer["id"])
    # The coordinators are told, with a link to the Network page where the decision is proposed.
    note = Notification.objects.get(kind="federation.peer_invited")
    assert note.user == people["coordinator"] and note.url == f"/c/{community.slug}/network/"
    assert "Garden Collective" in note.title and not rules.is_peer_actor(garden.uri, community)

    decide(
        community,
        people,
        "federation.peer",
        {"actor": peer.actor_id},
        capture=django_capture_on_commit_callbacks,
    )
    peer.refresh_from_db()
    assert peer.state == S.ACTIVE and rules.is_peer_actor(garden.uri, community)
    accept = sent(node, "Accept")
    assert accept["object"]["id"] == offer["id"] and accept["object"]["type"] == "Offer"
    assert not [p for p in node.posted if p.json.get("type") == "Offer"]


def test_offers_that_cross_make_both_sides_peers(
    client: Any,
    community: Any,
    people: Any,
    node: RemoteNode,
    garden: Actor,
    known: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ours = ids.community_actor_id(community)
    decide(
        community, people, "federation.peer", {"actor": known.pk}, capture=django_capture_on_commit_callbacks
    )
    offer = theirs(garden, "Offer", {"type": "Peering", "actor": garden.uri, "target": ours}, ours)
    receive(client, garden, offer, capture=django_capture_on_commit_callbacks)
    assert Peer.objects.get().state == S.ACTIVE
    # An Accept of theirs goes back, in case our Offer never reached them.
    assert sent(node, "Accept")["object"]["id"] == offer["id"]


def test_ending_an_active_peering_undoes_what_we_sent_and_theirs_ends_ours(
    client: Any,
    community: Any,
    people: Any,
    node: RemoteNode,
    garden: Actor,
    known: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ours = ids.community_actor_id(community)
    capture = django_capture_on_commit_callbacks
    decide(community, people, "federation.peer", {"actor": known.pk}, capture=capture)
    offer_id = Peer.objects.get().our_offer_id
    receive(client, garden, theirs(garden, "Accept", offer_id, ours), capture=capture)
    assert Peer.objects.get().state == S.ACTIVE

    decide(community, people, "federation.unpeer", {"actor": known.pk}, capture=capture)
    assert Peer.objects.get().state == S.ENDED and not rules.is_peer_actor(garden.uri, community)
    undo = sent(node, "Undo")
    assert undo["object"]["id"] == offer_id and undo["object"]["type"] == "Offer"
    assert AuditEntry.objects.get(action="federation.unpeer").decision_ref.startswith("proposal:")

    # Later they offer again, we accept, and then they end it: ended here at once, coordinators told.
    offer = theirs(garden, "Offer", {"type": "Peering", "actor": garden.uri, "target": ours}, ours)
    receive(client, garden, offer, capture=capture)
    decide(community, people, "federation.peer", {"actor": known.pk}, capture=capture)
    assert Peer.objects.get().state == S.ACTIVE
    undo_theirs = theirs(
        garden,
        "Undo",
        {"id": offer["id"], "type": "Offer", "actor": garden.uri, "object": offer["object"]},
        ours,
    )
    receive(client, garden, undo_theirs, capture=capture)
    assert Peer.objects.get().state == S.ENDED
    assert coordinators_told("federation.peer_ended") == 1


def test_declining_an_invitation_rejects_their_offer(
    client: Any,
    community: Any,
    people: Any,
    node: RemoteNode,
    garden: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ours = ids.community_actor_id(community)
    offer = theirs(garden, "Offer", {"type": "Peering", "actor": garden.uri, "target": ours}, ours)
    receive(client, garden, offer, capture=django_capture_on_commit_callbacks)
    actor = Peer.objects.get().actor
    decide(
        community,
        people,
        "federation.unpeer",
        {"actor": actor.pk},
        capture=django_capture_on_commit_callbacks,
    )
    assert Peer.objects.get().state == S.ENDED
    reject = sent(node, "Reject")
    assert reject["object"]["id"] == offer["id"] and reject["to"] == [garden.uri]


def test_their_reject_of_our_offer_ends_it(
    client: Any,
    community: Any,
    people: Any,
    node: RemoteNode,
    garden: Actor,
    known: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ours = ids.community_actor_id(community)
    decide(
        community, people, "federation.peer", {"actor": known.pk}, capture=django_capture_on_commit_callbacks
    )
    peer = Peer.objects.get()
    # A Reject naming some other offer changes nothing; theirs of ours ends it.
    receive(
        client,
        garden,
        theirs(garden, "Reject", f"{peer.our_offer_id}-other", ours),
        capture=django_capture_on_commit_callbacks,
    )
    assert Peer.objects.get().state == S.OFFERED
    rejected = {"id": peer.our_offer_id, "type": "Offer", "actor": ours}
    receive(
        client, garden, theirs(garden, "Reject", rejected, ours), capture=django_capture_on_commit_callbacks
    )
    assert Peer.objects.get().state == S.ENDED


def test_an_offer_in_another_communitys_name_is_refused_and_nothing_kept(
    client: Any,
    community: Any,
    node: RemoteNode,
    garden: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    ours = ids.community_actor_id(community)
    other = node.actor("orchard", kind="Group")
    forged = theirs(garden, "Offer", {"type": "Peering", "actor": other.uri, "target": ours}, ours)
    response = receive(client, garden, forged, capture=django_capture_on_commit_callbacks)
    assert response.status_code == 403
    assert not Peer.objects.exists() and not InboxEntry.objects.exists()


def test_a_person_cannot_peer(
    client: Any, community: Any, node: RemoteNode, django_capture_on_commit_callbacks: Any
) -> None:
    ours = ids.community_actor_id(community)
    bob = node.actor("bob")  # a Person
    offer = theirs(bob, "Offer", {"type": "Peering", "actor": bob.uri, "target": ours}, ours)
    assert receive(client, bob, offer, capture=django_capture_on_commit_callbacks).status_code == 400
    assert not Peer.objects.exists()


def test_the_proposal_form_finds_a_community_by_its_address(
    community: Any, node: RemoteNode, garden: Actor
) -> None:
    handle = f"@garden@{node.host}"
    node.documents[f"/.well-known/webfinger?resource=acct:garden@{node.host}"] = {
        "subject": f"acct:garden@{node.host}",
        "links": [{"rel": "self", "type": "application/activity+json", "href": garden.uri}],
    }
    params = peering.validate_peer(community, {"handle": handle})
    assert params == {"actor": garden.uri}
    assert "Garden Collective" in peering.describe_peer(community, params)
    # Validated again before it runs: by the stored actor, with no lookup.
    del node.documents[f"/.well-known/webfinger?resource=acct:garden@{node.host}"]
    assert peering.validate_peer(community, params) == params
    with pytest.raises(InvalidInput) as refused:
        peering.validate_peer(community, {"handle": f"@nobody@{node.host}"})
    assert refused.value.field == "handle"


def test_what_cannot_be_peered_with_is_refused_when_proposed(
    community: Any, other_community: Any, node: RemoteNode, known: RemoteActor
) -> None:
    bob = remote.actor_get(node.actor("bob").uri)
    for params in ({}, {"actor": bob.pk}, {"actor": 999_999}):
        with pytest.raises(InvalidInput):
            peering.validate_peer(community, params)
    services.host_block(host=known.host)
    with pytest.raises(InvalidInput, match="blocked"):
        peering.validate_peer(community, {"actor": known.pk})
    services.host_unblock(host=known.host)
    Peer.objects.create(community=community, actor=known, state=S.ACTIVE)
    with pytest.raises(InvalidInput, match="already a peer"):
        peering.validate_peer(community, {"actor": known.pk})
    assert peering.known_communities(community) == []  # peers are not offered again
    assert peering.current_peers(community)[0][0] == known.pk
    with pytest.raises(InvalidInput, match="not a peer"):
        peering.validate_unpeer(other_community, {"actor": known.pk})
