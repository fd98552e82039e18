"""Erasing closed circles after the community's retention, leaving only counts (a clock job).

What is kept of an erased circle: one row of ``CircleTally`` per community, week it closed and kind,
adding up circles, helpers, needs and needs met. Its title, the person or their code, the pod, the
calendar and the sealed notes are deleted (with SQLite's secure_delete, their pages are zeroed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Protocol

from django.db import transaction
from django.db.models import Count, F, Q

from dualpower.care.models.circles import CareSettings, Circle, CircleTally, Helper, Need
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.holdings import erasure_flush

DEFAULT_RETENTION_DAYS = 30


class _Erased(Protocol):
    community_id: int
    community: Community


def audit_erased(rows: Sequence[_Erased], *, action: str, counted: bool = False) -> None:
    """One audit entry per community for what the clock erased (with how many, if ``counted``)."""
    by_community: dict[int, list[_Erased]] = {}
    for row in rows:
        by_community.setdefault(row.community_id, []).append(row)
    for _pk, erased in sorted(by_community.items()):
        summary = str(len(erased)) if counted else ""
        audit_record(community=erased[0].community, actor=None, action=action, summary=summary)


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


@transaction.atomic
def circles_erase_expired(*, now: dt.datetime) -> int:
    """Erase every closed circle whose retention has passed; how many were erased."""
    retention = dict(CareSettings.objects.values_list("community_id", "retention_days"))
    # Lock the closed circles first (PostgreSQL refuses FOR UPDATE with GROUP BY), then count.
    closed = list(
        Circle.objects.select_for_update()
        .filter(status=Circle.Status.CLOSED)
        .only("pk", "community_id", "kind", "closed_at", "status")
        .order_by("community_id", "pk")
    )
    due = []
    for circle in closed:
        days = retention.get(circle.community_id, DEFAULT_RETENTION_DAYS)
        assert circle.closed_at is not None  # a constraint: closed circles have their time
        if circle.closed_at + dt.timedelta(days=days) <= now:
            due.append(circle)
    ids = [c.pk for c in due]
    helpers = dict(
        Helper.objects.filter(circle_id__in=ids, status=Helper.Status.ACTIVE)
        .values("circle_id")
        .annotate(n=Count("pk"))
        .values_list("circle_id", "n")
    )
    needs = {
        row["circle_id"]: (row["n"], row["met"])
        for row in Need.objects.filter(circle_id__in=ids)
        .values("circle_id")
        .annotate(n=Count("pk"), met=Count("pk", filter=Q(taken_at__isnull=False)))
    }
    tallies: dict[tuple[int, dt.date, str], list[int]] = {}
    for found in due:
        assert found.closed_at is not None
        key = (found.community_id, _monday(found.closed_at.date()), found.kind)
        counts = tallies.setdefault(key, [0, 0, 0, 0])
        counts[0] += 1
        counts[1] += helpers.get(found.pk, 0)
        counts[2] += needs.get(found.pk, (0, 0))[0]
        counts[3] += needs.get(found.pk, (0, 0))[1]
    for (community_id, week, kind), (n_circles, n_helpers, n_needs, n_met) in tallies.items():
        tally, _created = CircleTally.objects.get_or_create(community_id=community_id, week=week, kind=kind)
        CircleTally.objects.filter(pk=tally.pk).update(
            circles=F("circles") + n_circles,
            helpers=F("helpers") + n_helpers,
            needs=F("needs") + n_needs,
            needs_met=F("needs_met") + n_met,
        )
    if due:
        Circle.objects.filter(pk__in=ids).delete()
        erasure_flush()  # after the commit: no older image of the erased pages left in SQLite's WAL
        audit_erased(due, action="care.circle.erase")
    return len(due)


def circles_erase_expired_job(now: dt.datetime) -> str:
    """The clock job ``care.circles_erase``: what it did, for the clock's report."""
    erased = circles_erase_expired(now=now)
    return f"{erased} closed care circles erased" if erased else ""
