"""Figures for the aid dashboard: open needs by category, neighbourhood and urgency, response and
fulfilment times, unmet needs over time, volunteers' load.

``public_summary`` is what every member sees: counts by category and urgency only, no neighbourhoods
(a street with one request in it would point at a person) and no names.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from statistics import median
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.formats import date_format

from dualpower.aid.models import CLOSED_STATUSES, LIVE_MATCH, AidMatch, AidRequest, Urgency
from dualpower.aid.selectors import category_names
from dualpower.community.models import Community

OPEN = [s for s in AidRequest.Status.values if s not in CLOSED_STATUSES]
WEEKS = 8


def _hours(deltas: list[timedelta]) -> float | None:
    return round(median(d.total_seconds() for d in deltas) / 3600, 1) if deltas else None


def public_summary(community: Community) -> dict[str, Any]:
    reqs = AidRequest.objects.filter(community=community)
    open_reqs = reqs.filter(status__in=OPEN)
    by_category = Counter(open_reqs.values_list("category", flat=True))
    by_urgency = Counter(open_reqs.values_list("urgency", flat=True))
    names = category_names(community)
    return {
        "open": open_reqs.count(),
        "fulfilled": reqs.filter(status=AidRequest.Status.FULFILLED).count(),
        "by_category": sorted(
            ((names.get(k, k), n) for k, n in by_category.items()), key=lambda kv: (-kv[1], kv[0])
        ),
        "by_urgency": [(str(label), by_urgency.get(value, 0)) for value, label in Urgency.choices],
        "unmet_over_time": unmet_over_time(community),
    }


def unmet_over_time(community: Community, *, now: datetime | None = None) -> list[tuple[str, int]]:
    """How many requests were open at the end of each of the last weeks (oldest first)."""
    now = now or timezone.now()
    rows = list(AidRequest.objects.filter(community=community).values_list("created_at", "closed_at"))
    out = []
    for back in range(WEEKS - 1, -1, -1):
        at = now - timedelta(weeks=back)
        n = sum(1 for created, closed in rows if created <= at and (closed is None or closed > at))
        out.append((date_format(timezone.localtime(at), "MONTH_DAY_FORMAT"), n))
    return out


def dispatcher_dashboard(community: Community) -> dict[str, Any]:
    """Everything the aid working group needs to see where the network stands (dispatchers only)."""
    summary = public_summary(community)
    reqs = AidRequest.objects.filter(community=community)
    open_reqs = reqs.filter(status__in=OPEN)
    by_neighbourhood = Counter(open_reqs.values_list("neighbourhood", flat=True))
    responded = [
        first - created
        for created, first in reqs.filter(first_response_at__isnull=False).values_list(
            "created_at", "first_response_at"
        )
        if first is not None
    ]
    fulfilled = [
        done - created
        for created, done in reqs.filter(fulfilled_at__isnull=False).values_list("created_at", "fulfilled_at")
        if done is not None
    ]
    load = (
        AidMatch.objects.filter(request__community=community)
        .values("volunteer__display_name")
        .annotate(
            live=Count("id", filter=Q(status__in=LIVE_MATCH)),
            done=Count("id", filter=Q(status=AidMatch.Status.FULFILLED)),
        )
        .order_by("-live", "-done", "volunteer__display_name")
    )
    summary.update(
        by_neighbourhood=sorted(by_neighbourhood.items(), key=lambda kv: (-kv[1], kv[0])),
        median_first_response_hours=_hours(responded),
        median_fulfilment_hours=_hours(fulfilled),
        stale=open_reqs.filter(stale_since__isnull=False).count(),
        volunteer_load=[(row["volunteer__display_name"], row["live"], row["done"]) for row in load],
    )
    return summary
