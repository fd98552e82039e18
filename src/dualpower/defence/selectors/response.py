"""Reads for rapid response and eviction defence: who is on shift or on call, incidents as each
person may see them, what is left of closed incidents, the eviction board and its statistics.
Every list is read in a bounded number of queries."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, QuerySet, Value, When
from django.db.models.functions import TruncMonth
from django.utils import timezone

from dualpower.activities import selectors as activities
from dualpower.commons import selectors as commons
from dualpower.commons.models import Kind, ReceivedGuide
from dualpower.community.models import Community
from dualpower.defence.models.response import (
    ON_CALL_ROLES,
    VERIFIER,
    CourtDate,
    DefenceSettings,
    EvictionCase,
    Incident,
    IncidentCount,
    OnCallProfile,
    ReporterBan,
    Response,
    RightsPage,
)
from dualpower.errors import NotFound
from dualpower.groups import selectors as groups
from dualpower.members import selectors as members
from dualpower.members.models import Membership


def settings_of(*, community: Community) -> DefenceSettings:
    """The community's defence settings (unsaved defaults when none were set yet)."""
    found = DefenceSettings.objects.filter(community=community).first()
    return found or DefenceSettings(community=community)


def areas_of(*, community: Community) -> list[str]:
    return [str(a) for a in settings_of(community=community).areas or []]


def _on_shift_cache(membership: Membership) -> dict[str, bool]:
    cache: dict[str, bool] = membership.__dict__.setdefault("_defence_on_shift", {})
    return cache


def is_on_shift(
    *, membership: Membership | None, role_slugs: frozenset[str], at: dt.datetime | None = None
) -> bool:
    """Whether ``membership`` holds a place needing one of ``role_slugs`` in a shift running now
    (cached on the membership for one request's permission checks when ``at`` is not given)."""
    if membership is None or not membership.is_active or membership.role == Membership.Role.OBSERVER:
        return False
    key = ",".join(sorted(role_slugs))
    cache = _on_shift_cache(membership) if at is None else {}
    if key not in cache:
        places = activities.on_shift(
            community=membership.community, at=at or timezone.now(), role_slugs=set(role_slugs)
        )
        cache[key] = any(p.membership_id == membership.pk for p in places)
    return cache[key]


def is_on_shift_verifier(membership: Membership | None, at: dt.datetime | None = None) -> bool:
    return is_on_shift(membership=membership, role_slugs=frozenset({VERIFIER}), at=at)


def verifiers_on_shift(*, community: Community, at: dt.datetime) -> list[Membership]:
    places = activities.on_shift(community=community, at=at, role_slugs={VERIFIER})
    return list({p.membership_id: p.membership for p in places}.values())


@dataclass(frozen=True)
class OnCall:
    membership: Membership
    role_slug: str


def on_call_for(*, community: Community, area: str, at: dt.datetime) -> list[OnCall]:
    """Responders, legal observers and lawyers on shift at ``at`` whose chosen areas include ``area``
    (two queries, however many are on call)."""
    places = activities.on_shift(community=community, at=at, role_slugs=set(ON_CALL_ROLES))
    if not places:
        return []
    reach = dict(
        OnCallProfile.objects.filter(
            community=community, membership_id__in={p.membership_id for p in places}
        ).values_list("membership_id", "areas")
    )
    found: dict[int, OnCall] = {}
    for place in places:
        role = place.slot.required_role
        if place.membership_id in found or role is None:
            continue
        if area in (reach.get(place.membership_id) or []):
            found[place.membership_id] = OnCall(place.membership, role.slug)
    return list(found.values())


def profile_of(*, membership: Membership) -> OnCallProfile | None:
    return OnCallProfile.objects.filter(community_id=membership.community_id, membership=membership).first()


def profiles_of(*, community: Community) -> QuerySet[OnCallProfile]:
    return (
        OnCallProfile.objects.filter(community=community)
        .select_related("membership")
        .order_by("membership__display_name", "membership_id")
    )


