"""Reads for clinic days, the referral directory, the warm line and crisis calls: each in a fixed
number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from itertools import pairwise

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.activities.models import SignUp
from dualpower.activities.selectors import on_shift
from dualpower.care.models.clinics import (
    CareRota,
    ClinicDay,
    ClinicWeek,
    CrisisCall,
    CrisisTally,
    QueueEntry,
    Referral,
    ScreeningCount,
    Station,
    WarmLineCall,
)
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.inventory import selectors as inventory
from dualpower.inventory.models import Item, Lot
from dualpower.members.models import Membership


def clinic_days(*, community: Community) -> QuerySet[ClinicDay]:
    return ClinicDay.objects.filter(community=community).annotate(
        waiting=Count("queue", filter=Q(queue__status=QueueEntry.Status.WAITING))
    )


def clinic_day_get(*, community: Community, pk: int) -> ClinicDay:
    day = ClinicDay.objects.filter(community=community, pk=pk).select_related("community", "series").first()
    if day is None:
        raise NotFound(_("This community has no clinic day %(id)s.") % {"id": pk})
    return day


def stations_of(*, day: ClinicDay) -> list[Station]:
    return list(Station.objects.filter(day=day).order_by("position"))


def station_get(*, day: ClinicDay, pk: int | None) -> Station:
    found = Station.objects.filter(day=day, pk=pk).first() if pk is not None else None
    if found is None:
        raise NotFound(_("This clinic day has no such station."))
    return found


@dataclass
class StationQueue:
    station: Station
    waiting: list[QueueEntry] = field(default_factory=list)
    next_station: Station | None = None


@dataclass
class Board:
    stations: list[StationQueue]
    finished: int
    left: int


def board(*, day: ClinicDay) -> Board:
    """The day's queue by station, in the order people reached each one (two queries)."""
    stations = stations_of(day=day)
    queues = {s.pk: StationQueue(station=s) for s in stations}
    for here, there in pairwise(stations):
        queues[here.pk].next_station = there
    finished = left = 0
    for entry in QueueEntry.objects.filter(day=day).order_by("moved_at", "id"):
        if entry.status == QueueEntry.Status.DONE:
            finished += 1
        elif entry.status == QueueEntry.Status.LEFT:
            left += 1
        elif entry.station_id in queues:
            queues[entry.station_id].waiting.append(entry)
    return Board(stations=[queues[s.pk] for s in stations], finished=finished, left=left)


def works_clinic_day(*, membership: Membership | None, day: ClinicDay, at: dt.datetime | None = None) -> bool:
    """Whether ``membership`` holds a place on the day's volunteer shift running now."""
    if membership is None or day.series_id is None:
        return False
    places = on_shift(community=day.community, at=at or timezone.now(), series=day.series)
    return any(place.membership_id == membership.pk for place in places)


@dataclass
class WeekCounts:
    week: dt.date
    people_seen: int = 0
    screenings: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind → (done, positives)


