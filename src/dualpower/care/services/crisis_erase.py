"""Reducing closed crisis calls to counts after the community's retention (a clock job).

What is kept of an erased call: one row of ``CrisisTally`` per community, week it closed and
outcome category, adding up calls. Its situation, rough place, pair and times are deleted (with
SQLite's secure_delete, their pages are zeroed). The call's aid request is aid's: aid erases its
sealed details (the rough place) after aid's own retention, as it does for every closed request,
and keeps its listing (category, code, status) for the network's statistics.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import F

from dualpower.care.models.circles import CareSettings
from dualpower.care.models.clinics import CrisisCall, CrisisTally
from dualpower.care.services.circles_erase import DEFAULT_RETENTION_DAYS, audit_erased
from dualpower.care.services.clinics import monday
from dualpower.holdings import erasure_flush


@transaction.atomic
def crisis_calls_erase_expired(*, now: dt.datetime) -> int:
    """Erase every closed crisis call whose retention has passed; how many were erased."""
    retention = dict(CareSettings.objects.values_list("community_id", "retention_days"))
    closed = list(
        CrisisCall.objects.select_for_update()
        .filter(status=CrisisCall.Status.CLOSED, closed_at__isnull=False)
        .select_related("community")
        .only("pk", "community", "closed_at", "outcome")
        .order_by("community_id", "pk")
    )
    due = [
        call
        for call in closed
        if call.closed_at is not None
        and call.closed_at + dt.timedelta(days=retention.get(call.community_id, DEFAULT_RETENTION_DAYS))
        <= now
    ]
    if not due:
        return 0
    tallies: dict[tuple[int, dt.date, str], int] = {}
    for call in due:
        assert call.closed_at is not None
        key = (call.community_id, monday(call.closed_at.date()), call.outcome)
        tallies[key] = tallies.get(key, 0) + 1
    for (community_id, week, outcome), calls in tallies.items():
        tally, _created = CrisisTally.objects.get_or_create(
            community_id=community_id, week=week, outcome=outcome
        )
        CrisisTally.objects.filter(pk=tally.pk).update(calls=F("calls") + calls)
    CrisisCall.objects.filter(pk__in=[c.pk for c in due]).delete()
    erasure_flush()  # after the commit: no older image of the erased pages left in SQLite's WAL
    audit_erased(due, action="care.crisis_erase", counted=True)
    return len(due)


def crisis_calls_erase_expired_job(now: dt.datetime) -> str:
    """The clock job ``care.crisis_erase``: what it did, for the clock's report."""
    erased = crisis_calls_erase_expired(now=now)
    return f"{erased} closed crisis calls reduced to counts" if erased else ""
