"""API for rapid response and eviction defence: parse → check rule → call service → schema.

Paths live under /communities/{slug}/defence/. An incident someone may not see is "not found".
Photos are taken by the page only (a form upload); the API reports without one.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from dualpower.api_tools import AUTH_OPTIONAL
from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.defence.models.response import EvictionCase, Incident
from dualpower.defence.selectors import response as selectors
from dualpower.defence.services import response_cases as cases
from dualpower.defence.services import response_incidents as incidents
from dualpower.defence.services.response_sealing import open_text
from dualpower.errors import NotFound
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check

router = Router(tags=["community defence"])

BASE = "/communities/{slug}/defence"
INCIDENT = BASE + "/incidents/{code}"


class ReportIn(Schema):
    kind: str
    area: str
    seen: str = ""
    seen_at: str | None = None
    caller: str = ""  # a hotline caller's number: kept only as a keyed hash (the ban list)


class IncidentStepIn(Schema):
    state: str


class FollowUpIn(Schema):
    household: str = ""
    needs: list[str] = []


class ResponseOut(Schema):
    name: str | None = None
    role: str
    state: str


class IncidentOut(Schema):
    code: str
    kind: str
    area: str
    status: str
    seen_at: dt.datetime
    seen: str | None = None
    responses: list[ResponseOut] | None = None
    followup_codes: list[str] = []


class IncidentCountOut(Schema):
    week: dt.date
    area: str
    kind: str
    false_alarm: bool
    count: int


class CaseIn(Schema):
    household: str
    landlord: str


class CourtDateIn(Schema):
    at: str
    kind: str = "hearing"
    place: str = ""
    vigil_places: int = 4
    support_places: int = 2


class CourtDateOut(Schema):
    id: int
    kind: str
    at: dt.datetime
    place: str
    outcome: str
    support_series: int | None = None


class CaseOut(Schema):
    id: int
    household: str
    landlord: str
    status: str
    case_worker: str | None = None
    court_dates: list[CourtDateOut] = []


def community_checked(request: HttpRequest, slug: str, perm: str) -> Community:
    community = community_get(slug=slug)
    check(request, perm, community)
    return community


def acting_member(request: HttpRequest, community: Community) -> Membership:
    me = membership_for(request.user, community)
    assert me is not None  # every rule here starts from being admitted
    return me


def _incident(request: HttpRequest, slug: str, code: str, perm: str = "defence.view_incident") -> Incident:
    community = community_checked(request, slug, "defence.view")
    found = selectors.incident_get(community=community, code=code)
    if found is None or not request.user.has_perm("defence.view_incident", found):
        raise NotFound(_("No such incident, or it is not yours to see."))
    check(request, perm, found)
    return found


def _view(found: Incident, request: HttpRequest) -> dict[str, Any]:
    me = membership_for(request.user, found.community)
    verifier = request.user.has_perm("defence.verify", found)
    alerted = selectors.response_of(incident=found, membership=me) is not None
    return {
        "code": found.code,
        "kind": found.kind,
        "area": found.area,
        "status": found.status,
        "seen_at": found.seen_at,
        "seen": open_text(found.seen_sealed) if verifier or alerted else None,
        "responses": [
            {"name": r.membership.display_name, "role": r.role_slug, "state": r.state}
            for r in selectors.responses_of(incident=found)
        ]
        if verifier
        else None,
        "followup_codes": list(found.followup_codes or []) if verifier else [],
    }


@router.post(BASE + "/incidents", response={201: IncidentOut})
def incident_report(request: HttpRequest, slug: str, payload: ReportIn) -> Status[dict[str, Any]]:
    community = community_checked(request, slug, "defence.report_incident")
    made = incidents.incident_report(
        community=community, by=acting_member(request, community), **payload.dict()
    )
    return Status(201, _view(made, request))


@router.get(BASE + "/incidents", response=list[IncidentOut])
def incident_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    community = community_checked(request, slug, "defence.dispatch")
    return [
        _view(i, request)
        for i in selectors.incidents_open(community=community).order_by("-created_at", "-id")[:200]
    ]


@router.get(INCIDENT, response=IncidentOut)
def incident_detail(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    return _view(_incident(request, slug, code), request)


@router.post(INCIDENT + "/verify", response=IncidentOut)
def incident_verify(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    found = _incident(request, slug, code, "defence.verify")
    return _view(
        incidents.incident_verify(incident=found, by=acting_member(request, found.community)), request
    )


@router.post(INCIDENT + "/false-alarm", response=IncidentOut)
def incident_false_alarm(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    found = _incident(request, slug, code, "defence.verify")
    return _view(
        incidents.incident_false_alarm(incident=found, by=acting_member(request, found.community)), request
    )


@router.post(INCIDENT + "/close", response=IncidentOut)
def incident_close(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    found = _incident(request, slug, code, "defence.verify")
    return _view(
        incidents.incident_close(incident=found, by=acting_member(request, found.community)), request
    )


@router.post(INCIDENT + "/follow-up", response=IncidentOut)
def incident_follow_up(request: HttpRequest, slug: str, code: str, payload: FollowUpIn) -> dict[str, Any]:
    found = _incident(request, slug, code, "defence.verify")
    done = incidents.incident_follow_up(
        incident=found,
        by=acting_member(request, found.community),
        household=payload.household,
        needs=payload.needs,
    )
    return _view(done, request)


@router.post(INCIDENT + "/respond", response=IncidentOut)
def incident_respond(request: HttpRequest, slug: str, code: str, payload: IncidentStepIn) -> dict[str, Any]:
    found = _incident(request, slug, code, "defence.respond")
    incidents.response_step(incident=found, by=acting_member(request, found.community), state=payload.state)
    return _view(found, request)


@router.get(BASE + "/counts", response=list[IncidentCountOut])
def count_list(request: HttpRequest, slug: str) -> list[Any]:
    community = community_checked(request, slug, "defence.view_counts")
    return list(selectors.counts_of(community=community)[:500])


def _case_view(case: EvictionCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "household": case.household,
        "landlord": case.landlord,
        "status": case.status,
        "case_worker": case.case_worker.display_name if case.case_worker else None,
        "court_dates": [
            {
                "id": d.pk,
                "kind": d.kind,
                "at": d.at,
                "place": d.place,
                "outcome": d.outcome,
                "support_series": d.support_id,
            }
            for d in selectors.court_dates_of(case=case)
        ],
    }


@router.get(BASE + "/evictions", response=list[CaseOut], auth=AUTH_OPTIONAL)
def case_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    community = community_checked(request, slug, "defence.view_cases")
    rows = list(selectors.cases_of(community=community).prefetch_related("court_dates")[:200])
    return [
        {
            "id": c.pk,
            "household": c.household,
            "landlord": c.landlord,
            "status": c.status,
            "case_worker": c.case_worker.display_name if c.case_worker else None,
            "court_dates": [
                {
                    "id": d.pk,
                    "kind": d.kind,
                    "at": d.at,
                    "place": d.place,
                    "outcome": d.outcome,
                    "support_series": d.support_id,
                }
                for d in c.court_dates.all()
            ],
        }
        for c in rows
    ]


@router.post(BASE + "/evictions", response={201: CaseOut})
def case_open(request: HttpRequest, slug: str, payload: CaseIn) -> Status[dict[str, Any]]:
    community = community_checked(request, slug, "defence.manage_cases")
    made = cases.case_open(community=community, by=acting_member(request, community), **payload.dict())
    return Status(201, _case_view(made))


@router.post(BASE + "/evictions/{case_id}/dates", response={201: CaseOut})
def court_date_add(
    request: HttpRequest, slug: str, case_id: int, payload: CourtDateIn
) -> Status[dict[str, Any]]:
    community = community_checked(request, slug, "defence.manage_cases")
    found = selectors.case_get(community=community, pk=case_id)
    if found is None:
        raise NotFound(_("No such eviction case."))
    cases.court_date_add(case=found, by=acting_member(request, community), **payload.dict())
    return Status(201, _case_view(found))
