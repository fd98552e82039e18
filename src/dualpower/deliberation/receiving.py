"""What peers' nodes send about deliberations (registered with federation's handler registry in
registrations.py; the inbox verified the signature and that the activity is the signer's).

- Create / Update(Deliberation): a peer opened one of its deliberations to its peers' members (or
  it changed): kept for each of our communities that peers with the sender. Delete withdraws it.
- Create(DeliberationVote) / Create(DeliberationStatement): a peer's node relays one of its
  members' votes or statements on one of OUR deliberations. Taken only from an active peer of the
  deliberation's community, while it is open and open to peers; otherwise refused, nothing stored.
- Delete(DeliberationVote) with a ``participant``: a peer's node withdraws every vote of one of its
  members (they erased them there, or left). Taken from an active peer of the deliberation's
  community even once it is closed or no longer open to peers: erasing is the person's right.

Objects are taken only inline, of the signer's origin and attributed to the signer (``own_object``).
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.html import strip_tags

from dualpower.community.selectors import communities_all
from dualpower.deliberation import publishing
from dualpower.deliberation.models import STATEMENT_MAX, Deliberation
from dualpower.deliberation.services import peers
from dualpower.errors import DomainError
from dualpower.federation import activities
from dualpower.federation import selectors as federation
from dualpower.federation.handlers import Incoming, Refused, own_object, same_origin

STATEMENTS_KEPT = 500
# What a peer's map may hold (mapping.shown draws at most 100 base clusters, 5 groups).
MAP_POINTS_KEPT = 200
MAP_GROUPS_KEPT = 12
MAP_SAID_KEPT = 10
DIRECTIONS = frozenset({"agree", "disagree"})


def _plain(value: Any, limit: int) -> str:
    return html.unescape(strip_tags(str(value)))[:limit].strip() if isinstance(value, str) else ""


def _number(value: Any, low: float = 0, high: float = 10**9) -> bool:
    """A number (not a boolean) within [low, high]."""
    return isinstance(value, int | float) and not isinstance(value, bool) and low <= value <= high


def _said(item: Any) -> bool:
    """A statement of the map (representative or consensus): its number and its direction."""
    if not isinstance(item, dict) or isinstance(item.get("statement"), bool):
        return False
    number = item.get("statement")
    return isinstance(number, int) and number > 0 and item.get("direction") in DIRECTIONS


def _representative(item: Any) -> bool:
    return _said(item) and _number(item.get("percent"), 0, 100)


def _consensus(item: Any, groups: int) -> bool:
    shares = item.get("percent_by_group") if isinstance(item, dict) else None
    return (
        _said(item)
        and isinstance(shares, list)
        and len(shares) == groups
        and all(_number(p, 0, 100) for p in shares)
    )


def map_from_peer(value: Any) -> dict[str, Any]:
    """The opinion map a peer sent (``opinionMap``), kept only if it is the shape mapping.shown
    stores, within bounds, numbers where numbers belong: a page draws it as our own maps. Anything
    else: {} (the deliberation is kept without a map)."""
    if not isinstance(value, dict):
        return {}
    groups, consensus, points = value.get("groups"), value.get("consensus", []), value.get("points", [])
    if not (isinstance(groups, list) and isinstance(consensus, list) and isinstance(points, list)):
        return {}
    if len(groups) > MAP_GROUPS_KEPT or len(consensus) > MAP_SAID_KEPT or len(points) > MAP_POINTS_KEPT:
        return {}
    if not (_number(value.get("participants")) and _number(value.get("mapped"))):
        return {}
    for number, group in enumerate(groups, start=1):
        if not isinstance(group, dict) or group.get("number") != number or not _number(group.get("size")):
            return {}
        said = group.get("representative")
        if not isinstance(said, list) or len(said) > MAP_SAID_KEPT or not all(map(_representative, said)):
            return {}
    if not all(_consensus(c, len(groups)) for c in consensus):
        return {}
    for point in points:
        if not (isinstance(point, list) and len(point) == 4):
            return {}
        x, y, people, group_index = point
        if not (_number(x, 0, 1) and _number(y, 0, 1) and _number(people, 1)):
            return {}
        if not (isinstance(group_index, int) and 0 <= group_index < len(groups)):
            return {}
    return {
        "participants": int(value["participants"]),
        "mapped": int(value["mapped"]),
        "groups": [
            {
                "number": g["number"],
                "size": int(g["size"]),
                "representative": [
                    {"statement": r["statement"], "direction": r["direction"], "percent": int(r["percent"])}
                    for r in g["representative"]
                ],
            }
            for g in groups
        ],
        "consensus": [
            {
                "statement": c["statement"],
                "direction": c["direction"],
                "percent_by_group": [int(p) for p in c["percent_by_group"]],
            }
            for c in consensus
        ],
        "points": [[float(x), float(y), int(n), g] for x, y, n, g in points],
    }


def _fields(obj: dict[str, Any], *, origin_name: str) -> dict[str, Any]:
    source = obj.get("source")
    description = source.get("content") if isinstance(source, dict) else obj.get("content")
    statements = []
    for item in activities.as_list(obj.get("statements"))[:STATEMENTS_KEPT]:
        number = item.get("number") if isinstance(item, dict) else None
        text = _plain(item.get("name"), STATEMENT_MAX) if isinstance(item, dict) else ""
        if isinstance(number, int) and not isinstance(number, bool) and number > 0 and text:
            statements.append({"number": number, "text": text})
    return {
        "question": _plain(obj.get("name"), 200),
        "description": _plain(description, 2000),
        "statements": statements,
        "is_closed": bool(obj.get("closed")),
        "origin_name": origin_name,
        "opinion_map": map_from_peer(obj.get("opinionMap")),
    }


def deliberation_received(incoming: Incoming) -> None:
    """Create / Update(Deliberation): kept for our communities that peer with the sender."""
    obj = own_object(incoming)
    actor = incoming.actor
    fields = _fields(obj, origin_name=actor.name or actor.username or actor.host)
    hearing = federation.communities_hearing_from(actor=actor)
    chosen = [community_id for community_id, is_peer in hearing.items() if is_peer]
    if incoming.community is not None:
        chosen = [c for c in chosen if c == incoming.community.pk]
    for community in communities_all().filter(pk__in=chosen).order_by("pk"):
        peers.peer_deliberation_keep(community=community, uri=obj["id"], actor_uri=actor.uri, fields=fields)


def deliberation_deleted(incoming: Incoming) -> None:
    uri = incoming.object_id
    if not same_origin(uri, incoming.actor):
        raise Refused("object of another origin")
    peers.peer_deliberation_remove(uri=uri, actor_uri=incoming.actor.uri)


def _ours(incoming: Incoming) -> tuple[Deliberation, dict[str, Any]]:
    """The deliberation of ours a relayed object names, if its sender may relay to it."""
    obj = own_object(incoming)
    deliberation = publishing.deliberation_by_uri(activities.id_of(obj.get("inReplyTo")))
    if deliberation is None:
        raise Refused("no such deliberation here", status=404)
    peer = federation.peers_active(community=deliberation.community).filter(actor=incoming.actor)
    if not deliberation.peers_open or not peer.exists():
        raise Refused("this deliberation is not open to the sender's members", status=403)
    return deliberation, obj


def _taken(incoming: Incoming, take: Callable[[Deliberation, dict[str, Any]], object]) -> None:
    deliberation, obj = _ours(incoming)
    try:
        take(deliberation, obj)
    except DomainError as refused:
        raise Refused(refused.detail, status=422) from None


def sent_at(incoming: Incoming) -> datetime:
    """When the sender's node stamped the activity (``published``); now when it did not say."""
    stamp = incoming.activity.get("published")
    when = parse_datetime(stamp) if isinstance(stamp, str) else None
    if when is None:
        return timezone.now()
    return when if timezone.is_aware(when) else timezone.make_aware(when, UTC)


