"""The clock: runs the jobs registered in ``dualpower.clock`` once per slot (a minute by default).

Apps register their jobs with ``dualpower.clock`` (a base module), never with this top layer.

Every `dualpower serve` runs a worker with a clock, an operator may also run `dualpower worker`
or `dualpower tick` from cron, and a node may have several machines: many clocks, one database.
So that a tick is done once per slot whichever process gets there first, a tick starts only
after claiming the lease row (``ops.ClockLease``) with one conditional UPDATE:

    UPDATE ops_clocklease SET holder = me, due_at = <next slot>, expires_at = now + LEASE
     WHERE name = 'clock' AND due_at <= now AND (expires_at <= now OR holder = me)

One statement is atomic on both databases: PostgreSQL makes a second UPDATE of the row wait for
the first and evaluates its WHERE again on the row the first wrote (which no longer matches);
SQLite has one writer at a time. No lock is held while the jobs run (an advisory lock would do on
PostgreSQL, but SQLite has none, and holding its write lock for a whole tick would stop every
other writer). ``expires_at`` keeps a second process from starting the next slot's tick while a
long one still runs, and lets the clock go on LEASE after a process died mid-tick.

The task queue needs nothing of the kind: django-tasks' database worker claims each task with
``SELECT ... FOR UPDATE SKIP LOCKED`` (PostgreSQL) or in an EXCLUSIVE transaction (SQLite) and
marks it running before it commits, so several workers never run one task twice.
"""

from __future__ import annotations

import atexit
import logging
import os
import random
import socket
import threading
import time
from datetime import datetime, timedelta

from django.db import DatabaseError, close_old_connections
from django.db.models import Q
from django.utils import timezone

from dualpower.clock import run_due
from dualpower.ops.models import ClockLease

log = logging.getLogger("dualpower.schedule")

LEASE_NAME = "clock"
# Longer than any tick should take; also how long the clock may stand still after a crash.
LEASE = timedelta(minutes=5)
DEFAULT_EVERY = 60.0

Report = list[tuple[str, str]]


def every_seconds_from_env() -> float:
    """DP_TICK_SECONDS: the length of the clock's slot (60: once a minute). Every process of a node
    should use the same, as a tick claims its slot for everyone."""
    raw = os.environ.get("DP_TICK_SECONDS", "").strip()
    try:
        return max(float(raw), 1.0) if raw else DEFAULT_EVERY
    except ValueError:
        return DEFAULT_EVERY


def holder_name() -> str:
    """Who is ticking, for the lease row and the logs: host, process and thread."""
    return f"{socket.gethostname()[:80]}:{os.getpid()}:{threading.get_ident() % 100000}"


def slot_start(now: datetime, every_seconds: float) -> datetime:
    """The start of the slot ``now`` falls in: slots of ``every_seconds`` counted from the epoch,
    so every process, on every machine, agrees where a minute begins."""
    every = max(float(every_seconds), 1.0)
    stamp = now.timestamp()
    return datetime.fromtimestamp(stamp - stamp % every, tz=now.tzinfo)


def tick_claim(*, holder: str, now: datetime, every_seconds: float = DEFAULT_EVERY) -> bool:
    """Claim this slot's tick for ``holder``; False when another process has it or it is done."""
    ClockLease.objects.bulk_create([ClockLease(name=LEASE_NAME)], ignore_conflicts=True)
    next_slot = slot_start(now, every_seconds) + timedelta(seconds=max(float(every_seconds), 1.0))
    claimed = (
        ClockLease.objects.filter(name=LEASE_NAME)
        .filter(Q(due_at__isnull=True) | Q(due_at__lte=now))
        .filter(Q(expires_at__isnull=True) | Q(expires_at__lte=now) | Q(holder=holder))
        .update(holder=holder, due_at=next_slot, expires_at=now + LEASE, ticked_at=now)
    )
    return claimed == 1


def tick_release(*, holder: str) -> None:
    """Let the next slot's tick go to any process at once (the slot itself stays done)."""
    ClockLease.objects.filter(name=LEASE_NAME, holder=holder).update(expires_at=None)


def tick_once(
    *, holder: str | None = None, every_seconds: float = DEFAULT_EVERY, now: datetime | None = None
) -> Report | None:
    """Run every job once if this slot's tick is ours; None when another process has done it."""
    holder = holder or holder_name()
    now = now or timezone.now()
    if not tick_claim(holder=holder, now=now, every_seconds=every_seconds):
        return None
    try:
        return run_due(now)
    finally:
        tick_release(holder=holder)


def _seconds_to_next_slot(every_seconds: float) -> float:
    every = max(float(every_seconds), 1.0)
    # A little after the slot begins, spread out, so that clocks of several processes do not all
    # knock at the same instant (the lease decides anyway).
    return every - time.time() % every + random.uniform(0.05, min(1.0, every / 10))


def start_clock(every_seconds: float) -> threading.Thread:
    """Tick in a daemon thread beside the task worker: at once, then at the start of each slot.

    At exit (the worker was stopped) a tick under way may finish for a few seconds, and the lease
    is given back so that another process's clock need not wait for it to lapse.
    """
    holder = holder_name()
    stop = threading.Event()
    busy = threading.Lock()

    def loop() -> None:
        while not stop.is_set():
            with busy:
                if stop.is_set():
                    break
                close_old_connections()
                try:
                    report = tick_once(holder=holder, every_seconds=every_seconds)
                except DatabaseError:  # the database is away for a moment: try again next slot
                    log.exception("the clock could not tick")
                else:
                    if report is not None:
                        log.debug("clock tick: %s", "; ".join(f"{n}: {r or '-'}" for n, r in report))
                close_old_connections()
            stop.wait(_seconds_to_next_slot(every_seconds))

    def finish() -> None:
        stop.set()
        if busy.acquire(timeout=10):  # the tick under way ends; none starts after this
            try:
                tick_release(holder=holder)
            except DatabaseError:
                pass
            finally:
                busy.release()

    thread = threading.Thread(target=loop, name="dualpower-clock", daemon=True)
    thread.start()
    atexit.register(finish)
    return thread
