"""Aid referrals between peer communities, against a real server in a thread (remote_node.py): our
Offer, Accept, Reject and Update really go out signed, and theirs come into our inbox signed by
their Group actor's key, through the test client.

The rule every test here keeps: the details (the description and the private fields) travel
only after the peer accepted, sealed for its Group key alone, and are never stored in clear in
any federation table on either side."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualpower.aid import crypto, jobs, referral_crypto, services
from dualpower.aid.models import AidReferral, AidRequest
from dualpower.aid.services import referrals
from dualpower.aid.tests.factories import (
    SECRET_ADDRESS,
    SECRET_CONTACT,
    SECRET_HEALTH,
    AidWorld,
    make_request,
)
from dualpower.aid.views.referrals import language_of
from dualpower.errors import Conflict, InvalidInput
from dualpower.federation import ids, keys, remote
from dualpower.federation.models import InboxEntry, OutboundActivity, Peer, RemoteActor
from dualpower.federation.tests.inbox_helpers import post
from dualpower.federation.tests.remote_node import Actor, RemoteNode
from dualpower.notifications.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive, pytest.mark.usefixtures("federation_site")]
R = AidReferral.State
DESCRIPTION = "Two food boxes for this week"
SECRETS = (SECRET_ADDRESS, SECRET_CONTACT, SECRET_HEALTH, DESCRIPTION)


@pytest.fixture
def hilltop(node: RemoteNode) -> Actor:
    """A community on the other node (a dualpower Group actor)."""
    made = node.actor("hilltop", kind="Group", dualpower=True)
    node.documents["/users/hilltop"]["name"] = "Hilltop Tenants"
    return made


@pytest.fixture
def peer(world: AidWorld, hilltop: Actor) -> RemoteActor:
    """Hilltop, an active peer of our community (both assemblies decided: test_peering.py)."""
    actor = remote.actor_get(hilltop.uri)
    Peer.objects.create(community=world.community, actor=actor, state=Peer.State.ACTIVE)
    return actor


def receive(client: Any, sender: Actor, activity: dict[str, Any], *, capture: Any) -> Any:
    """``activity`` POSTed to our shared inbox, signed by ``sender`` (what their node does)."""
    with capture(execute=True):
        return post(client, activity, signer=sender)


def theirs(sender: Actor, kind: str, obj: Any, to: str) -> dict[str, Any]:
    base = sender.uri.rsplit("/users/", 1)[0]
    return {
        "@context": referrals.CONTEXT,
        "id": f"{base}/activities/{uuid.uuid4()}",
        "type": kind,
        "actor": sender.uri,
        "to": [to],
        "object": obj,
    }


def posted(node: RemoteNode, kind: str) -> list[dict[str, Any]]:
    return [p.json for p in node.posted if p.json.get("type") == kind]


def nothing_secret_in(text: str) -> bool:
    return not any(secret in text for secret in SECRETS)


def federation_tables_text() -> str:
    """Everything the federation tables and the referrals hold, as one text to search."""
    rows = [*OutboundActivity.objects.values_list("data", flat=True)]
    rows += [*InboxEntry.objects.values("activity_id", "kind", "actor_uri")]
    rows += [*AidReferral.objects.values()]
    return json.dumps(rows, default=str)


def refer(world: AidWorld, peer: RemoteActor, capture: Any) -> tuple[AidRequest, AidReferral]:
    request = make_request(world, languages=["Spanish"])
    with capture(execute=True):
        referral = referrals.referral_offer(
            request=request, actor=peer, by=world.dispatcher, region="Riverside"
        )
    return request, referral


def accept_ours(client: Any, hilltop: Actor, world: AidWorld, referral: AidReferral, capture: Any) -> Any:
    ours = ids.community_actor_id(world.community)
    offer = {"id": referral.offer_id, "type": "Offer", "actor": ours, "object": {"type": "Referral"}}
    return receive(client, hilltop, theirs(hilltop, "Accept", offer, ours), capture=capture)


# --- referring a request to a peer ----------------------------------------------------------------


def test_the_offer_carries_only_category_region_urgency_languages_and_expiry(
    world: AidWorld, node: RemoteNode, peer: RemoteActor, django_capture_on_commit_callbacks: Any
) -> None:
    request, referral = refer(world, peer, django_capture_on_commit_callbacks)
    [offer] = posted(node, "Offer")
    assert offer["to"] == [peer.uri] and "proof" in offer  # direct, with its FEP-8b32 proof
    assert set(offer["object"]) == {
        "type", "id", "actor", "target", "dp:category", "dp:region", "dp:urgency", "dp:languages", "endTime",
    }  # fmt: skip
    assert offer["object"]["dp:category"] == {"key": "food", "name": "Food"}
    assert (offer["object"]["dp:region"], offer["object"]["dp:languages"]) == ("Riverside", ["Spanish"])
    assert nothing_secret_in(json.dumps(offer)) and nothing_secret_in(federation_tables_text())
    request.refresh_from_db()
    assert request.status == AidRequest.Status.OPEN and referral.state == R.OFFERED


def test_only_an_active_peer_can_be_offered_a_referral(
    world: AidWorld, node: RemoteNode, hilltop: Actor, django_capture_on_commit_callbacks: Any
) -> None:
    stranger = remote.actor_get(hilltop.uri)
    with pytest.raises(InvalidInput):
        refer(world, stranger, django_capture_on_commit_callbacks)
    assert not OutboundActivity.objects.exists() and not AidReferral.objects.exists() and not node.posted


def test_a_request_is_referred_once_at_a_time_and_an_address_is_no_region(
    world: AidWorld, peer: RemoteActor, django_capture_on_commit_callbacks: Any
) -> None:
    request, _referral = refer(world, peer, django_capture_on_commit_callbacks)
    with pytest.raises(Conflict):
        referrals.referral_offer(request=request, actor=peer, by=world.dispatcher)
    other = make_request(world)
    with pytest.raises(InvalidInput):
        referrals.referral_offer(request=other, actor=peer, by=world.dispatcher, region="14 Calle Mayor")


def test_their_accept_sends_the_details_sealed_for_them_alone(
    client: Any,
    world: AidWorld,
    node: RemoteNode,
    hilltop: Actor,
    peer: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request, referral = refer(world, peer, django_capture_on_commit_callbacks)
    assert not posted(node, "Update")  # nothing of the details before the answer
    reply = accept_ours(client, hilltop, world, referral, django_capture_on_commit_callbacks)
    assert reply.status_code == 202
    referral.refresh_from_db()
    request.refresh_from_db()
    assert referral.state == R.ACCEPTED
    assert (request.status, request.referred_to) == (AidRequest.Status.REFERRED, "Hilltop Tenants")
    [update] = posted(node, "Update")
    assert update["to"] == [peer.uri] and nothing_secret_in(json.dumps(update))
    box = update["object"][referrals.SEALED]
    opened = referral_crypto.box_open(box, private_key_pem=hilltop.private_pem, context=referral.uri)
    assert opened["description"] == DESCRIPTION
    assert opened["details"]["address"] == SECRET_ADDRESS and opened["details"]["health"] == SECRET_HEALTH
    # Bound to this referral: the same box does not open as another one's.
    with pytest.raises(referral_crypto.BoxRefused):
        referral_crypto.box_open(box, private_key_pem=hilltop.private_pem, context=referral.uri + "x")
    # The member who asked is told where their request went, worded in their language when read.
    note = Notification.objects.get(kind="aid.referral", user=world.member.user)
    assert note.title_msgid == "Your request was passed to %(peer)s, who can help; they may contact you."
    assert (
        note.title_text == "Your request was passed to Hilltop Tenants, who can help; they may contact you."
    )


def test_the_outbox_keeps_no_ciphertext_once_delivered(
    client: Any,
    world: AidWorld,
    node: RemoteNode,
    hilltop: Actor,
    peer: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _request, referral = refer(world, peer, django_capture_on_commit_callbacks)
    accept_ours(client, hilltop, world, referral, django_capture_on_commit_callbacks)
    referral.refresh_from_db()
    sent = OutboundActivity.objects.get(uri=referral.details_id)
    assert sent.data["object"][referrals.SEALED]["ciphertext"]  # still there until the clock runs
    jobs.referrals_due(timezone.now())
    sent.refresh_from_db()
    referral.refresh_from_db()
    assert sent.data["object"][referrals.SEALED] == "" and referral.state == R.COMPLETED


def test_a_declined_referral_never_receives_the_details(
    client: Any,
    world: AidWorld,
    node: RemoteNode,
    hilltop: Actor,
    peer: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request, referral = refer(world, peer, django_capture_on_commit_callbacks)
    ours = ids.community_actor_id(world.community)
    offer = {"id": referral.offer_id, "type": "Offer", "actor": ours, "object": {"type": "Referral"}}
    reject = theirs(hilltop, "Reject", offer, ours)
    assert receive(client, hilltop, reject, capture=django_capture_on_commit_callbacks).status_code == 202
    referral.refresh_from_db()
    request.refresh_from_db()
    assert referral.state == R.DECLINED and request.status == AidRequest.Status.OPEN
    # A later Accept of the declined offer changes nothing and sends nothing.
    accept_ours(client, hilltop, world, referral, django_capture_on_commit_callbacks)
    referral.refresh_from_db()
    assert referral.state == R.DECLINED and not posted(node, "Update")
    assert nothing_secret_in(federation_tables_text())


def test_an_accept_from_a_community_it_was_not_offered_to_is_refused(
    client: Any,
    world: AidWorld,
    node: RemoteNode,
    peer: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _request, referral = refer(world, peer, django_capture_on_commit_callbacks)
    other = node.actor("harbour", kind="Group", dualpower=True)
    entries = InboxEntry.objects.count()
    reply = accept_ours(client, other, world, referral, django_capture_on_commit_callbacks)
    assert reply.status_code == 403 and InboxEntry.objects.count() == entries
    referral.refresh_from_db()
    assert referral.state == R.OFFERED and not posted(node, "Update")


# --- a peer refers a request to us ----------------------------------------------------------------


def their_referral(hilltop: Actor, world: AidWorld, **changes: Any) -> dict[str, Any]:
    ours = ids.community_actor_id(world.community)
    base = hilltop.uri.rsplit("/users/", 1)[0]
    obj = {
        "type": "Referral",
        "id": f"{base}/referrals/{uuid.uuid4()}",
        "actor": hilltop.uri,
        "target": ours,
        "dp:category": {"key": "housing", "name": "Housing and shelter"},
        "dp:region": "Hilltop",
        "dp:urgency": "high",
        "dp:languages": ["Spanish"],
        "endTime": (timezone.now() + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        **changes,
    }
    return theirs(hilltop, "Offer", obj, ours)


def sealed_for_us(world: AidWorld, referral: AidReferral, hilltop: Actor) -> dict[str, Any]:
    public = keys.actor_public_pem(ids.actor_key_name(world.community))
    payload = {
        "description": "A room for a family of three",
        "quantity": 1,
        "unit": "",
        "contact_channel": "phone",
        "contact_language": "Spanish",
        "details": {"name": "Rosa", "contact": SECRET_CONTACT},
    }
    box = referral_crypto.box_seal(payload, public_key_pem=public, key_id="k", context=referral.uri)
    obj = {"type": "Referral", "id": referral.uri, "actor": hilltop.uri, referrals.SEALED: box}
    return theirs(hilltop, "Update", obj, ids.community_actor_id(world.community))


def test_a_peer_referral_waits_for_our_dispatchers_then_its_details_arrive_sealed(
    client: Any,
    world: AidWorld,
    node: RemoteNode,
    hilltop: Actor,
    peer: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    offer = their_referral(hilltop, world)
    assert receive(client, hilltop, offer, capture=django_capture_on_commit_callbacks).status_code == 202
    referral = AidReferral.objects.get()
    assert (referral.direction, referral.state, referral.region) == ("in", R.OFFERED, "Hilltop")
    assert Notification.objects.filter(kind="aid.referral", user=world.dispatcher.user).exists()
    with django_capture_on_commit_callbacks(execute=True):
        referrals.referral_answer(referral=referral, accept=True, by=world.dispatcher)
    [accept] = posted(node, "Accept")
    assert accept["object"]["id"] == offer["id"] and accept["object"]["type"] == "Offer"

    update = sealed_for_us(world, referral, hilltop)
    assert receive(client, hilltop, update, capture=django_capture_on_commit_callbacks).status_code == 202
    referral.refresh_from_db()
    local = referral.request
    assert referral.state == R.COMPLETED and local is not None
    assert (local.category, local.neighbourhood, local.privacy) == ("housing", "Hilltop", "dispatchers")
    assert crypto.unseal(local.sealed) == {"name": "Rosa", "contact": SECRET_CONTACT}  # our aid key
    assert SECRET_CONTACT not in local.sealed and nothing_secret_in(federation_tables_text())


def test_a_referral_from_a_community_that_is_not_a_peer_is_refused_with_nothing_stored(
    client: Any,
    world: AidWorld,
    hilltop: Actor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    reply = receive(
        client, hilltop, their_referral(hilltop, world), capture=django_capture_on_commit_callbacks
    )
    assert reply.status_code == 403
    assert not AidReferral.objects.exists() and not InboxEntry.objects.exists()


@pytest.mark.parametrize(
    "change",
    [
        {"actor": "http://elsewhere.example/users/x"},  # in someone else's name
        {"id": "http://elsewhere.example/referrals/1"},  # an object of another origin
        {"endTime": "2020-01-01T00:00:00Z"},  # already expired
        {"dp:urgency": "whenever"},
    ],
)
def test_a_forged_or_malformed_referral_is_refused_with_nothing_stored(
    client: Any,
    world: AidWorld,
    hilltop: Actor,
    peer: RemoteActor,
    change: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    reply = receive(
        client, hilltop, their_referral(hilltop, world, **change), capture=django_capture_on_commit_callbacks
    )
    assert reply.status_code in (400, 403)
    assert not AidReferral.objects.exists() and not InboxEntry.objects.exists()


def test_a_replayed_referral_takes_effect_once(
    client: Any,
    world: AidWorld,
    hilltop: Actor,
    peer: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    offer = their_referral(hilltop, world)
    receive(client, hilltop, offer, capture=django_capture_on_commit_callbacks)
    assert receive(client, hilltop, offer, capture=django_capture_on_commit_callbacks).status_code == 202
    assert AidReferral.objects.count() == 1
    assert Notification.objects.filter(kind="aid.referral", user=world.dispatcher.user).count() == 1


def test_details_of_a_referral_we_declined_are_refused_and_never_opened(
    client: Any,
    world: AidWorld,
    node: RemoteNode,
    hilltop: Actor,
    peer: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    receive(client, hilltop, their_referral(hilltop, world), capture=django_capture_on_commit_callbacks)
    referral = AidReferral.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        referrals.referral_answer(referral=referral, accept=False, by=world.dispatcher)
    assert posted(node, "Reject")
    reply = receive(
        client, hilltop, sealed_for_us(world, referral, hilltop), capture=django_capture_on_commit_callbacks
    )
    assert reply.status_code == 409
    assert not AidRequest.objects.filter(referrals=referral).exists()
    with pytest.raises(Conflict):
        referrals.referral_answer(referral=referral, accept=True, by=world.dispatcher)


def test_an_unanswered_referral_expires_and_can_no_longer_be_accepted(
    client: Any,
    world: AidWorld,
    hilltop: Actor,
    peer: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    receive(client, hilltop, their_referral(hilltop, world), capture=django_capture_on_commit_callbacks)
    jobs.referrals_due(timezone.now() + timedelta(days=6))
    referral = AidReferral.objects.get()
    assert referral.state == R.EXPIRED
    with pytest.raises(Conflict):
        referrals.referral_answer(referral=referral, accept=True, by=world.dispatcher)


# --- retention on both sides ----------------------------------------------------------------------


def test_retention_erases_the_details_on_both_sides_and_the_outbox_copy(
    client: Any,
    world: AidWorld,
    node: RemoteNode,
    hilltop: Actor,
    peer: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # Our side referred one request (accepted by them) and received another (details arrived).
    request, sent = refer(world, peer, django_capture_on_commit_callbacks)
    accept_ours(client, hilltop, world, sent, django_capture_on_commit_callbacks)
    receive(client, hilltop, their_referral(hilltop, world), capture=django_capture_on_commit_callbacks)
    received = AidReferral.objects.get(direction="in")
    referrals.referral_answer(referral=received, accept=True, by=world.dispatcher)
    receive(
        client, hilltop, sealed_for_us(world, received, hilltop), capture=django_capture_on_commit_callbacks
    )
    received.refresh_from_db()
    sent.refresh_from_db()
    local = received.request
    assert local is not None and local.sealed and not local.is_closed

    jobs.erase_expired(timezone.now() + timedelta(days=20))  # within the 30 days kept
    local.refresh_from_db()
    assert local.sealed
    jobs.erase_expired(timezone.now() + timedelta(days=40))  # past expiry + 30 days, and closed + 30
    for row in (request, local):
        row.refresh_from_db()
        assert row.sealed == "" and row.erased_at is not None
    outbox = OutboundActivity.objects.get(uri=sent.details_id)
    assert outbox.data["object"][referrals.SEALED] == ""


# --- pages ----------------------------------------------------------------------------------------


def test_the_refer_page_shows_what_will_be_sent_then_sends_it(
    client: Any,
    world: AidWorld,
    node: RemoteNode,
    peer: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = make_request(world)
    client.force_login(world.dispatcher.user)
    page = f"/c/{world.community.slug}/aid/dispatch/requests/{request.code}/refer/"
    shown = client.get(page, {"peer": peer.pk, "region": "Riverside", "expires": ""})
    text = shown.content.decode()
    assert shown.status_code == 200 and "Refer to Hilltop Tenants" in text and "Riverside" in text
    assert nothing_secret_in(text.split("<main", 1)[-1])  # no description, no details
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(page, {"peer": peer.pk, "region": "Riverside", "expires": ""})
    assert done.status_code == 302 and posted(node, "Offer")
    dispatch_page = client.get(done.headers["location"]).content.decode()
    assert "Referred to Hilltop Tenants (waiting)." in dispatch_page


def test_the_refer_page_is_for_dispatchers_only(client: Any, world: AidWorld, peer: RemoteActor) -> None:
    request = make_request(world)
    client.force_login(world.coordinator.user)
    page = f"/c/{world.community.slug}/aid/dispatch/requests/{request.code}/refer/"
    assert client.get(page).status_code == 403
    assert client.post(page, {"peer": peer.pk}).status_code == 403
    assert not AidReferral.objects.exists()


def test_dispatchers_accept_a_referral_on_the_referrals_page(
    client: Any,
    world: AidWorld,
    node: RemoteNode,
    hilltop: Actor,
    peer: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    receive(client, hilltop, their_referral(hilltop, world), capture=django_capture_on_commit_callbacks)
    referral = AidReferral.objects.get()
    client.force_login(world.dispatcher.user)
    listing = client.get(f"/c/{world.community.slug}/aid/dispatch/referrals/").content.decode()
    assert "Accept from Hilltop Tenants" in listing and "Hilltop" in listing
    home = client.get(f"/c/{world.community.slug}/").content.decode()
    assert "1 request referred by a peer community waits for your answer" in home
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"/c/{world.community.slug}/aid/dispatch/referrals/{referral.pk}/answer/", {"answer": "accept"}
        )
    assert done.status_code == 302
    referral.refresh_from_db()
    assert referral.state == R.ACCEPTED and posted(node, "Accept")


def test_the_referrals_page_reads_a_bounded_number_of_queries(
    client: Any, world: AidWorld, hilltop: Actor, peer: RemoteActor, django_capture_on_commit_callbacks: Any
) -> None:
    client.force_login(world.dispatcher.user)
    page = f"/c/{world.community.slug}/aid/dispatch/referrals/"

    def count() -> int:
        with CaptureQueriesContext(connection) as seen:
            assert client.get(page).status_code == 200
        return len(seen)

    receive(client, hilltop, their_referral(hilltop, world), capture=django_capture_on_commit_callbacks)
    few = count()
    for _n in range(4):
        receive(client, hilltop, their_referral(hilltop, world), capture=django_capture_on_commit_callbacks)
        make_request(world)
    assert count() == few


def test_someone_without_an_account_is_told_by_the_dispatcher_where_it_went(
    client: Any,
    world: AidWorld,
    hilltop: Actor,
    peer: RemoteActor,
    django_capture_on_commit_callbacks: Any,
) -> None:
    request = services.request_intake(
        community=world.community,
        dispatcher=world.dispatcher,
        contact_channel="phone",
        contact_language="Español",
        details={"name": "Rosa", "contact": SECRET_CONTACT},
        category="food",
        description=DESCRIPTION,
        neighbourhood="Riverside",
    )
    with django_capture_on_commit_callbacks(execute=True):
        referral = referrals.referral_offer(request=request, actor=peer, by=world.dispatcher)
    accept_ours(client, hilltop, world, referral, django_capture_on_commit_callbacks)
    client.force_login(world.dispatcher.user)
    page = client.get(f"/c/{world.community.slug}/aid/dispatch/requests/{request.code}/").content.decode()
    assert "Tell them, in their language:" in page
    assert "Your request was passed to Hilltop Tenants, who can help; they may contact you." in page


@pytest.mark.parametrize(
    ("written", "language"),
    [("Español", "es"), ("spanish", "es"), ("es", "es"), ("English", "en"), ("Tagalog", None), ("", None)],
)
def test_the_contact_language_is_read_as_one_the_node_speaks(written: str, language: str | None) -> None:
    assert language_of(written) == language
