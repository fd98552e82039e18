"""API for clinic days, the referral directory, the warm line and crisis calls:
parse → check rule → call service → schema. What it shows matches the pages: queue codes and
stations (never anyone's name), counts, the directory, and a crisis call to its pair and to those
who send pairs."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Router, Schema, Status

from dualpower.api_tools import AUTH_OPTIONAL, paginate
from dualpower.care.models.clinics import ClinicDay, CrisisCall, Referral, WarmLineCall
from dualpower.care.selectors import clinics as selectors
from dualpower.care.services import clinics as clinic_services
from dualpower.care.services import clinics_directory as directory_services
from dualpower.care.services import clinics_lines as line_services
from dualpower.care.services.clinics import SITE_MAX
from dualpower.care.services.clinics_directory import LIMITS
from dualpower.care.services.clinics_lines import AREA_MAX
from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.errors import NotFound
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check

router = Router(tags=["community care"])

BASE = "/communities/{slug}/care"


class ClinicDayOut(Schema):
    id: int
    site: str
    day: dt.date
    status: str
    people_seen: int


class ClinicDayPlanIn(Schema):
    site: str = Field(..., min_length=1, max_length=SITE_MAX)
    day: dt.date
    start_time: dt.time = dt.time(9, 0)
    stations: list[str] = Field(
        list(clinic_services.DEFAULT_STATIONS),
        description="The day's stations in the order people pass them (each once).",
    )
    shifts: dict[str, int] = Field(
        default_factory=dict,
        description="Places by credential slug (nurse, medic, interpreter, peer-supporter).",
    )


class QueueEntryOut(Schema):
    code: str
    station: str
    status: str


class StationOut(Schema):
    id: int
    kind: str
    position: int
    waiting: list[str]


class BoardOut(Schema):
    day: ClinicDayOut
    stations: list[StationOut]
    finished: int
    left: int


class MoveIn(Schema):
    station_id: int = Field(..., strict=True)


class FinishIn(Schema):
    left_early: bool = False


class ScreeningIn(Schema):
    kind: str
    positive: bool = Field(..., strict=True)


class WeekOut(Schema):
    week: dt.date
    people_seen: int
    screenings: dict[str, tuple[int, int]]


class ReferralIn(Schema):
    name: str = Field(..., min_length=1, max_length=LIMITS["name"])
    kind: str
    cost: str = Field("", max_length=LIMITS["cost"])
    languages: str = Field("", max_length=LIMITS["languages"])
    hours: str = Field("", max_length=LIMITS["hours"])
    accessibility: str = Field("", max_length=LIMITS["accessibility"])
    contact: str = Field("", max_length=LIMITS["contact"])
    notes: str = Field("", max_length=LIMITS["notes"])


class ReferralPatchIn(Schema):
    name: str | None = Field(None, min_length=1, max_length=LIMITS["name"])
    kind: str | None = None
    cost: str | None = Field(None, max_length=LIMITS["cost"])
    languages: str | None = Field(None, max_length=LIMITS["languages"])
    hours: str | None = Field(None, max_length=LIMITS["hours"])
    accessibility: str | None = Field(None, max_length=LIMITS["accessibility"])
    contact: str | None = Field(None, max_length=LIMITS["contact"])
    notes: str | None = Field(None, max_length=LIMITS["notes"])


class ReferralOut(Schema):
    id: int
    name: str
    kind: str
    cost: str
    languages: str
    hours: str
    accessibility: str
    contact: str
    notes: str


class CallIn(Schema):
    started_at: dt.datetime
    duration_minutes: int = Field(..., strict=True)
    topic: str


class CallOut(Schema):
    started_at: dt.datetime
    duration_minutes: int
    topic: str


class CallWeekOut(Schema):
    week: dt.date
    calls: int
    minutes: int
    topics: dict[str, int]


class DispatchIn(Schema):
    situation: str
    area: str = Field(..., min_length=1, max_length=AREA_MAX)


class CrisisStepIn(Schema):
    outcome: str = Field("", description="To close: the outcome category.")
    follow_up: bool = Field(False, description="To close: the person wants a care circle.")


class CrisisOut(Schema):
    id: int
    code: str
    situation: str
    area: str
    status: str
    outcome: str
    medic: str | None = None
    peer: str | None = None
    dispatched_at: dt.datetime
    acknowledged_at: dt.datetime | None
    arrived_at: dt.datetime | None
    closed_at: dt.datetime | None
    follow_up_circle: int | None = None
    # The aid request the call was sent through (aid's dispatch board); none once aid erased it.
    aid_request: int | None = None
    aid_request_code: str | None = None

    @staticmethod
    def resolve_aid_request(obj: CrisisCall) -> int | None:
        return obj.aid_request_id

    @staticmethod
    def resolve_aid_request_code(obj: CrisisCall) -> str | None:
        return obj.aid_request.code if obj.aid_request_id and obj.aid_request else None

    @staticmethod
    def resolve_medic(obj: CrisisCall) -> str | None:
        return obj.medic.display_name if obj.medic_id and obj.medic else None

    @staticmethod
    def resolve_peer(obj: CrisisCall) -> str | None:
        return obj.peer.display_name if obj.peer_id and obj.peer else None

    @staticmethod
    def resolve_follow_up_circle(obj: CrisisCall) -> int | None:
        return obj.follow_up_circle_id


def _community(request: HttpRequest, slug: str, perm: str) -> Community:
    community = community_get(slug=slug)
    check(request, perm, community)
    return community


def _me(request: HttpRequest, community: Community) -> Membership | None:
    return membership_for(request.user, community)


def _day(request: HttpRequest, slug: str, day_id: int, perm: str | None = None) -> ClinicDay:
    community = _community(request, slug, "care.view_clinics")
    day = selectors.clinic_day_get(community=community, pk=day_id)
    if perm:
        check(request, perm, day)
    return day


def _board(day: ClinicDay) -> dict[str, Any]:
    board = selectors.board(day=day) if day.status == ClinicDay.Status.OPEN else None
    return {
        "day": day,
        "stations": [
            {
                "id": sq.station.pk,
                "kind": sq.station.kind,
                "position": sq.station.position,
                "waiting": [e.code for e in sq.waiting],
            }
            for sq in (board.stations if board else [])
        ],
        "finished": board.finished if board else 0,
        "left": board.left if board else 0,
    }


@router.get(BASE + "/clinics", response=list[ClinicDayOut], auth=AUTH_OPTIONAL)
@paginate
def clinic_list(request: HttpRequest, slug: str) -> Any:
    return selectors.clinic_days(community=_community(request, slug, "care.view_clinics"))


@router.post(BASE + "/clinics", response={201: ClinicDayOut})
def clinic_plan(request: HttpRequest, slug: str, payload: ClinicDayPlanIn) -> Status[ClinicDay]:
    """Plan a clinic day: its stations in the order people pass them and, with ``shifts``, the
    volunteers' places by credential (as the page: the health group plans)."""
    community = _community(request, slug, "care.view_clinics")
    check(request, "care.plan_clinic", community)
    day = clinic_services.clinic_day_create(community=community, by=_me(request, community), **payload.dict())
    return Status(201, day)


