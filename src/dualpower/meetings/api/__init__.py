"""API for meetings: parse → check rule → call service → schema.

Every path is inside one community: /communities/{slug}/meetings/...; a meeting of another
community is simply not found there. Meetings, agenda, attendance, roles and feeds are here (in
the package's ``__init__`` so that their OpenAPI operation ids, made from the module's name, stay
as they were); minutes and counts in the room in ``minutes.py``; shared helpers in ``_common.py``.
"""

from typing import Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from dualpower.api_tools import AUTH_OPTIONAL, paginate
from dualpower.assemblies import selectors as assembly_selectors
from dualpower.assemblies.bodies import voters_of
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.meetings import selectors, services
from dualpower.meetings.api._common import ITEM, MEETING, MEETINGS, ROLES, community_for, me_in, meeting_for
from dualpower.meetings.api.minutes import router as minutes_router
from dualpower.meetings.models import Attendance, Meeting
from dualpower.meetings.schemas import (
    AgendaItemIn,
    AgendaItemOut,
    AgendaItemPatch,
    AttendanceIn,
    AttendanceOut,
    FeedsOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    QuorumOut,
    RolesOut,
    RotateIn,
)
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership
from dualpower.members.roles import membership_required
from dualpower.web.permissions import check

router = Router(tags=["meetings"])
# Minutes and counts in the room: the same API, kept in minutes.py.
router.add_router("", minutes_router)


class ListQuery(Schema):
    assembly: str | None = None
    when: Literal["upcoming", "past", "all"] = "all"


LIST_QUERY = Query(...)


class RolesQuery(Schema):
    assembly: str


ROLES_QUERY = Query(...)


def _fresh(meeting: Meeting) -> Meeting:
    return selectors.meeting_get(community=meeting.assembly.community, pk=meeting.pk)


def _role_holder(assembly: Assembly, pk: int | None, field: str) -> Membership | None:
    if pk is None:
        return None
    found = voters_of(assembly).filter(pk=pk).first()
    if found is None:
        raise InvalidInput(_("Meeting roles are held by members of this assembly."), field=field)
    return found


def _proposal(assembly: Assembly, pk: int | None) -> Proposal | None:
    if pk is None:
        return None
    found = (
        assembly_selectors.proposals_of(community=assembly.community, assembly=assembly).filter(pk=pk).first()
    )
    if found is None:
        raise InvalidInput(_("Link a proposal of this assembly."), field="proposal")
    return found


@router.get(MEETINGS, response=list[MeetingOut], auth=AUTH_OPTIONAL)
@paginate
def meeting_list(request: HttpRequest, slug: str, filters: ListQuery = LIST_QUERY) -> Any:
    community = community_for(request, slug)
    assembly = (
        assembly_selectors.assembly_get(community=community, slug=filters.assembly)
        if filters.assembly
        else None
    )
    if filters.when == "upcoming":
        return selectors.upcoming_meetings(community=community, assembly=assembly, limit=500)
    if filters.when == "past":
        past = selectors.past_meetings(community=community, limit=500)
        return [m for m in past if assembly is None or m.assembly_id == assembly.pk]
    return selectors.meetings_of(community=community, assembly=assembly).order_by("-starts_at", "-id")


@router.get(MEETINGS + "/suggested-roles", response=RolesOut, auth=AUTH_OPTIONAL)
def roles_suggest(request: HttpRequest, slug: str, query: RolesQuery = ROLES_QUERY) -> Any:
    community = community_for(request, slug)
    assembly = assembly_selectors.assembly_get(community=community, slug=query.assembly)
    check(request, "meetings.schedule_meeting", assembly)
    return {
        role: ({"id": m.pk, "display_name": m.display_name} if m else None)
        for role, m in selectors.suggest_roles(assembly=assembly).items()
    }


@router.post(MEETINGS, response={201: MeetingOut})
def meeting_create(request: HttpRequest, slug: str, payload: MeetingIn) -> Status[Meeting]:
    community = community_for(request, slug)
    assembly = assembly_selectors.assembly_get(community=community, slug=payload.assembly)
    check(request, "meetings.schedule_meeting", assembly)
    agenda: list[services.AgendaItemFields] = [
        {
            "title": entry.title,
            "notes": entry.notes,
            "minutes_allotted": entry.minutes_allotted,
            "proposal": _proposal(assembly, entry.proposal),
        }
        for entry in payload.agenda
    ]
    meeting = services.meeting_schedule(
        assembly=assembly,
        by=me_in(request, community),
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        place=payload.place,
        call_link=payload.call_link,
        is_public=payload.is_public,
        agenda=agenda,
        facilitator=_role_holder(assembly, payload.facilitator, "facilitator"),
        note_taker=_role_holder(assembly, payload.note_taker, "note_taker"),
        timekeeper=_role_holder(assembly, payload.timekeeper, "timekeeper"),
    )
    return Status(201, _fresh(meeting))


