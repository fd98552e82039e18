"""Deliberations across peer communities, with a real peer node on loopback (federation's test
node): ours opened to peers and what their nodes relay counted under pseudonyms; a peer's opened
to us, voted on here and relayed under a keyed hash of the member, never their identity."""

from __future__ import annotations

import json
import uuid
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dualpower.deliberation import publishing, services
from dualpower.deliberation.models import Participant, PeerDeliberation, PeerVote, Statement, Vote
from dualpower.deliberation.tests.factories import SEEDS, make_deliberation, statement
from dualpower.federation import ids
from dualpower.federation.models import Delivery, OutboundActivity
from dualpower.federation.tests.inbox_helpers import activity, post
from dualpower.federation.tests.remote_node import Actor, RemoteNode
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("federation_site")]
PSEUDONYM = "ab" * 20


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(path).status_code == 200
    return len(seen)


def _relay(actor: Actor, community: Any, kind: str, about: str, **fields: Any) -> dict[str, Any]:
    base = actor.uri.rsplit("/users/", 1)[0]
    obj = {"id": f"{base}/relays/{uuid.uuid4()}", "type": kind, "attributedTo": actor.uri, "inReplyTo": about}
    return activity(actor, "Create", obj | fields, to=[ids.community_actor_id(community)])


def test_ours_opened_to_peers_counts_what_their_nodes_relay(
    client: Client, community: Any, garden: Actor, node: RemoteNode
) -> None:
    opener = make_membership(community, name="Facilitator")
    deliberation = make_deliberation(community, by=opener)
    about = publishing.deliberation_uri(deliberation)
    vote = _relay(
        garden, community, publishing.VOTE_TYPE, about, participant=PSEUDONYM, statement=1, vote="agree"
    )
    assert post(client, vote, signer=garden).status_code == 403  # not open to peers yet

    services.deliberation_peers_set(deliberation=deliberation, by=opener, open_to_peers=True)
    sent = OutboundActivity.objects.get(kind="Create")
    assert sent.data["object"]["type"] == "Deliberation" and sent.data["to"] == [garden.uri]
    assert [s["name"] for s in sent.data["object"]["statements"]] == list(SEEDS)
    assert list(Delivery.objects.values_list("inbox", flat=True)) == [f"{node.base}/inbox"]

    again = _relay(
        garden, community, publishing.VOTE_TYPE, about, participant=PSEUDONYM, statement=1, vote="agree"
    )
    assert post(client, again, signer=garden).status_code == 202
    counted = Participant.objects.get(deliberation=deliberation)
    assert (counted.kind, counted.peer, counted.key, counted.membership) == (
        "peer",
        garden.uri,
        PSEUDONYM,
        None,
    )
    change = _relay(
        garden, community, publishing.VOTE_TYPE, about, participant=PSEUDONYM, statement=1, vote="pass"
    )
    assert post(client, change, signer=garden).status_code == 202
    assert Vote.objects.get(participant=counted).value == Vote.Value.PASS
    # A statement relayed waits for a facilitator; accepting it tells the peers.
    said = _relay(
        garden, community, publishing.STATEMENT_TYPE, about, participant=PSEUDONYM, name="Plant pears."
    )
    assert post(client, said, signer=garden).status_code == 202
    added = statement(deliberation, 4)
    assert added.state == Statement.State.PENDING and added.author == counted
    services.statement_moderate(statement=added, by=opener, decision="accept")
    update = OutboundActivity.objects.get(kind="Update")
    assert "Plant pears." in [s["name"] for s in update.data["object"]["statements"]]
    # Refused, nothing stored: an actor id as participant, a stranger, a statement taken out.
    named = _relay(
        garden, community, publishing.VOTE_TYPE, about, participant=garden.uri, statement=2, vote="agree"
    )
    assert post(client, named, signer=garden).status_code == 422
    stranger = node.actor("stranger", kind="Group")
    theirs = _relay(
        stranger, community, publishing.VOTE_TYPE, about, participant=PSEUDONYM, statement=2, vote="agree"
    )
    assert post(client, theirs, signer=stranger).status_code == 403
    services.statement_moderate(
        statement=statement(deliberation, 2), by=opener, decision="reject", reason="Off topic"
    )
    out = _relay(
        garden, community, publishing.VOTE_TYPE, about, participant=PSEUDONYM, statement=2, vote="agree"
    )
    assert post(client, out, signer=garden).status_code == 422
    assert Participant.objects.filter(deliberation=deliberation).count() == 1
    assert Vote.objects.filter(statement__deliberation=deliberation).count() == 2  # pass on 1, agree on 4


