"""API of care circles: parse → check rule → call service → schema.

Every path is inside one community: /communities/{slug}/care/circles/...; a circle someone may not
see is "not found" to them. A need's details and the notes are in the answer only for whom the
rules let see them (the helper who took the need; whoever runs the circle; helpers allowed notes).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from dualpower.care.models.circles import Circle
from dualpower.care.rules import runs_circle
from dualpower.care.selectors import circles as selectors
from dualpower.care.selectors import circles_export as exports
from dualpower.care.services import circles as services
from dualpower.community.selectors import community_get
from dualpower.errors import NotFound
from dualpower.members.roles import membership_required
from dualpower.web.permissions import check

router = Router(tags=["community care"])

CIRCLES = "/communities/{slug}/care/circles"
CIRCLE = CIRCLES + "/{circle_id}"


class CircleOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    opened_at: datetime
    closed_at: datetime | None
    open_needs: int = 0
    helper_count: int = 0


class CircleIn(Schema):
    kind: Circle.Kind
    title: str = Field(..., min_length=1, max_length=120)
    person_code: str = Field(
        "", max_length=12, description="For someone without an account (dispatchers, health coordinators)."
    )


class CircleNeedOut(Schema):
    id: int
    kind: str
    starts_at: datetime
    ends_at: datetime | None
    label: str
    status: str = Field(..., description="open, taken, yours or done")
    details: str | None = Field(
        None, description="Only for the helper who took it and whoever runs the circle."
    )


class NoteOut(Schema):
    author: str
    at: datetime
    body: str


class CircleDetailOut(CircleOut):
    needs: list[CircleNeedOut] | None = None
    notes: list[NoteOut] | None = None


class NeedIn(Schema):
    kind: str = Field(..., max_length=12)
    starts_at: datetime
    ends_at: datetime | None = None
    label: str = Field("", max_length=120)
    details: str = Field("", max_length=services.DETAILS_MAX)


class OverviewOut(Schema):
    open_circles: int
    helpers: int
    open_needs: int
    needs_taken: int
    erased_circles: int


def _circle(request: HttpRequest, slug: str, circle_id: int, perm: str = "care.view_circle") -> Circle:
    community = community_get(slug=slug)
    check(request, "care.list_circles", community)
    if circle_id < 1 or circle_id > 2**62:
        raise NotFound(_not_found())
    circle = selectors.circle_get(community=community, pk=circle_id)
    if not request.user.has_perm("care.view_circle", circle):
        raise NotFound(_not_found())
    check(request, perm, circle)
    return circle


def _not_found() -> str:
    return _("There is no such care circle here.")


def _out(circle: Circle) -> dict[str, Any]:
    return {
        "id": circle.pk,
        "title": circle.title,
        "kind": circle.kind,
        "status": circle.status,
        "opened_at": circle.opened_at,
        "closed_at": circle.closed_at,
        "open_needs": getattr(circle, "open_needs", 0),
        "helper_count": getattr(circle, "helper_count", 0),
    }


def _detail(request: HttpRequest, circle: Circle) -> dict[str, Any]:
    me = membership_required(request.user, circle.community)
    user = request.user
    out = _out(circle)
    if user.has_perm("care.view_calendar", circle):
        runs = me.pk in {circle.person_id, circle.keeper_id}
        out["needs"] = [
            {
                "id": row.need.pk,
                "kind": row.need.kind,
                "starts_at": row.need.starts_at,
                "ends_at": row.need.ends_at,
                "label": row.need.label,
                "status": "done"
                if row.need.done_at
                else "open"
                if row.is_open
                else "yours"
                if row.mine
                else "taken",
                "details": row.details,
            }
            for row in selectors.calendar(circle=circle, membership=me, runs=runs)
        ]
    if user.has_perm("care.view_notes", circle):
        out["notes"] = [
            {"author": n.author, "at": n.at, "body": n.body} for n in selectors.notes_of(circle=circle)
        ]
    return out


@router.get(CIRCLES, response=list[CircleOut])
def circle_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """The circles I am for, run, or help in (at most 200, newest first)."""
    community = community_get(slug=slug)
    check(request, "care.list_circles", community)
    me = membership_required(request.user, community)
    return [_out(c) for c in selectors.circles_for(membership=me)[:200]]


@router.post(CIRCLES, response={201: CircleDetailOut})
def circle_create(request: HttpRequest, slug: str, payload: CircleIn) -> Status[dict[str, Any]]:
    community = community_get(slug=slug)
    for_someone = bool(payload.person_code.strip())
    check(request, "care.open_circle_for_someone" if for_someone else "care.open_circle", community)
    me = membership_required(request.user, community)
    circle = services.circle_open(
        community=community,
        opened_by=me,
        person=None if for_someone else me,
        person_code=payload.person_code,
        kind=payload.kind,
        title=payload.title,
    )
    return Status(201, _detail(request, selectors.circle_get(community=community, pk=circle.pk)))


@router.get(CIRCLES + "/overview", response=OverviewOut)
def circles_overview(request: HttpRequest, slug: str) -> dict[str, int]:
    """Counts only, for the health group: never who a circle is for nor what it holds."""
    community = community_get(slug=slug)
    check(request, "care.view_overview", community)
    seen = selectors.overview(community=community)
    return {
        "open_circles": seen.open_circles,
        "helpers": seen.helpers,
        "open_needs": seen.open_needs,
        "needs_taken": seen.needs_taken,
        "erased_circles": selectors.erased_totals(community=community)["circles"],
    }


@router.get(CIRCLE, response=CircleDetailOut)
def circle_detail(request: HttpRequest, slug: str, circle_id: int) -> dict[str, Any]:
    return _detail(request, _circle(request, slug, circle_id))


@router.get(CIRCLE + "/export", response=dict[str, Any])
def circle_export(request: HttpRequest, slug: str, circle_id: int) -> dict[str, Any]:
    """The circle to take away, as the page's download: all of it (pod, calendar with details,
    notes) for the person and whoever runs it; only the needs they took for a helper."""
    circle = _circle(request, slug, circle_id, "care.export_circle")
    me = membership_required(request.user, circle.community)
    return exports.circle_export(
        circle=circle, membership=me, runs=bool(runs_circle.test(request.user, circle))
    )


@router.post(CIRCLE + "/needs", response={201: CircleNeedOut})
def need_create(request: HttpRequest, slug: str, circle_id: int, payload: NeedIn) -> Status[dict[str, Any]]:
    circle = _circle(request, slug, circle_id, "care.manage_circle")
    me = membership_required(request.user, circle.community)
    need = services.need_add(circle=circle, by=me, **payload.dict())
    return Status(
        201,
        {
            "id": need.pk,
            "kind": need.kind,
            "starts_at": need.starts_at,
            "ends_at": need.ends_at,
            "label": need.label,
            "status": "open",
            "details": payload.details,
        },
    )


@router.post(CIRCLE + "/needs/{need_id}/take", response=CircleNeedOut)
def need_take(request: HttpRequest, slug: str, circle_id: int, need_id: int) -> dict[str, Any]:
    """Take a need; two helpers at once: one wins, the other gets 409 with a sentence."""
    circle = _circle(request, slug, circle_id, "care.take_need")
    me = membership_required(request.user, circle.community)
    if need_id < 1 or need_id > 2**62:
        raise NotFound()
    need = selectors.need_get(circle=circle, pk=need_id)
    place = selectors.my_place(circle=circle, membership=me)
    assert place is not None  # the rule found an active helper
    taken = services.need_take(need=need, helper=place)
    row = next(
        r for r in selectors.calendar(circle=circle, membership=me, runs=False) if r.need.pk == taken.pk
    )
    return {
        "id": taken.pk,
        "kind": taken.kind,
        "starts_at": taken.starts_at,
        "ends_at": taken.ends_at,
        "label": taken.label,
        "status": "yours",
        "details": row.details,
    }


@router.post(CIRCLE + "/close", response=CircleOut)
def circle_close(request: HttpRequest, slug: str, circle_id: int) -> dict[str, Any]:
    circle = _circle(request, slug, circle_id, "care.close_circle")
    me = membership_required(request.user, circle.community)
    return _out(services.circle_close(circle=circle, by=me))