def weekly_counts(*, community: Community, weeks: int = 12, today: dt.date | None = None) -> list[WeekCounts]:
    """What remains of clinic days, by week, newest first (two queries)."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    out: dict[dt.date, WeekCounts] = {}
    for row in ClinicWeek.objects.filter(community=community, week__gte=since):
        out.setdefault(row.week, WeekCounts(week=row.week)).people_seen = row.people_seen
    for s in ScreeningCount.objects.filter(community=community, week__gte=since):
        out.setdefault(s.week, WeekCounts(week=s.week)).screenings[s.kind] = (s.done, s.positives)
    return [out[w] for w in sorted(out, reverse=True)]


def referrals(*, community: Community, kind: str = "") -> QuerySet[Referral]:
    qs = Referral.objects.filter(community=community)
    return qs.filter(kind=kind) if kind else qs


def referral_get(*, community: Community, pk: int) -> Referral:
    found = Referral.objects.filter(community=community, pk=pk).select_related("community").first()
    if found is None:
        raise NotFound(_("The directory has no entry %(id)s.") % {"id": pk})
    return found


def rota_of(*, community: Community, kind: str) -> CareRota | None:
    return CareRota.objects.filter(community=community, kind=kind).select_related("series").first()


def on_the_line(*, community: Community, at: dt.datetime | None = None) -> list[Membership]:
    """Who answers the warm line now (its rota's shift)."""
    rota = rota_of(community=community, kind=CareRota.Kind.WARM_LINE)
    if rota is None:
        return []
    return [s.membership for s in on_shift(community=community, at=at or timezone.now(), series=rota.series)]


def on_the_crisis_team(*, community: Community, at: dt.datetime | None = None) -> list[SignUp]:
    rota = rota_of(community=community, kind=CareRota.Kind.CRISIS)
    series = rota.series if rota is not None else None
    return on_shift(
        community=community, at=at or timezone.now(), series=series, role_slugs={"medic", "peer-supporter"}
    )


@dataclass
class CallWeek:
    week: dt.date
    calls: int = 0
    minutes: int = 0
    topics: dict[str, int] = field(default_factory=dict)


def call_counts(*, community: Community, weeks: int = 8, today: dt.date | None = None) -> list[CallWeek]:
    """Warm-line calls by week and topic, newest first (one query)."""
    today = today or timezone.localdate()
    since = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    start = timezone.make_aware(dt.datetime.combine(since, dt.time()))
    rows = (
        WarmLineCall.objects.filter(community=community, started_at__gte=start)
        .values("started_at", "duration_minutes", "topic")
        .order_by()
    )
    out: dict[dt.date, CallWeek] = {}
    for row in rows.iterator():
        day = timezone.localdate(row["started_at"])
        week = day - dt.timedelta(days=day.weekday())
        counts = out.setdefault(week, CallWeek(week=week))
        counts.calls += 1
        counts.minutes += row["duration_minutes"]
        counts.topics[row["topic"]] = counts.topics.get(row["topic"], 0) + 1
    return [out[w] for w in sorted(out, reverse=True)]


def crisis_calls(*, community: Community, open_only: bool = False) -> QuerySet[CrisisCall]:
    qs = CrisisCall.objects.filter(community=community).select_related(
        "medic", "peer", "dispatched_by", "aid_request"
    )
    if open_only:
        qs = qs.exclude(status=CrisisCall.Status.CLOSED)
    return qs


def crisis_calls_of(*, membership: Membership | None) -> QuerySet[CrisisCall]:
    """The calls ``membership`` was sent to."""
    if membership is None:
        return CrisisCall.objects.none()
    return CrisisCall.objects.filter(Q(medic=membership) | Q(peer=membership)).select_related("medic", "peer")


def crisis_call_get(*, community: Community, pk: int) -> CrisisCall:
    found = crisis_calls(community=community).select_related("community", "aid_request").filter(pk=pk).first()
    if found is None:
        raise NotFound(_("This community has no crisis call %(id)s.") % {"id": pk})
    return found


def outcome_counts(*, community: Community) -> dict[str, int]:
    rows = (
        CrisisCall.objects.filter(community=community, status=CrisisCall.Status.CLOSED)
        .values("outcome")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts = {row["outcome"]: row["n"] for row in rows}
    # Calls already reduced to counts after the retention (services/crisis_erase.py).
    for outcome, calls in (
        CrisisTally.objects.filter(community=community).values("outcome").annotate(n=Sum("calls")).order_by()
    ).values_list("outcome", "n"):
        counts[outcome] = counts.get(outcome, 0) + (calls or 0)
    return counts


@dataclass
class Supplies:
    expiring: list[Lot]
    low: list[Item]


def supplies(*, community: Community, days: int = 60, today: dt.date | None = None) -> Supplies:
    """Lots expiring within ``days`` (and expired ones still on the shelf), and items low on stock
    (two queries): what the health group checks before a clinic day."""
    today = today or timezone.localdate()
    return Supplies(
        expiring=list(
            inventory.expiring_lots(community=community, until=today + dt.timedelta(days=days))[:200]
        ),
        low=list(inventory.low_items(community=community)[:200]),
    )


def people_seen_total(*, community: Community) -> int:
    return ClinicWeek.objects.filter(community=community).aggregate(n=Sum("people_seen"))["n"] or 0