# Before "/{meeting_id}": paths are matched in order and "feeds" would be read as an id.
def _feeds(request: HttpRequest, community: Community) -> dict[str, Any]:
    me = me_in(request, community)
    assert me is not None  # view_feeds admits only admitted people

    def url(token: Any) -> str:
        path = reverse(
            "meetings:feed", kwargs={"community": community.slug, "kind": token.kind, "token": token.token}
        )
        return request.build_absolute_uri(path)

    rows = [
        {
            "assembly": a.slug,
            "url": url(services.feed_token_for_assembly(assembly=a)),
            "can_rotate": request.user.has_perm("meetings.rotate_assembly_feed", a),
        }
        for a in assembly_selectors.assemblies_for(community=community)
        if not a.is_archived
    ]
    return {"mine": url(services.feed_token_for_member(membership=me)), "assemblies": rows}


@router.get(MEETINGS + "/feeds", response=FeedsOut)
def feeds(request: HttpRequest, slug: str) -> Any:
    """The secret calendar addresses (.ics) to subscribe to in a calendar app."""
    community = community_for(request, slug)
    check(request, "meetings.view_feeds", community)
    return _feeds(request, community)


@router.post(MEETINGS + "/feeds/rotate", response=FeedsOut)
def feeds_rotate(request: HttpRequest, slug: str, payload: RotateIn) -> Any:
    """A new secret address; the old one stops working at once."""
    community = community_for(request, slug)
    check(request, "meetings.view_feeds", community)
    me = me_in(request, community)
    if payload.assembly:
        assembly = assembly_selectors.assembly_get(community=community, slug=payload.assembly)
        check(request, "meetings.rotate_assembly_feed", assembly)
        token = services.feed_token_for_assembly(assembly=assembly)
    else:
        assert me is not None
        token = services.feed_token_for_member(membership=me)
    services.feed_token_rotate(token=token, by=me)
    return _feeds(request, community)


@router.get(MEETING, response=MeetingOut, auth=AUTH_OPTIONAL)
def meeting_detail(request: HttpRequest, slug: str, meeting_id: int) -> Meeting:
    return meeting_for(request, slug, meeting_id, "meetings.view_meeting")


@router.patch(MEETING, response=MeetingOut)
def meeting_update(request: HttpRequest, slug: str, meeting_id: int, payload: MeetingPatch) -> Meeting:
    meeting = meeting_for(request, slug, meeting_id, "meetings.change_meeting")
    changes = payload.dict(exclude_unset=True)
    for role in ROLES:
        if role in changes:
            changes[role] = _role_holder(meeting.assembly, changes[role], role)
    for name in ("title", "starts_at", "ends_at", "is_public"):
        if name in changes and changes[name] is None:
            raise InvalidInput(_("This field cannot be empty."), field=name)
    services.meeting_update(meeting=meeting, by=me_in(request, meeting.assembly.community), **changes)
    return _fresh(meeting)


def _transition(request: HttpRequest, slug: str, meeting_id: int, perm: str, verb: Any) -> Meeting:
    meeting = meeting_for(request, slug, meeting_id, perm)
    verb(meeting=meeting, by=me_in(request, meeting.assembly.community))
    return _fresh(meeting)


@router.post(MEETING + "/cancel", response=MeetingOut)
def meeting_cancel(request: HttpRequest, slug: str, meeting_id: int) -> Meeting:
    return _transition(request, slug, meeting_id, "meetings.cancel_meeting", services.meeting_cancel)


@router.post(MEETING + "/start", response=MeetingOut)
def meeting_start(request: HttpRequest, slug: str, meeting_id: int) -> Meeting:
    return _transition(request, slug, meeting_id, "meetings.run_meeting", services.meeting_start)


@router.post(MEETING + "/end", response=MeetingOut)
def meeting_end(request: HttpRequest, slug: str, meeting_id: int) -> Meeting:
    return _transition(request, slug, meeting_id, "meetings.run_meeting", services.meeting_end)


# --- Agenda ---------------------------------------------------------------------------------