@router.post(BASE + "/clinics/{day_id}/close", response=ClinicDayOut)
def clinic_close(request: HttpRequest, slug: str, day_id: int) -> ClinicDay:
    """Close the day: its queue is erased; the number of people seen stays, in the week's count."""
    day = _day(request, slug, day_id)
    check(request, "care.plan_clinic", day.community)
    return clinic_services.clinic_day_close(day=day, by=_me(request, day.community))


@router.get(BASE + "/clinics/{day_id}/queue", response=BoardOut, auth=AUTH_OPTIONAL)
def clinic_queue(request: HttpRequest, slug: str, day_id: int) -> Any:
    return _board(_day(request, slug, day_id))


@router.post(BASE + "/clinics/{day_id}/queue", response={201: QueueEntryOut})
def queue_join(request: HttpRequest, slug: str, day_id: int) -> Status[dict[str, str]]:
    day = _day(request, slug, day_id, "care.run_clinic")
    entry = clinic_services.queue_join(day=day, by=_me(request, day.community))
    return Status(201, {"code": entry.code, "station": entry.station.kind, "status": entry.status})


@router.post(BASE + "/clinics/{day_id}/queue/{code}/move", response=QueueEntryOut)
def queue_move(request: HttpRequest, slug: str, day_id: int, code: str, payload: MoveIn) -> dict[str, str]:
    day = _day(request, slug, day_id, "care.run_clinic")
    station = selectors.station_get(day=day, pk=payload.station_id)
    entry = clinic_services.queue_move(day=day, code=code, to=station, by=_me(request, day.community))
    return {"code": entry.code, "station": entry.station.kind, "status": entry.status}


