"""Building the activities this node sends: ids from ``ids.new_activity_id``, the actor a
community's Group (or the node's instance actor), addressing by audience, and the JSON-LD context.

Pure dict building: nothing here writes or sends (``delivery.activity_publish`` does).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from dualpower.community.models import Community
from dualpower.federation import ids
from dualpower.federation.models import RemoteActor

AS_CONTEXT = "https://www.w3.org/ns/activitystreams"
SECURITY_CONTEXT = "https://w3id.org/security/v1"
CONTEXT: list[Any] = [AS_CONTEXT, SECURITY_CONTEXT]
PUBLIC = "https://www.w3.org/ns/activitystreams#Public"
# Some servers write the public collection in its compacted forms; all three mean everyone.
PUBLIC_FORMS = frozenset({PUBLIC, "as:Public", "Public"})


def actor_id(community: Community | None) -> str:
    return ids.community_actor_id(community) if community is not None else ids.instance_actor_id()


def followers_id(community: Community) -> str:
    """The community's followers collection (served by views/actors.py at actor + "/followers")."""
    return ids.community_actor_id(community) + "/followers"


def addressing(
    *,
    community: Community | None,
    audience: str,
    to_actor: RemoteActor | None = None,
    peers: list[str] | None = None,
) -> dict[str, list[str]]:
    """``to``/``cc`` for an audience: public (everyone, copied to the followers), peers (each peer
    community's actor, never the public collection), direct (one actor)."""
    if audience == "public":
        return {"to": [PUBLIC], "cc": [followers_id(community)] if community is not None else []}
    if audience == "peers":
        return {"to": sorted(peers or []), "cc": []}
    if audience == "direct":
        if to_actor is None:
            raise ValueError("a direct activity needs its recipient")
        return {"to": [to_actor.uri], "cc": []}
    raise ValueError(f"unknown audience {audience!r}")


def activity_build(
    *,
    kind: str,
    community: Community | None,
    object: Any,
    to: list[str],
    cc: list[str] | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """One activity sent as ``community`` (or the instance actor), with a fresh id of ours."""
    activity: dict[str, Any] = {
        "@context": CONTEXT,
        "id": ids.new_activity_id(community),
        "type": kind,
        "actor": actor_id(community),
        "object": object,
        "to": to,
        "published": timezone.now().strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if cc:
        activity["cc"] = cc
    activity.update(extra)
    return activity


def follow(*, community: Community, target: RemoteActor) -> dict[str, Any]:
    return activity_build(kind="Follow", community=community, object=target.uri, to=[target.uri])


def answer(
    *, kind: str, community: Community | None, request: dict[str, Any], to: RemoteActor
) -> dict[str, Any]:
    """Accept or Reject of an activity someone sent us (their Follow, their Offer): the object is
    their activity as they sent it, so they can match it without fetching anything."""
    inner = {key: value for key, value in request.items() if key not in ("@context", "signature", "proof")}
    return activity_build(kind=kind, community=community, object=inner, to=[to.uri])


def undo(*, community: Community | None, activity: dict[str, Any]) -> dict[str, Any]:
    """Undo of one of our own activities, addressed as the original was."""
    inner = {key: value for key, value in activity.items() if key not in ("@context", "proof")}
    return activity_build(
        kind="Undo",
        community=community,
        object=inner,
        to=list(activity.get("to", [])),
        cc=list(activity.get("cc", [])),
    )


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def id_of(value: Any) -> str:
    """The id of an object given inline (``{"id": ...}``) or by reference (a string); "" if neither."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("id"), str):
        return str(value["id"])
    return ""


def recipients(activity: dict[str, Any]) -> set[str]:
    """Everyone the activity (and its object, when embedded) is addressed to."""
    found: set[str] = set()
    for part in (activity, activity.get("object")):
        if isinstance(part, dict):
            for field in ("to", "cc", "bto", "bcc", "audience"):
                found.update(id_of(item) for item in as_list(part.get(field)))
    found.discard("")
    return found
