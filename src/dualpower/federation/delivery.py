"""Publishing and delivering: the transactional outbox, one fan-out job per activity, each host's
queue in order, retries, and each host's health.

``activity_publish`` writes the activity and one ``Delivery`` per inbox (a server's shared inbox
when it has one) in the caller's transaction, the deliveries in one INSERT whatever their number,
so an activity exists exactly when the change it announces does, and the request's cost does not
grow with the followers. After the commit ONE job is queued for the activity
(``tasks.activity_send``, as notifications' fan-out queues one job per fan-out); it sends to each
host that has a delivery of it (and queues the hosts beyond the first ``HOSTS_PER_JOB`` as further
jobs, so that several workers share a large fan-out). Nothing else records its progress: the
deliveries are its progress, so a job killed half-way, or never run, leaves them pending, and the
clock job ``federation.deliveries`` queues every host whose earliest delivery is due (a retry, a
lease run out, a publish whose job never ran): a node that was down gets everything when it is
back.

Order: each host gets its deliveries in the order the activities were published, like Lemmy's
worker per instance: only the earliest pending delivery of a host is attempted, and while it
waits for its retry the others to that host wait behind it, unattempted. A dead letter no longer
holds the queue. How a worker claims a host's head safely beside others is in sending.py.

Each attempt is a signed POST (cavage, as the sending actor) through ``fetch.request``. 2xx:
delivered. A 4xx other than 408/429 will not get better by waiting (Mastodon's delivery worker
gives up on those too): dead at once. 5xx, 408, 429 or a network failure: retried after
1 min × 2^n (``DP_FEDERATION_RETRY_SECONDS`` instead of the minute), ±20 % jitter (so a node
coming back is not hit by every retry in the same second), capped at 12 h, at most
``MAX_ATTEMPTS`` times.

Per host, a circuit breaker (like Mastodon's stoplight and DeliveryFailureTracker): after
``BREAKER_THRESHOLD`` consecutive failures nothing is sent to the host until ``retry_after``, then
its head probes it; a host failing for ``DP_FEDERATION_UNAVAILABLE_DAYS`` (default 3) is marked
unavailable and its pending deliveries become dead letters an operator can retry. Any success (or
a verified activity from the host, see inbox.py) resets it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Field, OuterRef, Q, Subquery
from django.utils import timezone

from dualpower.community.models import Community
from dualpower.federation import fetch, ids, sending, tasks
from dualpower.federation.models import Delivery, Follower, OutboundActivity, Peer, RemoteActor, RemoteHost
from dualpower.federation.sending import LEASE

DUE_PER_TICK = 500  # hosts the clock queues per tick


# --- publishing ---------------------------------------------------------------------------------


def _with_proof(community: Community | None, activity: dict[str, Any]) -> dict[str, Any]:
    """FEP-8b32 integrity proof, signed with the node's Ed25519 key, for dualpower nodes (which
    verify it); other servers ignore the extra property."""
    from dualpower.federation import activities, keys, proofs

    actor = activities.actor_id(community)
    return proofs.proof_add(
        activity,
        private_key_pem=keys.node_proof_private_pem(),
        verification_method=ids.proof_key_id(actor),
    )


def _inboxes(
    community: Community | None, audience: str, to_actor: RemoteActor | None
) -> tuple[list[str], bool]:
    """The distinct inboxes of the audience, and whether one of them is a dualpower node's: one
    query of three columns (no model instances: a thousand followers cost a few milliseconds)."""
    if audience == OutboundActivity.Audience.DIRECT:
        if to_actor is None:
            raise ValueError("a direct activity needs to_actor")
        return ([to_actor.delivery_inbox] if to_actor.delivery_inbox else []), to_actor.is_dualpower
    if community is None:
        return [], False
    rows: Iterable[tuple[str, str, bool]]
    if audience == OutboundActivity.Audience.PUBLIC:
        rows = Follower.objects.filter(community=community).values_list(
            "actor__shared_inbox", "actor__inbox", "actor__is_dualpower"
        )
    elif audience == OutboundActivity.Audience.PEERS:
        rows = Peer.objects.filter(community=community, state=Peer.State.ACTIVE).values_list(
            "actor__shared_inbox", "actor__inbox", "actor__is_dualpower"
        )
    else:
        raise ValueError(f"unknown audience {audience!r}")
    inboxes, dualpower = set(), False
    for shared, own, is_dualpower in rows:
        if shared or own:
            inboxes.add(shared or own)
        dualpower = dualpower or is_dualpower
    return sorted(inboxes), dualpower


def _deliveries_insert(
    outbound: OutboundActivity, rows: list[tuple[str, str, str, str]], queued: datetime
) -> None:
    """Insert the deliveries ``(inbox, host, state, last_error)`` of ``outbound`` in ONE statement,
    whatever their number: the rows travel as one JSON parameter that the database unpacks
    (bulk_create would split them into one INSERT per 111 rows on SQLite, whose limit is 999
    parameters, and the request's cost would grow with the followers again)."""
    if not rows:
        return
    table = connection.ops.quote_name(Delivery._meta.db_table)
    names = ("activity", "inbox", "host", "state", "attempts", "next_attempt_at", "last_error", "created_at")
    fields = [Delivery._meta.get_field(name) for name in (*names, "delivered_at")]
    columns = ", ".join(connection.ops.quote_name(str(f.column)) for f in fields if isinstance(f, Field))
    if connection.vendor == "postgresql":
        select = (
            "SELECT %s, j->>0, j->>1, j->>2, 0, %s, j->>3, %s, NULL "
            "FROM jsonb_array_elements(%s::jsonb) WITH ORDINALITY AS t(j, n) ORDER BY n"
        )
    else:  # SQLite's JSON functions (built in since 3.38)
        select = (
            "SELECT %s, j.value ->> 0, j.value ->> 1, j.value ->> 2, 0, %s, j.value ->> 3, %s, NULL "
            "FROM json_each(%s) AS j ORDER BY j.key"
        )
    moment = connection.ops.adapt_datetimefield_value(queued)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({columns}) {select}",  # the names from the model, values as parameters
            [outbound.pk, moment, connection.ops.adapt_datetimefield_value(timezone.now()), json.dumps(rows)],
        )