@router.post(BASE + "/clinics/{day_id}/queue/{code}/finish", response=QueueEntryOut)
def queue_finish(
    request: HttpRequest, slug: str, day_id: int, code: str, payload: FinishIn
) -> dict[str, str]:
    day = _day(request, slug, day_id, "care.run_clinic")
    entry = clinic_services.queue_finish(
        day=day, code=code, by=_me(request, day.community), left_early=payload.left_early
    )
    return {"code": entry.code, "station": entry.station.kind, "status": entry.status}


@router.post(BASE + "/clinics/{day_id}/screenings", response={201: None})
def screening_new(request: HttpRequest, slug: str, day_id: int, payload: ScreeningIn) -> Status[None]:
    day = _day(request, slug, day_id, "care.run_clinic")
    clinic_services.screening_record(
        day=day, kind=payload.kind, positive=payload.positive, by=_me(request, day.community)
    )
    return Status(201, None)


@router.get(BASE + "/clinic-weeks", response=list[WeekOut], auth=AUTH_OPTIONAL)
def clinic_weeks(request: HttpRequest, slug: str) -> Any:
    community = _community(request, slug, "care.view_clinics")
    return [
        {"week": w.week, "people_seen": w.people_seen, "screenings": w.screenings}
        for w in selectors.weekly_counts(community=community)
    ]


class SupplyLotOut(Schema):
    item_id: int
    item: str
    unit: str
    lot: str
    expires_on: dt.date | None
    remaining: int
    expired: bool


class SuppliesOut(Schema):
    expiring: list[SupplyLotOut]
    low: list[str]


@router.get(BASE + "/supplies", response=SuppliesOut, auth=AUTH_OPTIONAL)
def supplies(request: HttpRequest, slug: str) -> Any:
    """Lots expiring in the next 60 days (expired ones still on the shelf included) and the names
    of items low on stock."""
    community = _community(request, slug, "care.view_supplies")
    today = timezone.localdate()
    found = selectors.supplies(community=community, today=today)
    return {
        "expiring": [
            {
                "item_id": lot.item_id,
                "item": lot.item.name,
                "unit": lot.item.unit,
                "lot": lot.code,
                "expires_on": lot.expires_on,
                "remaining": lot.remaining,
                "expired": lot.is_expired(today),
            }
            for lot in found.expiring
        ],
        "low": [item.name for item in found.low],
    }


@router.get(BASE + "/referrals", response=list[ReferralOut], auth=AUTH_OPTIONAL)
@paginate
def referral_list(request: HttpRequest, slug: str, kind: str = "") -> Any:
    community = _community(request, slug, "care.view_referrals")
    return selectors.referrals(community=community, kind=kind if kind in Referral.Kind.values else "")


@router.post(BASE + "/referrals", response={201: ReferralOut})
def referral_create(request: HttpRequest, slug: str, payload: ReferralIn) -> Status[Referral]:
    community = _community(request, slug, "care.view_referrals")
    check(request, "care.manage_referrals", community)
    referral = directory_services.referral_create(
        community=community, by=_me(request, community), **payload.dict()
    )
    return Status(201, referral)