def test_a_peers_deliberation_is_voted_on_here_under_a_pseudonym(
    client: Client, community: Any, garden: Actor, people: Any, node: RemoteNode
) -> None:
    base = garden.uri.rsplit("/users/", 1)[0]
    theirs: dict[str, Any] = {
        "id": f"{base}/deliberations/7",
        "type": "Deliberation",
        "name": "What should the shared garden grow?",
        "source": {"content": "Spring is coming.", "mediaType": "text/plain"},
        "attributedTo": garden.uri,
        "statements": [{"type": "Note", "number": 1, "name": "Apples."}, {"number": 2, "name": "Pears."}],
    }
    to = [ids.community_actor_id(community)]
    assert post(client, activity(garden, "Create", theirs, to=to), signer=garden).status_code == 202
    kept = PeerDeliberation.objects.get()
    assert (kept.community, kept.question, kept.description) == (
        community,
        theirs["name"],
        "Spring is coming.",
    )

    client.force_login(people["member"])
    assert theirs["name"] in client.get("/c/riverside/deliberations/").content.decode()
    page = f"/c/riverside/deliberations/peer/{kept.pk}/"
    assert "Apples." in client.get(page).content.decode()
    assert client.post(f"{page}statements/1/vote/", {"value": "agree"}).status_code == 302
    relay = OutboundActivity.objects.get(kind="Create")
    sent = relay.data["object"]
    me = membership_of(people["member"], community)
    assert (sent["type"], sent["inReplyTo"], sent["statement"], sent["vote"]) == (
        "DeliberationVote",
        theirs["id"],
        1,
        "agree",
    )
    assert relay.audience == "direct" and list(Delivery.objects.values_list("inbox", flat=True)) == [
        f"{node.base}/inbox"
    ]
    text = json.dumps(relay.data)
    assert me.display_name not in text and "/ap/u/" not in text and people["member"].email not in text
    assert len(sent["participant"]) >= 32 and sent["participant"] == PeerVote.objects.get().participant
    # The next statement; a changed vote goes under the same pseudonym; another member has another.
    card = client.get(page).content.decode().split('id="vote"', 1)[1]
    assert "Pears." in card.split("</section>", 1)[0] and "Apples." not in card.split("</section>", 1)[0]
    client.force_login(people["coordinator"])
    client.post(f"{page}statements/1/vote/", {"value": "disagree"})
    pseudonyms = {o.data["object"]["participant"] for o in OutboundActivity.objects.filter(kind="Create")}
    assert len(pseudonyms) == 2
    client.post(f"{page}statements/new/", {"text": "Plant a walnut."})
    said = OutboundActivity.objects.filter(kind="Create").order_by("-id").first()
    assert said is not None and said.data["object"]["name"] == "Plant a walnut."
    # The page reads a fixed number of queries, however many statements and votes.
    before = _queries(client, page)
    more = theirs | {"statements": [{"number": n, "name": f"Idea {n}."} for n in range(1, 40)]}
    assert post(client, activity(garden, "Update", more, to=to), signer=garden).status_code == 202
    client.post(f"{page}statements/2/vote/", {"value": "agree"})
    assert _queries(client, page) == before
    assert _queries(client, "/c/riverside/deliberations/") > 0
    # Observers read it, do not vote; closed at its origin, nobody votes.
    client.force_login(people["observer"])
    assert client.get(page).status_code == 200
    assert client.post(f"{page}statements/2/vote/", {"value": "agree"}).status_code == 403
    closed = theirs | {"closed": "2026-12-07T10:00:00Z"}
    assert post(client, activity(garden, "Update", closed, to=to), signer=garden).status_code == 202
    client.force_login(people["member"])
    assert client.post(f"{page}statements/2/vote/", {"value": "agree"}).status_code == 403
    assert PeerVote.objects.count() == 3