def vote_relayed(incoming: Incoming) -> None:
    _taken(
        incoming,
        lambda deliberation, obj: peers.relayed_vote_take(
            deliberation=deliberation,
            peer_uri=incoming.actor.uri,
            participant=obj.get("participant"),
            statement=obj.get("statement"),
            vote=obj.get("vote"),
            sent_at=sent_at(incoming),
        ),
    )


def statement_relayed(incoming: Incoming) -> None:
    _taken(
        incoming,
        lambda deliberation, obj: peers.relayed_statement_take(
            deliberation=deliberation,
            peer_uri=incoming.actor.uri,
            participant=obj.get("participant"),
            text=_plain(obj.get("name"), STATEMENT_MAX + 1),
            sent_at=sent_at(incoming),
        ),
    )


def votes_withdrawn(incoming: Incoming) -> None:
    """Delete(DeliberationVote): the participant's votes erased (the map is recomputed)."""
    obj = own_object(incoming)
    deliberation = publishing.deliberation_by_uri(activities.id_of(obj.get("inReplyTo")))
    if deliberation is None:
        raise Refused("no such deliberation here", status=404)
    peer = federation.peers_active(community=deliberation.community).filter(actor=incoming.actor)
    if not peer.exists():
        raise Refused("the sender is not a peer of this deliberation's community", status=403)
    try:
        peers.relayed_votes_erase(
            deliberation=deliberation,
            peer_uri=incoming.actor.uri,
            participant=obj.get("participant"),
            sent_at=sent_at(incoming),
        )
    except DomainError as refused:
        raise Refused(refused.detail, status=422) from None
