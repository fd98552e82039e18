"""One delivery attempt, and each host's health (the per-host circuit breaker).

``delivery.py`` publishes (the transactional outbox) and queues; ``tasks.deliver`` calls
``delivery_attempt`` here. The retry policy and the breaker are described in delivery.py's
docstring.
"""

from __future__ import annotations

import json
import logging
import os
import random
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from dualpower.errors import DomainError
from dualpower.federation import fetch, ids
from dualpower.federation.models import Delivery, RemoteHost

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


# --- one attempt -------------------------------------------------------------------------------


def _claim(delivery_id: int, lease: str | None, now: datetime) -> bool:
    """Take the delivery for this attempt. With ``lease`` (the time it was leased until when it
    was queued), only the job queued last may take it: an older duplicate finds it changed."""
    pending = Delivery.objects.filter(pk=delivery_id, state=Delivery.State.PENDING)
    if lease:
        pending = pending.filter(next_attempt_at=datetime.fromisoformat(lease))
    return bool(pending.update(next_attempt_at=now + LEASE))


def delivery_attempt(*, delivery_id: int, lease: str | None = None, now: datetime | None = None) -> str:
    """Try to deliver once; returns what happened (for the job's log)."""
    now = now or timezone.now()
    if not _claim(delivery_id, lease, now):
        return "not pending, or taken by another attempt"
    delivery = Delivery.objects.select_related("activity__community").get(pk=delivery_id)
    host = RemoteHost.objects.filter(host=delivery.host).first()
    if host is not None and (host.blocked_at is not None or host.unavailable_since is not None):
        _finish(
            delivery,
            state=Delivery.State.DEAD,
            error="host blocked" if host.blocked_at else "host unavailable",
        )
        return "dead: host blocked or unavailable"
    if host is not None and host.retry_after is not None and host.retry_after > now:
        Delivery.objects.filter(pk=delivery.pk).update(next_attempt_at=host.retry_after)
        return "waiting: the host's breaker is open"
    body = json.dumps(delivery.activity.data, separators=(",", ":")).encode()
    try:
        response = fetch.request(
            "POST",
            delivery.inbox,
            body=body,
            sign=ids.signer_for(delivery.activity.community),
            headers={"Content-Type": ACTIVITY_TYPE, "Accept": ACTIVITY_TYPE},
            max_bytes=RESPONSE_CAP,
            timeout=10.0,
        )
    except fetch.FetchRefused as refused:  # a private address, too many redirects...: waiting won't help
        _finish(delivery, state=Delivery.State.DEAD, error=f"refused: {refused.detail}")
        return "dead: refused"
    except (fetch.FetchFailed, DomainError, OSError) as failed:
        return _failed(delivery, now=now, error=f"failed: {failed}")
    if 200 <= response.status < 300:
        _finish(delivery, state=Delivery.State.DELIVERED, now=now)
        host_succeeded(host=delivery.host, now=now)
        return "delivered"
    if 400 <= response.status < 500 and response.status not in (408, 429):
        _finish(delivery, state=Delivery.State.DEAD, error=f"HTTP {response.status}")
        host_succeeded(host=delivery.host, now=now)  # it answered: the host is up
        return f"dead: HTTP {response.status}"
    return _failed(delivery, now=now, error=f"HTTP {response.status}")


def _finish(delivery: Delivery, *, state: str, error: str = "", now: datetime | None = None) -> None:
    Delivery.objects.filter(pk=delivery.pk).update(
        state=state,
        last_error=error[:300],
        delivered_at=now if state == Delivery.State.DELIVERED else None,
        attempts=delivery.attempts + 1,
    )


def _failed(delivery: Delivery, *, now: datetime, error: str) -> str:
    attempts = delivery.attempts + 1
    if attempts >= MAX_ATTEMPTS:
        Delivery.objects.filter(pk=delivery.pk).update(
            state=Delivery.State.DEAD, attempts=attempts, last_error=f"gave up: {error}"[:300]
        )
    else:
        Delivery.objects.filter(pk=delivery.pk).update(
            attempts=attempts, last_error=error[:300], next_attempt_at=now + backoff(attempts)
        )
    host_failed(host=delivery.host, now=now)
    return f"retry: {error}" if attempts < MAX_ATTEMPTS else f"dead: {error}"


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
