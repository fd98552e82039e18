"""Sending: each remote host's queue, delivered in order, one attempt at a time, and each host's
health (the per-host circuit breaker).

``delivery.py`` publishes (the transactional outbox) and queues; the jobs in ``tasks`` call
``host_send`` here, which sends what waits for one host, earliest first. The retry policy, the
breaker and the order are described in delivery.py's docstring.
"""

from __future__ import annotations

import json
import logging
import os
import random
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from dualpower.errors import DomainError
from dualpower.federation import fetch, ids
from dualpower.federation.models import Delivery, OutboundActivity, RemoteHost

log = logging.getLogger("dualpower.federation.delivery")

BASE_DELAY = timedelta(minutes=1)
MAX_DELAY = timedelta(hours=12)
JITTER = 0.2
MAX_ATTEMPTS = 16  # about four days of retries with the delays above (Mastodon also tries 16 times)
BREAKER_THRESHOLD = 5
BREAKER_MAX_OPEN = timedelta(hours=1)
# A queued or running attempt holds its delivery this long; a worker that died mid-way frees it.
LEASE = timedelta(minutes=5)
ACTIVITY_TYPE = "application/activity+json"
RESPONSE_CAP = 64 * 1024  # what an inbox answers is not read beyond this


def unavailable_after() -> timedelta:
    days = getattr(settings, "DP_FEDERATION_UNAVAILABLE_DAYS", None)
    if days is None:
        days = os.environ.get("DP_FEDERATION_UNAVAILABLE_DAYS", "3")
    return timedelta(days=float(days))


def base_delay() -> timedelta:
    """The wait after a first failure: ``BASE_DELAY``, or ``DP_FEDERATION_RETRY_SECONDS`` (the
    real-process tests set a few seconds, so that a node brought back is caught up within the
    test rather than after a minute)."""
    seconds = getattr(settings, "DP_FEDERATION_RETRY_SECONDS", None) or os.environ.get(
        "DP_FEDERATION_RETRY_SECONDS"
    )
    return timedelta(seconds=float(seconds)) if seconds else BASE_DELAY


def backoff(attempts: int, *, rng: random.Random | None = None) -> timedelta:
    """The wait after the ``attempts``-th failure: 1 min × 2^(n-1), ±20 %, capped at 12 h."""
    base = min(base_delay() * (2 ** max(attempts - 1, 0)), MAX_DELAY)
    factor = (rng or random).uniform(1 - JITTER, 1 + JITTER)
    return min(base * factor, MAX_DELAY)


# --- one host's queue --------------------------------------------------------------------------
#
# A host's queue is its pending deliveries in the order the activities were published (activity id,
# then delivery id); its *head* is the first. Only the head may be attempted (Lemmy's worker per
# instance sends activity n+1 only after n): an Update cannot overtake its Create, an Undo its
# Follow. While the head waits for its retry, or is being sent, the rest of the queue waits behind
# it without being attempted (and without using up attempts). A dead letter is no longer pending,
# so it no longer holds anything back.
#
# Why the claim is made this way:
# - The claim reads the head and marks it taken in one short transaction that holds the host's
#   RemoteHost row locked (SELECT ... FOR UPDATE on PostgreSQL; on SQLite every transaction here
#   is IMMEDIATE, so writers take turns for the whole transaction anyway). Two workers claiming for
#   one host therefore take turns: the second sees the head already taken (its attempts counted,
#   its lease set) and stops. The HTTP request is made after the commit, never under the lock.
# - Not SKIP LOCKED on the host row: the row is also locked for a moment by host_failed,
#   host_succeeded and the inbox's host_heard_from; a worker that skipped the host then would
#   leave its head to the next clock tick. Waiting costs milliseconds (no request is made under
#   the lock). And never SKIP LOCKED on the deliveries: "the first pending row not locked" is the
#   second in the queue when another worker holds the first, which is exactly the overtaking this
#   prevents.
# - A claim counts the attempt at once (attempts + 1) and leases the row for LEASE. So a row with
#   attempts = 0 has never been taken: it is queued, and any worker may take it when it is the
#   head (a publish's job, or another activity's job that reached the same host first). A row with
#   attempts > 0 is taken when its time has come (a retry due, or the lease of a worker that died
#   ran out), or with the lease the clock gave it when it queued the host.
# - The UPDATE of the claim also checks the attempts it read, so a writer that does not take the
#   host's lock (the operator's retry) cannot make two claims of one row succeed.