def rota_coordinator(membership: Membership | None) -> bool:
    """Organisers of the defence rotas: the only people who see the phone numbers of those on call."""
    if membership is None or not membership.is_active:
        return False
    cache = membership.__dict__.setdefault("_defence_rota_coord", {})
    if "v" not in cache:
        settings = settings_of(community=membership.community)
        rotas = [s for s in (settings.verifier_rota, settings.responder_rota) if s is not None]
        cache["v"] = any(
            membership.pk in {m.pk for m in activities.series_organisers(series=s)} for s in rotas
        )
    return bool(cache["v"])


def in_defence_group(membership: Membership | None) -> bool:
    """A coordinator of the community, or an active member of its defence working group."""
    if membership is None or not membership.is_active:
        return False
    if membership.role == Membership.Role.COORDINATOR:
        return True
    group_id = settings_of(community=membership.community).group_id
    return group_id is not None and groups.is_active_in_group(group_id=group_id, membership=membership)


# --- incidents ---


def incident_get(*, community: Community, code: str) -> Incident | None:
    return Incident.objects.filter(community=community, code=code).first()


def incidents_open(*, community: Community) -> QuerySet[Incident]:
    return Incident.objects.filter(
        community=community, status__in=[Incident.Status.REPORTED, Incident.Status.VERIFIED]
    ).annotate(coming=Count("responses"))


def incidents_open_page(*, community: Community, limit: int, offset: int = 0) -> list[Incident]:
    """A window of ``incidents_open``, the latest first (the hub, a page at a time: web.pages), in
    one query with each incident's count of responders (ordered here: a query that counts does
    not take the model's order)."""
    found = incidents_open(community=community).order_by("-created_at", "-id")
    return list(found[offset : offset + limit])


def incidents_closed(*, community: Community) -> QuerySet[Incident]:
    return Incident.objects.filter(
        community=community, status__in=[Incident.Status.CLOSED, Incident.Status.FALSE_ALARM]
    )


def my_alerts(*, membership: Membership) -> QuerySet[Response]:
    return (
        Response.objects.filter(membership=membership, incident__status=Incident.Status.VERIFIED)
        .select_related("incident")
        .order_by("-alerted_at")
    )


def my_reports(*, membership: Membership) -> QuerySet[Incident]:
    return Incident.objects.filter(community_id=membership.community_id, reported_by=membership)


def response_of(*, incident: Incident, membership: Membership | None) -> Response | None:
    if membership is None:
        return None
    return Response.objects.filter(incident=incident, membership=membership).first()


def responses_of(*, incident: Incident) -> list[Response]:
    return list(
        Response.objects.filter(incident=incident)
        .select_related("membership")
        .order_by("membership__display_name", "id")
    )


def counts_of(*, community: Community, weeks: int = 26) -> QuerySet[IncidentCount]:
    since = timezone.localdate() - dt.timedelta(weeks=weeks)
    return IncidentCount.objects.filter(community=community, week__gte=since)


# --- eviction defence ---


def cases_of(*, community: Community) -> QuerySet[EvictionCase]:
    """The community's eviction cases, the open ones first (the model's order is by the status's
    code, which would put "evicted" before "open"), then the latest opened."""
    still_open = Case(When(status=EvictionCase.Status.OPEN, then=Value(0)), default=Value(1))
    return (
        EvictionCase.objects.filter(community=community)
        .select_related("case_worker")
        .order_by(still_open, "-opened_at", "-id")
    )


def cases_page(*, community: Community, limit: int, offset: int = 0) -> list[EvictionCase]:
    """A window of ``cases_of`` (the board, a page at a time: web.pages), in one query."""
    return list(cases_of(community=community)[offset : offset + limit])


def case_get(*, community: Community, pk: int) -> EvictionCase | None:
    return EvictionCase.objects.filter(community=community, pk=pk).select_related("case_worker").first()


def court_dates_of(*, case: EvictionCase) -> list[CourtDate]:
    return list(CourtDate.objects.filter(case=case).select_related("support"))