def activity_publish(
    *,
    community: Community | None,
    activity: dict[str, Any],
    audience: str,
    to_actor: RemoteActor | None = None,
) -> OutboundActivity:
    """Keep ``activity`` in the outbox and make one delivery per distinct inbox of its audience
    (a server's shared inbox when it has one), in the caller's transaction; one job is queued for
    the activity when it commits. Blocked hosts get nothing; unavailable hosts get a dead letter.
    Its cost is the same few queries for one follower or thousands."""
    now = timezone.now()
    inboxes, to_dualpower = _inboxes(community, audience, to_actor)
    if to_dualpower and "proof" not in activity:
        activity = _with_proof(community, activity)
    with transaction.atomic():
        outbound = OutboundActivity.objects.create(
            uri=activity["id"],
            community=community,
            kind=str(activity.get("type", "")),
            audience=audience,
            data=activity,
        )
        hosts_of = {inbox: fetch.host_of(inbox) for inbox in inboxes}
        health = {
            h.host: h
            for h in RemoteHost.objects.filter(host__in=set(hosts_of.values())).only(
                "host", "blocked_at", "unavailable_since"
            )
        }
        rows = []
        for inbox in inboxes:
            host = health.get(hosts_of[inbox])
            if host is not None and host.blocked_at is not None:
                continue
            if host is not None and host.unavailable_since is not None:
                rows.append((inbox, hosts_of[inbox], Delivery.State.DEAD.value, "host unavailable"))
            else:
                rows.append((inbox, hosts_of[inbox], Delivery.State.PENDING.value, ""))
        # Queued, never attempted (attempts 0): the activity's job may take them at once; the
        # clock takes them only once this lease has run out (the job never ran, or died).
        _deliveries_insert(outbound, rows, now + LEASE)
        if any(state == Delivery.State.PENDING for _i, _h, state, _e in rows):
            transaction.on_commit(lambda: tasks.activity_send.enqueue(outbound.pk))
    return outbound


def deliveries_due(now: datetime) -> str:
    """The clock job: queue every host whose earliest pending delivery is due (a retry, a lease run
    out, a publish whose job never ran), except hosts blocked or whose breaker is open (when its
    time is up, the breaker is half-open: the host's head probes it). The head is leased before
    its host is queued, so the next tick does not queue it again."""
    open_hosts = RemoteHost.objects.filter(Q(retry_after__gt=now) | ~Q(blocked_at=None)).values("host")
    head = (
        Delivery.objects.filter(host=OuterRef("host"), state=Delivery.State.PENDING)
        .order_by("activity_id", "pk")
        .values("pk")[:1]
    )
    hosts = list(
        Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
        .exclude(host__in=open_hosts)
        .filter(pk=Subquery(head))
        .order_by("next_attempt_at")
        .values_list("host", flat=True)[:DUE_PER_TICK]
    )
    lease = now + LEASE
    queued = [host for host in hosts if sending.host_lease(host=host, now=now) is not None]
    for start in range(0, len(queued), tasks.HOSTS_PER_JOB):
        chunk = queued[start : start + tasks.HOSTS_PER_JOB]
        tasks.hosts_send.enqueue(chunk, lease.isoformat())
    return f"{len(queued)} hosts queued" if queued else ""


@transaction.atomic
def delivery_retry(*, delivery: Delivery) -> None:
    """A dead letter back to pending, its host queued at once. The operator's retry is a probe: it
    goes through even when the host is unavailable or its breaker open (a failure re-opens both).
    It takes its place in the host's queue by when its activity was published."""
    now = timezone.now()
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.PENDING,
        attempts=0,
        last_error="",
        next_attempt_at=now + LEASE,
        delivered_at=None,
    )
    RemoteHost.objects.filter(host=delivery.host).update(retry_after=None, unavailable_since=None)
    delivery.refresh_from_db()
    host = delivery.host
    transaction.on_commit(lambda: tasks.hosts_send.enqueue([host]))
