"""Publishing and delivering: the transactional outbox, retries, and each host's health.

``activity_publish`` writes the activity and one ``Delivery`` per inbox in the caller's
transaction, so an activity exists exactly when the change it announces does; the deliveries are
queued after the commit (``tasks.deliver``), and the clock job ``federation.deliveries`` queues the
ones due again (a retry, or a job lost with its worker), so a node that was down gets everything
when it is back.

Each attempt is a signed POST (cavage, as the sending actor) through ``fetch.request``. 2xx:
delivered. A 4xx other than 408/429 will not get better by waiting (Mastodon's delivery worker
gives up on those too): dead at once. 5xx, 408, 429 or a network failure: retried after
1 min × 2^n, ±20 % jitter (so a node coming back is not hit by every retry in the same second),
capped at 12 h, at most ``MAX_ATTEMPTS`` times.

Per host, a circuit breaker (like Mastodon's stoplight and DeliveryFailureTracker, and Lemmy's
per-instance worker that waits on a failing instance): after ``BREAKER_THRESHOLD`` consecutive
failures nothing is sent to the host until ``retry_after``; a host failing for
``DP_FEDERATION_UNAVAILABLE_DAYS`` (default 3) is marked unavailable and its pending deliveries
become dead letters an operator can retry. Any success (or a verified activity from the host,
see inbox.py) resets it.

Order between deliveries to one inbox is not kept (Lemmy keeps it with one worker per instance):
every handler here takes activities in any order, and a replayed id has no second effect.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from dualpower.community.models import Community
from dualpower.federation import fetch, ids, tasks
from dualpower.federation.models import Delivery, Follower, OutboundActivity, Peer, RemoteActor, RemoteHost
from dualpower.federation.sending import BREAKER_THRESHOLD, LEASE

DUE_PER_TICK = 500  # deliveries the clock queues per tick


# --- publishing ---------------------------------------------------------------------------------


def _audience_actors(
    community: Community | None, audience: str, to_actor: RemoteActor | None
) -> list[RemoteActor]:
    if audience == OutboundActivity.Audience.DIRECT:
        if to_actor is None:
            raise ValueError("a direct activity needs to_actor")
        return [to_actor]
    if community is None:
        return []
    if audience == OutboundActivity.Audience.PUBLIC:
        return [f.actor for f in Follower.objects.filter(community=community).select_related("actor")]
    if audience == OutboundActivity.Audience.PEERS:
        peers = Peer.objects.filter(community=community, state=Peer.State.ACTIVE).select_related("actor")
        return [p.actor for p in peers]
    raise ValueError(f"unknown audience {audience!r}")


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


def activity_publish(
    *,
    community: Community | None,
    activity: dict[str, Any],
    audience: str,
    to_actor: RemoteActor | None = None,
) -> OutboundActivity:
    """Keep ``activity`` in the outbox and make one delivery per distinct inbox of its audience
    (a server's shared inbox when it has one), in the caller's transaction; the deliveries are
    queued when it commits. Blocked hosts get nothing; unavailable hosts get a dead letter."""
    now = timezone.now()
    actors = _audience_actors(community, audience, to_actor)
    if any(actor.is_dualpower for actor in actors) and "proof" not in activity:
        activity = _with_proof(community, activity)
    with transaction.atomic():
        outbound = OutboundActivity.objects.create(
            uri=activity["id"],
            community=community,
            kind=str(activity.get("type", "")),
            audience=audience,
            data=activity,
        )
        inboxes = sorted({actor.delivery_inbox for actor in actors if actor.delivery_inbox})
        hosts_of = {inbox: fetch.host_of(inbox) for inbox in inboxes}
        health = {h.host: h for h in RemoteHost.objects.filter(host__in=set(hosts_of.values()))}
        rows = []
        for inbox in inboxes:
            host = health.get(hosts_of[inbox])
            if host is not None and host.blocked_at is not None:
                continue
            row = Delivery(activity=outbound, inbox=inbox, host=hosts_of[inbox], next_attempt_at=now + LEASE)
            if host is not None and host.unavailable_since is not None:
                row.state, row.last_error = Delivery.State.DEAD, "host unavailable"
            elif host is not None and host.retry_after is not None and host.retry_after > now:
                row.next_attempt_at = host.retry_after  # the breaker is open: the clock queues it later
            rows.append(row)
        Delivery.objects.bulk_create(rows)
        queued = list(
            Delivery.objects.filter(
                activity=outbound, state=Delivery.State.PENDING, next_attempt_at=now + LEASE
            ).values_list("pk", flat=True)
        )
        lease = (now + LEASE).isoformat()
        transaction.on_commit(lambda: _enqueue(queued, lease))
    return outbound


def _enqueue(delivery_ids: list[int], lease: str) -> None:
    for delivery_id in delivery_ids:
        tasks.deliver.enqueue(delivery_id, lease)


def deliveries_due(now: datetime) -> str:
    """The clock job: queue every pending delivery whose time has come (a retry, or an attempt
    whose worker died), except to hosts whose breaker is open. Each is leased before it is queued
    so the next tick does not queue it again."""
    open_hosts = RemoteHost.objects.filter(Q(retry_after__gt=now) | ~Q(blocked_at=None)).values("host")
    rows = (
        Delivery.objects.filter(state=Delivery.State.PENDING, next_attempt_at__lte=now)
        .exclude(host__in=open_hosts)
        .order_by("next_attempt_at")
        .values_list("pk", "host")[:DUE_PER_TICK]
    )
    # A breaker whose time is up is half-open: one delivery probes the host; if it gets through,
    # host_succeeded brings the others forward, if not the breaker opens again for longer.
    half_open = set(
        RemoteHost.objects.filter(failures__gte=BREAKER_THRESHOLD, retry_after__lte=now).values_list(
            "host", flat=True
        )
    )
    due, probing = [], set()
    for pk, host in rows:
        if host in half_open:
            if host in probing:
                continue
            probing.add(host)
        due.append(pk)
    if not due:
        return ""
    lease = now + LEASE
    with transaction.atomic():
        Delivery.objects.filter(pk__in=due, state=Delivery.State.PENDING).update(next_attempt_at=lease)
        transaction.on_commit(lambda: _enqueue(due, lease.isoformat()))
    return f"{len(due)} deliveries queued"


@transaction.atomic
def delivery_retry(*, delivery: Delivery) -> None:
    """A dead letter back to pending, queued at once. The operator's retry is a probe: it goes
    through even when the host is unavailable or its breaker open (a failure re-opens both)."""
    now = timezone.now()
    lease = now + LEASE
    Delivery.objects.filter(pk=delivery.pk).update(
        state=Delivery.State.PENDING, attempts=0, last_error="", next_attempt_at=lease, delivered_at=None
    )
    RemoteHost.objects.filter(host=delivery.host).update(retry_after=None, unavailable_since=None)
    delivery.refresh_from_db()
    transaction.on_commit(lambda: _enqueue([delivery.pk], lease.isoformat()))