def _claim(host: str, *, lease: datetime | None, now: datetime) -> tuple[Delivery | None, str]:
    """Take the head of ``host``'s queue for one attempt; (None, why) when nothing may go now."""
    with transaction.atomic():
        row = _host_locked(host)
        if row.blocked_at is not None or row.unavailable_since is not None:
            error = "host blocked" if row.blocked_at is not None else "host unavailable"
            Delivery.objects.filter(host=host, state=Delivery.State.PENDING).update(
                state=Delivery.State.DEAD, last_error=error
            )
            return None, error
        head = (
            Delivery.objects.filter(host=host, state=Delivery.State.PENDING)
            .order_by("activity_id", "pk")
            .only("pk", "activity_id", "inbox", "host", "attempts", "next_attempt_at")
            .first()
        )
        if head is None:
            return None, "nothing waits"
        if row.retry_after is not None and row.retry_after > now:
            return None, "waiting: the host's breaker is open"
        takeable = head.attempts == 0 or head.next_attempt_at <= now or head.next_attempt_at == lease
        if not takeable:
            return None, "waiting: its earliest delivery waits for a retry or is being sent"
        taken = Delivery.objects.filter(
            pk=head.pk, state=Delivery.State.PENDING, attempts=head.attempts
        ).update(attempts=F("attempts") + 1, next_attempt_at=now + LEASE)
        if not taken:
            return None, "taken by another attempt"
        head.attempts += 1
        return head, ""


def host_lease(*, host: str, now: datetime) -> datetime | None:
    """The clock's part: when ``host``'s head is due, lease it (so that the next tick does not queue
    it again while its job waits in the queue) and return the lease the job is queued with."""
    with transaction.atomic():
        _host_locked(host)
        head = (
            Delivery.objects.filter(host=host, state=Delivery.State.PENDING)
            .order_by("activity_id", "pk")
            .only("pk", "next_attempt_at")
            .first()
        )
        if head is None or head.next_attempt_at > now:
            return None
        lease = now + LEASE
        Delivery.objects.filter(pk=head.pk, next_attempt_at=head.next_attempt_at).update(
            next_attempt_at=lease
        )
        return lease


def host_send(*, host: str, lease: datetime | None = None, now: datetime | None = None) -> str:
    """Send what waits for ``host``, earliest first, until its queue is empty or its head has to
    wait (a failure: its retry; the breaker). Returns what happened, for the job's log."""
    done: dict[str, int] = {}
    bodies: dict[int, tuple[bytes, Any]] = {}  # one serialisation per activity in this run
    why = ""
    while True:
        moment = now or timezone.now()
        claimed, why = _claim(host, lease=lease, now=moment)
        if claimed is None:
            break
        outcome = _attempt(claimed, now=moment, bodies=bodies)
        done[outcome] = done.get(outcome, 0) + 1
    sent = ", ".join(f"{n} {outcome}" for outcome, n in sorted(done.items()))
    return f"{host}: {sent or 'nothing sent'}; {why}"


def _attempt(delivery: Delivery, *, now: datetime, bodies: dict[int, tuple[bytes, Any]]) -> str:
    """One signed POST of a claimed delivery; records what became of it."""
    if delivery.activity_id not in bodies:
        activity = OutboundActivity.objects.select_related("community").get(pk=delivery.activity_id)
        body = json.dumps(activity.data, separators=(",", ":")).encode()
        bodies[delivery.activity_id] = (body, ids.signer_for_outbound(activity))
    body, signer = bodies[delivery.activity_id]
    try:
        response = fetch.request(
            "POST",
            delivery.inbox,
            body=body,
            sign=signer,
            headers={"Content-Type": ACTIVITY_TYPE, "Accept": ACTIVITY_TYPE},
            max_bytes=RESPONSE_CAP,
            timeout=10.0,
        )
    except fetch.FetchRefused as refused:  # a private address, too many redirects...: waiting won't help
        _finish(delivery, state=Delivery.State.DEAD, error=f"refused: {refused.detail}")
        return "dead"
    except (fetch.FetchFailed, DomainError, OSError) as failed:
        return _failed(delivery, now=now, error=f"failed: {failed}")
    if 200 <= response.status < 300:
        _finish(delivery, state=Delivery.State.DELIVERED, now=now)
        host_succeeded(host=delivery.host, now=now)
        return "delivered"
    if 400 <= response.status < 500 and response.status not in (408, 429):
        _finish(delivery, state=Delivery.State.DEAD, error=f"HTTP {response.status}")
        host_succeeded(host=delivery.host, now=now)  # it answered: the host is up
        return "dead"
    return _failed(delivery, now=now, error=f"HTTP {response.status}")