@router.get(MEETING + "/agenda", response=list[AgendaItemOut], auth=AUTH_OPTIONAL)
def agenda_list(request: HttpRequest, slug: str, meeting_id: int) -> Any:
    return selectors.agenda_of(meeting=meeting_for(request, slug, meeting_id, "meetings.view_meeting"))


@router.post(MEETING + "/agenda", response={201: AgendaItemOut})
def agenda_add(request: HttpRequest, slug: str, meeting_id: int, payload: AgendaItemIn) -> Status[Any]:
    meeting = meeting_for(request, slug, meeting_id, "meetings.change_agenda")
    item = services.agenda_item_add(
        meeting=meeting,
        by=me_in(request, meeting.assembly.community),
        title=payload.title,
        notes=payload.notes,
        minutes_allotted=payload.minutes_allotted,
        proposal=_proposal(meeting.assembly, payload.proposal),
    )
    return Status(201, item)


@router.patch(ITEM, response=AgendaItemOut)
def agenda_update(
    request: HttpRequest, slug: str, meeting_id: int, item_id: int, payload: AgendaItemPatch
) -> Any:
    meeting = meeting_for(request, slug, meeting_id, "meetings.change_agenda")
    item = selectors.item_get(meeting=meeting, pk=item_id)
    changes = payload.dict(exclude_unset=True)
    if "title" in changes and changes["title"] is None:
        raise InvalidInput(_("An agenda item needs a title."), field="title")
    if "notes" in changes and changes["notes"] is None:
        changes["notes"] = ""
    if "proposal" in changes:
        changes["proposal"] = _proposal(meeting.assembly, changes["proposal"])
    return services.agenda_item_update(item=item, by=me_in(request, meeting.assembly.community), **changes)


@router.delete(ITEM, response={204: None})
def agenda_remove(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> Status[None]:
    meeting = meeting_for(request, slug, meeting_id, "meetings.change_agenda")
    item = selectors.item_get(meeting=meeting, pk=item_id)
    services.agenda_item_remove(item=item, by=me_in(request, meeting.assembly.community))
    return Status(204, None)


# --- Attendance and quorum ------------------------------------------------------------------


@router.get(MEETING + "/attendance", response=list[AttendanceOut], auth=AUTH_OPTIONAL)
def attendance_list(request: HttpRequest, slug: str, meeting_id: int) -> Any:
    return selectors.attendance_of(meeting=meeting_for(request, slug, meeting_id, "meetings.view_meeting"))


@router.post(MEETING + "/check-in", response={201: AttendanceOut})
def check_in(request: HttpRequest, slug: str, meeting_id: int) -> Status[Attendance]:
    meeting = meeting_for(request, slug, meeting_id, "meetings.check_in")
    me = me_in(request, meeting.assembly.community)
    assert me is not None  # the rule admits only voters and observers
    return Status(201, services.attendance_check_in(meeting=meeting, membership=me))


@router.post(MEETING + "/attendance", response={201: AttendanceOut})
def attendance_record(
    request: HttpRequest, slug: str, meeting_id: int, payload: AttendanceIn
) -> Status[Attendance]:
    meeting = meeting_for(request, slug, meeting_id, "meetings.record_attendance")
    person = member_selectors.membership_find(community=meeting.assembly.community, pk=payload.member)
    if person is None:
        raise InvalidInput(
            _("Only members and observers of this assembly attend its meetings."), field="member"
        )
    me = membership_required(request.user, meeting.assembly.community)
    return Status(201, services.attendance_record(meeting=meeting, membership=person, by=me))


@router.delete(MEETING + "/attendance/{attendance_id}", response={204: None})
def attendance_remove(request: HttpRequest, slug: str, meeting_id: int, attendance_id: int) -> Status[None]:
    meeting = meeting_for(request, slug, meeting_id, "meetings.record_attendance")
    record = selectors.attendance_get(meeting=meeting, pk=attendance_id)
    services.attendance_remove(
        attendance=record, by=membership_required(request.user, meeting.assembly.community)
    )
    return Status(204, None)


@router.get(MEETING + "/quorum", response=QuorumOut, auth=AUTH_OPTIONAL)
def quorum(request: HttpRequest, slug: str, meeting_id: int) -> Any:
    q = selectors.quorum_of(meeting=meeting_for(request, slug, meeting_id, "meetings.view_meeting"))
    return {
        "eligible": q.eligible,
        "present": q.present,
        "needed": q.needed,
        "observers_present": q.others,
        "reached": q.reached,
    }
