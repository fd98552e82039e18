"""A member of a peer community takes their votes back: at their node (the erase button, or deleting
their account) and at the origin, which erases that pseudonymous participant when their node sends
a signed Delete(DeliberationVote). With federation's test node on loopback as the peer."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.test import Client

from dualpower.deliberation import publishing, services
from dualpower.deliberation.models import (
    Deliberation,
    Participant,
    PeerDeliberation,
    PeerVote,
    Statement,
    Vote,
)
from dualpower.deliberation.tests.factories import make_deliberation, statement
from dualpower.federation import ids
from dualpower.federation.models import InboxEntry, OutboundActivity, Peer
from dualpower.federation.tests.inbox_helpers import activity, post
from dualpower.federation.tests.remote_node import Actor, RemoteNode
from dualpower.members.services import account_delete
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("federation_site")]
ME = "ab" * 20
SOMEONE_ELSE = "cd" * 20


def _object(actor: Actor, kind: str, about: str, **fields: Any) -> dict[str, Any]:
    base = actor.uri.rsplit("/users/", 1)[0]
    return {
        "id": f"{base}/relays/{uuid.uuid4()}",
        "type": kind,
        "attributedTo": actor.uri,
        "inReplyTo": about,
    } | fields


def _send(client: Client, actor: Actor, community: Any, verb: str, obj: dict[str, Any]) -> int:
    sent = activity(actor, verb, obj, to=[ids.community_actor_id(community)])
    return int(post(client, sent, signer=actor).status_code)


def _vote(client: Client, actor: Actor, community: Any, about: str, who: str, number: int) -> None:
    obj = _object(actor, publishing.VOTE_TYPE, about, participant=who, statement=number, vote="agree")
    assert _send(client, actor, community, "Create", obj) == 202


def _withdraw(client: Client, actor: Actor, community: Any, about: str, who: Any) -> int:
    obj = _object(actor, publishing.VOTE_TYPE, about, participant=who)
    return _send(client, actor, community, "Delete", obj)


@pytest.fixture
def opened(community: Any, garden: Actor) -> Deliberation:
    opener = make_membership(community, name="Facilitator")
    deliberation = make_deliberation(community, by=opener)
    return services.deliberation_peers_set(deliberation=deliberation, by=opener, open_to_peers=True)


def test_a_peer_withdraws_its_members_votes_and_the_map_is_drawn_again(
    client: Client, community: Any, garden: Actor, opened: Deliberation
) -> None:
    about = publishing.deliberation_uri(opened)
    for number in (1, 2):
        _vote(client, garden, community, about, ME, number)
    _vote(client, garden, community, about, SOMEONE_ELSE, 1)
    said = _object(garden, publishing.STATEMENT_TYPE, about, participant=ME, name="Plant pears.")
    assert _send(client, garden, community, "Create", said) == 202
    assert statement(opened, 4).state == Statement.State.PENDING
    before = Deliberation.objects.get(pk=opened.pk)

    assert _withdraw(client, garden, community, about, ME) == 202

    left = Participant.objects.filter(deliberation=opened)
    assert [(p.kind, p.key) for p in left] == [("peer", SOMEONE_ELSE)]
    votes = Vote.objects.filter(statement__deliberation=opened)
    assert list(votes.values_list("participant__key", flat=True)) == [SOMEONE_ELSE]
    assert not Statement.objects.filter(deliberation=opened, number=4).exists()  # it was still waiting
    after = Deliberation.objects.get(pk=opened.pk)
    assert after.participants_count == before.participants_count - 1
    assert after.votes_seen > before.votes_seen  # a change of the votes: a new map is asked for
    # Sent again (a retry): nothing left to erase, still accepted.
    assert _withdraw(client, garden, community, about, ME) == 202


def test_a_withdrawal_is_taken_once_the_deliberation_is_closed_to_peers(
    client: Client, community: Any, garden: Actor, opened: Deliberation
) -> None:
    about = publishing.deliberation_uri(opened)
    _vote(client, garden, community, about, ME, 1)
    assert opened.opened_by is not None
    services.deliberation_peers_set(deliberation=opened, by=opened.opened_by, open_to_peers=False)
    assert _withdraw(client, garden, community, about, ME) == 202
    assert not Vote.objects.filter(statement__deliberation=opened).exists()


def test_a_withdrawal_from_a_stranger_or_of_a_malformed_id_is_refused_and_erases_nothing(
    client: Client, community: Any, garden: Actor, node: RemoteNode, opened: Deliberation
) -> None:
    about = publishing.deliberation_uri(opened)
    _vote(client, garden, community, about, ME, 1)
    taken = InboxEntry.objects.count()
    stranger = node.actor("stranger", kind="Group")
    assert _withdraw(client, stranger, community, about, ME) == 403
    for malformed in (garden.uri, "XYZ" * 12, 7, None):
        assert _withdraw(client, garden, community, about, malformed) == 422
    # Another origin's object, or a deliberation we do not have.
    elsewhere = _object(garden, publishing.VOTE_TYPE, about, participant=ME) | {
        "id": "https://else.example/x"
    }
    assert _send(client, garden, community, "Delete", elsewhere) == 400
    assert _withdraw(client, garden, community, about + "9", ME) == 404
    # A peer no longer active is a stranger too.
    Peer.objects.filter(community=community).update(state=Peer.State.ENDED)
    assert _withdraw(client, garden, community, about, ME) == 403
    assert Vote.objects.filter(statement__deliberation=opened, participant__key=ME).count() == 1
    assert InboxEntry.objects.count() == taken


# --- at the peer: our member's votes on a deliberation opened to us ------------------------------------


@pytest.fixture
def theirs(client: Client, community: Any, garden: Actor) -> PeerDeliberation:
    base = garden.uri.rsplit("/users/", 1)[0]
    obj = {
        "id": f"{base}/deliberations/7",
        "type": "Deliberation",
        "name": "What should the shared garden grow?",
        "attributedTo": garden.uri,
        "statements": [{"number": 1, "name": "Apples."}, {"number": 2, "name": "Pears."}],
    }
    assert _send(client, garden, community, "Create", obj) == 202
    return PeerDeliberation.objects.get()


def _withdrawals() -> list[dict[str, Any]]:
    return [o.data for o in OutboundActivity.objects.filter(kind="Delete").order_by("id")]


def test_a_member_erases_their_votes_here_and_asks_the_origin_to_erase_them(
    client: Client, community: Any, garden: Actor, people: Any, theirs: PeerDeliberation
) -> None:
    page = f"/c/riverside/deliberations/peer/{theirs.pk}/"
    client.force_login(people["coordinator"])
    client.post(f"{page}statements/1/vote/", {"value": "agree"})
    client.force_login(people["member"])
    assert "Erase my votes" not in client.get(page).content.decode()
    for number in (1, 2):
        client.post(f"{page}statements/{number}/vote/", {"value": "agree"})
    mine = OutboundActivity.objects.filter(kind="Create").order_by("-id").first()
    assert mine is not None
    pseudonym = mine.data["object"]["participant"]
    assert "Erase my votes" in client.get(page).content.decode()

    assert client.post(f"{page}erase/").status_code == 302
    assert not PeerVote.objects.filter(participant=pseudonym).exists()
    assert PeerVote.objects.count() == 1  # the coordinator's vote stays
    [sent] = _withdrawals()
    assert (sent["type"], sent["to"], sent["object"]["type"]) == ("Delete", [garden.uri], "DeliberationVote")
    assert (sent["object"]["inReplyTo"], sent["object"]["participant"]) == (theirs.uri, pseudonym)
    assert "statement" not in sent["object"]


def test_erasing_works_once_it_is_closed_and_only_here_once_it_is_no_longer_our_peer(
    client: Client, community: Any, garden: Actor, people: Any, theirs: PeerDeliberation
) -> None:
    me = membership_of(people["member"], community)
    services.peer_vote_cast(deliberation=theirs, by=me, statement=1, value="agree")
    PeerDeliberation.objects.filter(pk=theirs.pk).update(is_closed=True)
    theirs.refresh_from_db()
    assert services.peer_votes_erase(deliberation=theirs, by=me) is True
    assert len(_withdrawals()) == 1

    services.peer_votes_erase(deliberation=theirs, by=me)
    PeerVote.objects.create(deliberation=theirs, participant="ef" * 20, statement=1, value=1)
    Peer.objects.filter(community=community).update(state=Peer.State.ENDED)
    other = make_membership(community, name="Voter")
    PeerVote.objects.create(
        deliberation=theirs,
        participant=services.peers.peer_participant_id(deliberation=theirs, membership=other),
        statement=2,
        value=1,
    )
    assert services.peer_votes_erase(deliberation=theirs, by=other) is False
    assert len(_withdrawals()) == 2  # the origin is no longer asked
    assert list(PeerVote.objects.values_list("participant", flat=True)) == ["ef" * 20]


def test_deleting_ones_account_takes_ones_votes_on_peers_deliberations(
    community: Any, garden: Actor, people: Any, theirs: PeerDeliberation
) -> None:
    me = membership_of(people["member"], community)
    pseudonym = services.peers.peer_participant_id(deliberation=theirs, membership=me)
    services.peer_vote_cast(deliberation=theirs, by=me, statement=1, value="agree")
    services.peer_vote_cast(
        deliberation=theirs, by=membership_of(people["coordinator"], community), statement=1, value="pass"
    )
    account_delete(user=people["member"], confirm_email=people["member"].email)
    assert not PeerVote.objects.filter(participant=pseudonym).exists()
    assert PeerVote.objects.count() == 1
    [sent] = _withdrawals()
    assert sent["object"]["participant"] == pseudonym
    # Someone with no votes on it sends nothing; a peer gone never stops an account's deletion.
    Peer.objects.filter(community=community).update(state=Peer.State.ENDED)
    account_delete(user=people["coordinator"], confirm_email=people["coordinator"].email)
    assert not PeerVote.objects.exists() and len(_withdrawals()) == 1
    account_delete(user=people["observer"], confirm_email=people["observer"].email)
    assert len(_withdrawals()) == 1
