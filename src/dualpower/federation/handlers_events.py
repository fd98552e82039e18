"""Answers from the fediverse to our public events: "going" (Join, as Mobilizon sends it; Accept,
as calendar-minded servers answer an invitation), "maybe" (TentativeAccept), and taking it back
(Leave, Mobilizon's; Undo of a Join or TentativeAccept). Each actor has one answer per event: a
second Join is the same answer, a TentativeAccept after a Join replaces it.

What is not about a live event of ours (someone else's event, one deleted) is acknowledged and
not stored. The answer is counted, never treated as a member's attendance (meetings shows it apart).
An Undo of their Accept of our event reaches ``Undo(Accept(Event))`` (handlers.py looks up what
their Accept was chosen as); a bare Undo(Accept) stays peering.py's.
"""

from __future__ import annotations

from dualpower.federation import activities, events
from dualpower.federation.handlers import Incoming, handler
from dualpower.federation.models import EventAnswer


def _answer(incoming: Incoming, kind: str) -> None:
    event = events.event_by_uri(incoming.object_id)
    if event is None:
        return
    EventAnswer.objects.update_or_create(
        event=event,
        actor=incoming.actor,
        defaults={"kind": kind, "activity_id": str(incoming.activity["id"])[:500]},
    )


def going(incoming: Incoming) -> None:
    _answer(incoming, EventAnswer.Kind.GOING)


def maybe(incoming: Incoming) -> None:
    _answer(incoming, EventAnswer.Kind.MAYBE)


def left(incoming: Incoming) -> None:
    """Leave (the object: the event) or Undo (the object: their answer, inline or by id)."""
    obj = incoming.object
    answers = EventAnswer.objects.filter(actor=incoming.actor)
    if incoming.kind == "Undo":
        undone = activities.id_of(obj)
        inner = activities.id_of(obj.get("object")) if isinstance(obj, dict) else ""
        event = events.event_by_uri(inner) if inner else None
        if event is not None:
            answers.filter(event=event).delete()
        else:
            answers.filter(activity_id=undone).delete()
        return
    event = events.event_by_uri(incoming.object_id)
    if event is not None:
        answers.filter(event=event).delete()


for _kind in ("Join", "Join(Event)", "Accept(Event)", "Accept"):
    handler(_kind)(going)
for _kind in ("TentativeAccept", "TentativeAccept(Event)"):
    handler(_kind)(maybe)
for _kind in ("Leave", "Leave(Event)", "Undo(Join)", "Undo(TentativeAccept)", "Undo(Accept(Event))"):
    handler(_kind)(left)