def _referral(request: HttpRequest, slug: str, referral_id: int) -> Referral:
    community = _community(request, slug, "care.view_referrals")
    referral = selectors.referral_get(community=community, pk=referral_id)
    check(request, "care.manage_referrals", community)
    return referral


@router.patch(BASE + "/referrals/{referral_id}", response=ReferralOut)
def referral_update(request: HttpRequest, slug: str, referral_id: int, payload: ReferralPatchIn) -> Referral:
    """Change the fields given (the others stay)."""
    referral = _referral(request, slug, referral_id)
    return directory_services.referral_update(
        referral=referral, by=_me(request, referral.community), **payload.dict(exclude_none=True)
    )


@router.delete(BASE + "/referrals/{referral_id}", response={204: None})
def referral_remove(request: HttpRequest, slug: str, referral_id: int) -> Status[None]:
    referral = _referral(request, slug, referral_id)
    directory_services.referral_remove(referral=referral, by=_me(request, referral.community))
    return Status(204, None)


@router.post(BASE + "/warm-line/calls", response={201: CallOut})
def call_log(request: HttpRequest, slug: str, payload: CallIn) -> Status[WarmLineCall]:
    community = _community(request, slug, "care.view_warm_line")
    check(request, "care.log_call", community)
    call = line_services.call_log(community=community, by=_me(request, community), **payload.dict())
    return Status(201, call)


@router.get(BASE + "/warm-line/weeks", response=list[CallWeekOut], auth=AUTH_OPTIONAL)
def call_weeks(request: HttpRequest, slug: str) -> Any:
    community = _community(request, slug, "care.view_warm_line")
    return [
        {"week": w.week, "calls": w.calls, "minutes": w.minutes, "topics": w.topics}
        for w in selectors.call_counts(community=community)
    ]


@router.get(BASE + "/crisis", response=list[CrisisOut])
@paginate
def crisis_list(request: HttpRequest, slug: str) -> Any:
    community = _community(request, slug, "care.view_crisis")
    return selectors.crisis_calls(community=community)


@router.post(BASE + "/crisis", response={201: CrisisOut})
def crisis_dispatch(request: HttpRequest, slug: str, payload: DispatchIn) -> Status[CrisisCall]:
    community = _community(request, slug, "care.dispatch_crisis")
    call = line_services.crisis_dispatch(community=community, by=_me(request, community), **payload.dict())
    return Status(201, selectors.crisis_call_get(community=community, pk=call.pk))


def _call(request: HttpRequest, slug: str, call_id: int) -> CrisisCall:
    community = community_get(slug=slug)
    call = selectors.crisis_calls(community=community).filter(pk=call_id).first()
    if call is None or not request.user.has_perm("care.view_crisis_call", call):
        check(request, "care.view_clinics", community)
        raise NotFound()
    return call


@router.get(BASE + "/crisis/{call_id}", response=CrisisOut)
def crisis_detail(request: HttpRequest, slug: str, call_id: int) -> CrisisCall:
    return _call(request, slug, call_id)


@router.post(BASE + "/crisis/{call_id}/{step}", response=CrisisOut)
def crisis_step(
    request: HttpRequest,
    slug: str,
    call_id: int,
    step: Literal["acknowledge", "arrive", "close"],
    payload: CrisisStepIn | None = None,
) -> CrisisCall:
    call = _call(request, slug, call_id)
    check(request, "care.respond_crisis", call)
    me = _me(request, call.community)
    assert me is not None  # respond_crisis holds only for a member of the pair
    if step == "acknowledge":
        line_services.crisis_acknowledge(call=call, by=me)
    elif step == "arrive":
        line_services.crisis_arrive(call=call, by=me)
    else:
        line_services.crisis_close(
            call=call,
            by=me,
            outcome=payload.outcome if payload else "",
            follow_up=payload.follow_up if payload else False,
        )
    return selectors.crisis_call_get(community=call.community, pk=call.pk)