def _finish(delivery: Delivery, *, state: str, error: str = "", now: datetime | None = None) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state,
        last_error=error[:300],
        delivered_at=now if state == Delivery.State.DELIVERED else None,
    )


def _failed(delivery: Delivery, *, now: datetime, error: str) -> str:
    """The attempt (already counted by the claim) failed: retry later, or give up. Either way the
    host's queue waits behind it until then (a dead letter does not hold it back)."""
    if delivery.attempts >= MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.DEAD, last_error=f"gave up: {error}"[:300]
        )
    else:
        Delivery.objects.filter(pk=delivery.pk).update(
            last_error=error[:300], next_attempt_at=now + backoff(delivery.attempts)
        )
    host_failed(host=delivery.host, now=now)
    return "retry" if delivery.attempts < MAX_ATTEMPTS else "dead"


# --- hosts' health -----------------------------------------------------------------------------


def _host_locked(host: str) -> RemoteHost:
    """The host's row, locked for this transaction (made on first use)."""
    row = RemoteHost.objects.select_for_update().filter(host=host).first()
    if row is None:
        try:
            with transaction.atomic():
                RemoteHost.objects.create(host=host)
        except IntegrityError:  # another attempt made it first
            pass
        row = RemoteHost.objects.select_for_update().get(host=host)
    return row


@transaction.atomic
def host_failed(*, host: str, now: datetime) -> RemoteHost:
    """Count one more consecutive failure: open the breaker at the threshold; past the days
    allowed, mark the host unavailable and turn its pending deliveries into dead letters."""
    row = _host_locked(host)
    row.failures += 1
    row.failing_since = row.failing_since or now
    if row.failures >= BREAKER_THRESHOLD:
        row.retry_after = now + min(backoff(row.failures - BREAKER_THRESHOLD + 1), BREAKER_MAX_OPEN)
    if row.unavailable_since is None and now - row.failing_since >= unavailable_after():
        row.unavailable_since = now
        Delivery.objects.filter(host=host, state=Delivery.State.PENDING).update(
            state=Delivery.State.DEAD, last_error="host unavailable"
        )
        log.warning("federation: %s unavailable since %s; its deliveries are dead letters", host, now)
    row.save(update_fields=["failures", "failing_since", "retry_after", "unavailable_since"])
    return row


def host_succeeded(*, host: str, now: datetime) -> None:
    """The host answered: close its breaker and forget its failures. When it was failing, what
    waits for it is brought forward to now (the next tick sends it: a node back up catches up at
    once rather than at each delivery's own backoff)."""
    recovered = (
        RemoteHost.objects.filter(host=host)
        .filter(Q(failures__gt=0) | ~Q(unavailable_since=None))
        .update(failures=0, failing_since=None, retry_after=None, unavailable_since=None, last_success_at=now)
    )
    if recovered:
        Delivery.objects.filter(
            host=host, state=Delivery.State.PENDING, attempts__gt=0, next_attempt_at__gt=now + LEASE
        ).update(next_attempt_at=now)
    else:
        RemoteHost.objects.filter(host=host).update(last_success_at=now)


def host_heard_from(*, host: str) -> None:
    """A verified activity came from the host: it is up, so what waits for it goes out now, as
    after a successful delivery (Mastodon resets its failure tracker the same way on inbound
    activity)."""
    failing = RemoteHost.objects.filter(host=host).filter(
        Q(failures__gt=0) | ~Q(unavailable_since=None) | ~Q(retry_after=None)
    )
    if failing.exists():  # a read first: most hosts are healthy, and a write would lock SQLite
        host_succeeded(host=host, now=timezone.now())
