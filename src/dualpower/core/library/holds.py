"""The hold queue of one thing in a library of things (after circulate's holds, with what its
users asked for: a member may pause their own hold without losing their place).

Holds are served in the order they were placed (the database's arrival order, ``seq``). A hold
paused until a later date keeps its place but is passed over while paused; the next one who is
not paused is offered the thing. A ready hold waits ``ready_days`` for its member, then expires.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class QueuedHold:
    """A hold still waiting: ``seq`` orders arrivals, ``paused_until`` (a date) or None."""

    seq: int
    paused_until: dt.date | None = None


def in_order(holds: Iterable[QueuedHold]) -> list[QueuedHold]:
    """The queue as it is served: by arrival."""
    return sorted(holds, key=lambda hold: hold.seq)


def next_in_line(holds: Iterable[QueuedHold], *, today: dt.date) -> QueuedHold | None:
    """The first hold by arrival that is not paused on ``today``, or None."""
    for hold in in_order(holds):
        if hold.paused_until is None or hold.paused_until <= today:
            return hold
    return None


def position(holds: Sequence[QueuedHold], seq: int) -> int | None:
    """1-based place of the hold ``seq`` in the queue, or None when it is not in it."""
    for place, hold in enumerate(in_order(holds), start=1):
        if hold.seq == seq:
            return place
    return None


def due_on(start: dt.date, *, loan_days: int) -> dt.date:
    """When a loan started (or renewed) on ``start`` is due back."""
    if loan_days < 1:
        raise ValueError("A loan lasts at least one day.")
    return start + dt.timedelta(days=loan_days)


def ready_until(ready_at: dt.datetime, *, ready_days: int) -> dt.datetime:
    """Until when a hold offered at ``ready_at`` waits for its member."""
    if ready_days < 1:
        raise ValueError("A ready hold waits at least one day.")
    return ready_at + dt.timedelta(days=ready_days)


def is_overdue(due: dt.date, *, today: dt.date) -> bool:
    return today > due
