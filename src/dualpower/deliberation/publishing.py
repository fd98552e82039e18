"""A deliberation on the network: the object it travels as to the community's peers, and the
activities relayed back (docs/deliberation.md, "Open to peer communities").

    its id            {actor}/deliberations/{pk}
    published as      Create(Deliberation) when opened to peers; Update(Deliberation) as its shown
                      statements change, it closes, or its opinion map is drawn anew (at most every
                      ``MAP_EVERY``: ``map_sync_due``); Delete(Deliberation) when no longer open to
                      them. Always addressed to the community's active peers, never to Public.
    its map           ``opinionMap``: what the members' page shows of the map (mapping.shown:
                      groups by size, representative and consensus statements by number, the base
                      clusters' places and sizes), never a person's votes.
    relayed back      Create(DeliberationVote) and Create(DeliberationStatement) from a peer's
                      node, each naming the deliberation (``inReplyTo``) and a pseudonymous
                      ``participant``: a keyed hash of the person made by their node, stable for
                      the deliberation, never their actor id. Delete(DeliberationVote) with no
                      ``statement`` withdraws every vote of that participant (the member erased
                      their votes at their node, or left it).

Between dualpower nodes (extension types in dualpower's namespace); text travels as plain text in
``name`` (the question, each statement) and ``source`` (the background). Called inside the
deliberation services' transactions, so an outbox row exists exactly when the change it announces.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.html import linebreaks

from dualpower.deliberation.models import Deliberation, Statement
from dualpower.federation import activities, delivery, ids
from dualpower.federation import selectors as federation

DP = "https://dualpower.org/ns#"
OBJECT_TYPE = "Deliberation"
VOTE_TYPE = "DeliberationVote"
STATEMENT_TYPE = "DeliberationStatement"
CONTEXT: list[Any] = [
    activities.AS_CONTEXT,
    {
        "dp": DP,
        OBJECT_TYPE: "dp:Deliberation",
        VOTE_TYPE: "dp:DeliberationVote",
        STATEMENT_TYPE: "dp:DeliberationStatement",
        "statements": "dp:statements",
        "number": "dp:number",
        "participant": "dp:participant",
        "statement": "dp:statement",
        "vote": "dp:vote",
        "closed": "as:closed",
        "opinionMap": "dp:opinionMap",
    },
]

# A busy deliberation's map is drawn anew seconds after each vote; peers get it at most this often
# (the clock sends the last one a busy spell held back: jobs.send_held_maps).
MAP_EVERY = timedelta(minutes=5)
# The stored map's parts that travel (its ``state`` is the next computation's, and stays here).
MAP_PARTS = ("participants", "mapped", "groups", "consensus", "points")


def deliberation_uri(deliberation: Deliberation) -> str:
    return f"{ids.community_actor_id(deliberation.community)}/deliberations/{deliberation.pk}"


def deliberation_by_uri(uri: str) -> Deliberation | None:
    """Our deliberation whose id is ``uri``, or None."""
    prefix = f"{ids.site_url()}/ap/c/"
    if not uri.startswith(prefix) or "/deliberations/" not in uri:
        return None
    slug, _sep, rest = uri[len(prefix) :].partition("/deliberations/")
    if not rest.isdigit():
        return None
    return (
        Deliberation.objects.filter(pk=int(rest), community__slug=slug)
        .select_related("community", "assembly")
        .first()
    )


def _peers(deliberation: Deliberation) -> dict[str, list[str]]:
    peers = list(
        federation.peers_active(community=deliberation.community).values_list("actor__uri", flat=True)
    )
    return activities.addressing(community=deliberation.community, audience="peers", peers=peers)


def deliberation_object(deliberation: Deliberation) -> dict[str, Any]:
    """The deliberation as it is now: its question, background and shown statements."""
    shown = Statement.objects.filter(deliberation=deliberation, state=Statement.State.ACCEPTED).order_by(
        "number"
    )
    path = reverse("deliberation:detail", args=[deliberation.community.slug, deliberation.pk])
    stored = deliberation.opinion_map or {}
    document: dict[str, Any] = {
        "id": deliberation_uri(deliberation),
        "type": OBJECT_TYPE,
        "name": deliberation.question,
        "content": linebreaks(deliberation.description, autoescape=True),
        "mediaType": "text/html",
        "source": {"content": deliberation.description, "mediaType": "text/plain"},
        "attributedTo": ids.community_actor_id(deliberation.community),
        "url": ids.site_url() + path,
        "statements": [{"type": "Note", "number": s.number, "name": s.text} for s in shown],
        "opinionMap": {part: stored[part] for part in MAP_PARTS if part in stored},
        "published": deliberation.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        **_peers(deliberation),
    }
    if deliberation.closed_at is not None:
        document["closed"] = deliberation.closed_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return document


def _send(deliberation: Deliberation, kind: str, obj: dict[str, Any]) -> None:
    activity = activities.activity_build(
        kind=kind, community=deliberation.community, object=obj, **_peers(deliberation)
    )
    activity["@context"] = CONTEXT
    delivery.activity_publish(community=deliberation.community, activity=activity, audience="peers")


def deliberation_publish(*, deliberation: Deliberation) -> None:
    _send_as_it_is(deliberation, "Create")


def deliberation_sync(*, deliberation: Deliberation) -> None:
    """Send the deliberation as it is now to the peers, if it is open to them."""
    if deliberation.peers_open:
        _send_as_it_is(deliberation, "Update")


def _send_as_it_is(deliberation: Deliberation, kind: str) -> None:
    """Send the deliberation with the map it holds, and remember that map as sent, so that the
    clock does not send the same map again (``MAP_EVERY`` counts only sends of a new map)."""
    _send(deliberation, kind, deliberation_object(deliberation))
    Deliberation.objects.filter(pk=deliberation.pk, map_sent_votes__lt=deliberation.map_votes).update(
        map_sent_votes=deliberation.map_votes
    )


def map_sync_due(*, deliberation_id: int, now: datetime | None = None) -> bool:
    """Send the deliberation with its new map to the peers, if it is open to them, its map changed
    since the last one sent and that was at least ``MAP_EVERY`` ago. The claim is one conditional
    UPDATE, so two workers finishing maps at once send it once. Returns whether it was sent."""
    now = now or timezone.now()
    with transaction.atomic():
        claimed = (
            _map_unsent(now).filter(pk=deliberation_id).update(map_sent_votes=F("map_votes"), map_sent_at=now)
        )
        if not claimed:
            return False
        deliberation = Deliberation.objects.select_related("community").get(pk=deliberation_id)
        _send(deliberation, "Update", deliberation_object(deliberation))
    return True


def maps_held_back(*, now: datetime) -> list[int]:
    """Deliberations open to peers whose newest map has not been sent and may be now."""
    return list(_map_unsent(now).values_list("pk", flat=True)[:50])


def _map_unsent(now: datetime) -> QuerySet[Deliberation]:
    return Deliberation.objects.filter(peers_open=True, map_sent_votes__lt=F("map_votes")).filter(
        Q(map_sent_at=None) | Q(map_sent_at__lte=now - MAP_EVERY)
    )


def deliberation_withdraw(*, deliberation: Deliberation) -> None:
    _send(deliberation, "Delete", {"id": deliberation_uri(deliberation), "type": OBJECT_TYPE})


def relayed(
    *, community: Any, to: Any, kind: str, deliberation_uri: str, verb: str = "Create", **fields: Any
) -> None:
    """Relay one of our members' votes or statements on a peer's deliberation to its node (or, with
    ``verb="Delete"``, the withdrawal of their votes), signed as ``community``: ``to`` is the
    peer's RemoteActor."""
    base = ids.new_activity_id(community)
    obj = {
        "id": base.replace("/activities/", "/deliberation-relays/"),
        "type": kind,
        "attributedTo": ids.community_actor_id(community),
        "inReplyTo": deliberation_uri,
        "to": [to.uri],
        **fields,
    }
    activity = activities.activity_build(kind=verb, community=community, object=obj, to=[to.uri])
    activity["@context"] = CONTEXT
    delivery.activity_publish(community=community, activity=activity, audience="direct", to_actor=to)
