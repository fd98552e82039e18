"""Background jobs of federation: one per published activity (queued after the commit that wrote
it), and jobs that send to a list of hosts (queued by the activity's job for a large fan-out, by
the clock job ``federation.deliveries`` when a host's earliest delivery is due, or by an
operator's retry). Each sends what waits for a host in order (sending.host_send); two jobs on the
same host take turns and never send one delivery twice."""

from __future__ import annotations

from datetime import datetime

from django_tasks import task

from dualpower.federation import sending
from dualpower.federation.models import Delivery

HOSTS_PER_JOB = 50  # hosts one job sends to, one after the other


@task()
def activity_send(activity_id: int) -> str:
    """The job of one published activity (delivery.activity_publish queues it): send to every host
    that has a pending delivery of it, each host's queue in order (an earlier activity still
    waiting for the same host goes first, whoever queued it). Hosts beyond the first
    ``HOSTS_PER_JOB`` go to further jobs, so that several workers share a large fan-out."""
    hosts = sorted(
        set(
            Delivery.objects.filter(activity_id=activity_id, state=Delivery.State.PENDING).values_list(
                "host", flat=True
            )
        )
    )
    mine, rest = hosts[:HOSTS_PER_JOB], hosts[HOSTS_PER_JOB:]
    for start in range(0, len(rest), HOSTS_PER_JOB):
        hosts_send.enqueue(rest[start : start + HOSTS_PER_JOB])
    report = [sending.host_send(host=host) for host in mine]
    return f"{len(hosts)} hosts, {len(rest)} in further jobs; " + " | ".join(report)


@task()
def hosts_send(hosts: list[str], lease: str | None = None) -> str:
    """Send what waits for each host, in order. ``lease`` is the lease the clock gave each host's
    earliest delivery when it queued them (a queued row nobody else may take meanwhile)."""
    when = datetime.fromisoformat(lease) if lease else None
    return " | ".join(sending.host_send(host=host, lease=when) for host in hosts)


@task()
def deliver(delivery_id: int, lease: str | None = None) -> str:
    """A job queued by the previous version (one per delivery) that may still wait in a queue after
    an upgrade: it sends what waits for the delivery's host, in order."""
    host = Delivery.objects.filter(pk=delivery_id).values_list("host", flat=True).first()
    return sending.host_send(host=host) if host else "no such delivery"
