"""What each kind of incoming activity does: a registry keyed "Type", "Type(ObjectType)"
(``Undo(Follow)``, ``Accept(Offer)``, ``Offer(Referral)``) or, for an answer to one of our own
activities, "Type(OurType(WhatItCarried))" (``Accept(Offer(Referral))``), so other modules
(peering.py, aid's referrals) add theirs with ``handler``.

A handler has ``apply`` (run in the inbox's transaction, with the activity's InboxEntry: raise
``Refused`` and nothing is stored) and optionally ``prepare`` (run before, outside any transaction,
for network work such as fetching an announced object from its origin: a database write lock is
never held across a fetch). The activity reaching a handler is signed by its actor, who is
``incoming.actor``, and its id is of the actor's origin (inbox.py checked both).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dualpower.community.models import Community
from dualpower.federation import activities, ids
from dualpower.federation.models import URI_LENGTH, Following, InboxEntry, OutboundActivity, RemoteActor


class Refused(Exception):
    """The activity is refused: nothing it asked for is stored."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass
class Incoming:
    activity: dict[str, Any]
    actor: RemoteActor  # verified: its key signed the request, and it is the activity's actor
    community: Community | None  # the community whose inbox it was posted to (None: shared inbox)
    fetched: dict[str, Any] = field(default_factory=dict)  # what ``prepare`` fetched, for ``apply``

    @property
    def kind(self) -> str:
        return str(self.activity["type"])

    @property
    def object(self) -> Any:
        return self.activity.get("object")

    @property
    def object_id(self) -> str:
        return activities.id_of(self.object)


Apply = Callable[[Incoming], None]


@dataclass(frozen=True)
class Handler:
    kind: str
    apply: Apply
    prepare: Callable[[Incoming], None] | None = None


_registry: dict[str, Handler] = {}


def handler(kind: str, *, prepare: Callable[[Incoming], None] | None = None) -> Callable[[Apply], Apply]:
    """Register the decorated function as what ``kind`` ("Follow", "Undo(Follow)") does."""

    def decorate(func: Apply) -> Apply:
        _registry[kind] = Handler(kind=kind, apply=func, prepare=prepare)
        return func

    return decorate


def object_kind(incoming: Incoming) -> str:
    """The type of the activity's object: given inline, or (an id) one of our own activities, or
    one the inbox took before (their Follow, undone by id alone)."""
    obj = incoming.object
    if isinstance(obj, dict):
        return str(obj.get("type", ""))
    if not isinstance(obj, str) or not obj:
        return ""
    ours = OutboundActivity.objects.filter(uri=obj).values_list("kind", flat=True).first()
    if ours:
        return ours
    if Following.objects.filter(follow_id=obj).exists():
        return "Follow"
    taken = InboxEntry.objects.filter(activity_id=obj, actor_uri=incoming.actor.uri).values_list(
        "kind", flat=True
    )
    kind = taken.first() or ""
    return kind.split("(")[0]


ACTOR_TYPES = frozenset(kind.value for kind in RemoteActor.Kind)


def answered_kind(incoming: Incoming) -> str:
    """What the activity answered or undid carried: for one of our own activities (an Accept of
    our Offer of a referral) the type of its object ("Referral"); for one the same actor sent us
    before (an Undo of their Accept of our event) the object type its handler was chosen by
    ("Event", from the InboxEntry kind "Accept(Event)"); else ""."""
    obj = incoming.object
    uri = obj if isinstance(obj, str) else activities.id_of(obj) if isinstance(obj, dict) else ""
    if not uri:
        return ""
    data = OutboundActivity.objects.filter(uri=uri).values_list("data", flat=True).first()
    if data is not None:
        inner = data.get("object") if isinstance(data, dict) else None
        return str(inner.get("type", "")) if isinstance(inner, dict) else ""
    taken = InboxEntry.objects.filter(activity_id=uri, actor_uri=incoming.actor.uri)
    kind = taken.values_list("kind", flat=True).first() or ""
    return kind[kind.index("(") + 1 : -1] if kind.endswith(")") and "(" in kind else ""


def handler_for(incoming: Incoming) -> Handler | None:
    """The most precise handler registered: "Accept(Offer(Referral))", then "Accept(Offer)", then
    "Accept". The innermost level names what one of our own activities carried, so an answer to
    our Offer of a referral and one to our Offer of a peering reach different handlers."""
    inner = object_kind(incoming)
    if inner in ACTOR_TYPES and incoming.kind in ("Update", "Delete"):
        inner = "Actor"
    elif incoming.kind == "Delete" and incoming.object_id == incoming.actor.uri:
        inner = "Actor"  # Delete of an actor gone: the object is its id alone, or a Tombstone
    if incoming.kind in ("Accept", "Reject", "Undo") and inner:
        innermost = answered_kind(incoming)
        if innermost and (found := _registry.get(f"{incoming.kind}({inner}({innermost}))")):
            return found
    return _registry.get(f"{incoming.kind}({inner})") or _registry.get(incoming.kind)


def same_origin(uri: str, actor: RemoteActor) -> bool:
    try:
        return bool(uri) and ids.origin_of(uri) == ids.origin_of(actor.uri)
    except ValueError:
        return False


def own_object(incoming: Incoming) -> dict[str, Any]:
    """The activity's object, given inline, of the actor's origin and attributed to the actor (or
    to nobody): what a Create or Update may carry. Anything else is refused, never trusted."""
    obj = incoming.object
    if not isinstance(obj, dict) or not isinstance(obj.get("id"), str):
        raise Refused("the object must be given inline")
    if len(obj["id"]) > URI_LENGTH:
        raise Refused("the object's id is too long")
    if not same_origin(obj["id"], incoming.actor):
        raise Refused("object of another origin")
    author = activities.id_of(obj.get("attributedTo")) or incoming.actor.uri
    if author != incoming.actor.uri:
        raise Refused("object attributed to another actor")
    return obj