def next_court_dates(*, community: Community, case_ids: list[int]) -> dict[int, CourtDate]:
    """The next pending court date of each case, in one query."""
    found: dict[int, CourtDate] = {}
    for date in CourtDate.objects.filter(
        case__community=community, case_id__in=case_ids, outcome=CourtDate.Outcome.PENDING
    ).order_by("at", "id"):
        found.setdefault(date.case_id, date)
    return found


def outcomes_by_month(*, community: Community) -> list[tuple[dt.date, dict[str, int]]]:
    """Hearing outcomes decided, by month (newest first): {outcome: count}."""
    rows = (
        CourtDate.objects.filter(case__community=community, decided_at__isnull=False)
        .annotate(month=TruncMonth("decided_at"))
        .values("month", "outcome")
        .annotate(n=Count("id"))
    )
    months: dict[dt.date, Counter[str]] = {}
    for row in rows:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        months.setdefault(month, Counter())[row["outcome"]] += row["n"]
    return [(m, dict(c)) for m, c in sorted(months.items(), reverse=True)]


# --- know your rights ---


def rights_pages(*, community: Community) -> QuerySet[RightsPage]:
    return RightsPage.objects.filter(community=community)


def rights_page(*, community: Community, slug: str, language: str = "") -> RightsPage | None:
    pages = RightsPage.objects.filter(community=community, slug=slug)
    if language:
        chosen = pages.filter(language=language).first()
        if chosen is not None:
            return chosen
    return pages.order_by("language").first()


@dataclass(frozen=True)
class FromPeer:
    received: ReceivedGuide
    adopted_version: int | None  # the version our page was adopted from, if we adopted it


def rights_from_peers(*, community: Community, limit: int = 100) -> list[FromPeer]:
    """Know-your-rights pages peer communities shared with us (kept by the commons), newest first,
    each with the version we adopted (two queries)."""
    rows = commons.received_search(
        community=community, search=commons.Search(kind=Kind.RIGHTS), size=limit
    ).rows
    adopted = dict(
        RightsPage.objects.filter(community=community, origin_uri__in=[r.uri for r in rows]).values_list(
            "origin_uri", "origin_version"
        )
    )
    return [FromPeer(r, adopted.get(r.uri)) for r in rows]


def right_from_peer(*, community: Community, pk: int) -> ReceivedGuide | None:
    try:
        found = commons.received_get(community=community, pk=pk)
    except NotFound:
        return None
    return found if found.kind == Kind.RIGHTS else None


# --- the ban list ---


def bans_of(*, community: Community) -> QuerySet[ReporterBan]:
    return ReporterBan.objects.filter(community=community).select_related("membership")


def bans_page(*, community: Community, limit: int, offset: int = 0) -> list[ReporterBan]:
    """A window of ``bans_of``, the latest first (the ban list, a page at a time: web.pages), in
    one query."""
    return list(bans_of(community=community)[offset : offset + limit])


def ban_get(*, community: Community, pk: int) -> ReporterBan | None:
    return ReporterBan.objects.filter(community=community, pk=pk).select_related("community").first()


# --- who the pickers offer (bounded: never every member of a large community) ---

PICKER_LIMIT = 200


def case_worker_choices(*, community: Community) -> list[Membership]:
    """Who may be a tenant's case worker: the coordinators and the defence group's active members."""
    chosen = {
        m.pk: m
        for m in members.members_of(community=community).filter(role=Membership.Role.COORDINATOR)[
            :PICKER_LIMIT
        ]
    }
    group_id = settings_of(community=community).group_id
    if group_id is not None:
        for gm in groups.active_members_of_group(group_id=group_id)[:PICKER_LIMIT]:
            chosen.setdefault(gm.membership.pk, gm.membership)
    return sorted(chosen.values(), key=lambda m: m.display_name.casefold())


def reporters_held(*, community: Community) -> list[Membership]:
    """The members who filed a report the node still holds: who a ban of a member can name
    (reports are erased after the retention, so this stays small)."""
    ids = (
        Incident.objects.filter(community=community, reported_by__isnull=False)
        .values_list("reported_by_id", flat=True)
        .distinct()[:PICKER_LIMIT]
    )
    return list(members.memberships_with_ids(ids=list(ids)).order_by("display_name"))
