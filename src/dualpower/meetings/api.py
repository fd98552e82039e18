"""API for meetings: parse → check rule → call service → schema.

Every path is inside one community: /communities/{slug}/meetings/...; a meeting of another
community is simply not found there.
"""

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from dualpower.api import AUTH_OPTIONAL, paginate
from dualpower.assemblies import selectors as assembly_selectors
from dualpower.assemblies.bodies import voters_of
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.errors import InvalidInput
from dualpower.meetings import selectors, services, services_minutes, services_tallies
from dualpower.meetings.models import Attendance, Meeting, RoomTally
from dualpower.meetings.schemas import (
    AgendaItemIn,
    AgendaItemOut,
    AgendaItemPatch,
    AttendanceIn,
    AttendanceOut,
    MeetingIn,
    MeetingOut,
    MeetingPatch,
    MinutesIn,
    MinutesOut,
    OpenMinutesIn,
    QuorumOut,
    RolesOut,
    TallyIn,
    TallyOut,
)
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.node.models import Community
from dualpower.node.selectors import community_get
from dualpower.web.permissions import check

router = Router(tags=["meetings"])

MEETINGS = "/communities/{slug}/meetings"
MEETING = MEETINGS + "/{meeting_id}"
ITEM = MEETING + "/agenda/{item_id}"
ROLES = ("facilitator", "note_taker", "timekeeper")


class ListQuery(Schema):
    assembly: str | None = None
    when: Literal["upcoming", "past", "all"] = "all"


LIST_QUERY = Query(...)


class RolesQuery(Schema):
    assembly: str


ROLES_QUERY = Query(...)


def _me(request: HttpRequest, community: Community) -> Membership | None:
    return membership_for(request.user, community)


def _community(request: HttpRequest, slug: str) -> Community:
    community = community_get(slug=slug)
    # Check the community first: an outsider learns nothing about which meetings exist.
    check(request, "meetings.list_meetings", community)
    return community


def _meeting(request: HttpRequest, slug: str, meeting_id: int, perm: str) -> Meeting:
    community = _community(request, slug)
    meeting = selectors.meeting_get(community=community, pk=meeting_id)
    check(request, perm, meeting)
    return meeting


def _fresh(meeting: Meeting) -> Meeting:
    return selectors.meeting_get(community=meeting.assembly.community, pk=meeting.pk)


def _role_holder(assembly: Assembly, pk: int | None, field: str) -> Membership | None:
    if pk is None:
        return None
    found = voters_of(assembly).filter(pk=pk).first()
    if found is None:
        raise InvalidInput("Meeting roles are held by members of this assembly.", field=field)
    return found


def _proposal(assembly: Assembly, pk: int | None) -> Proposal | None:
    if pk is None:
        return None
    found = Proposal.objects.filter(assembly=assembly, pk=pk).first()
    if found is None:
        raise InvalidInput("Link a proposal of this assembly.", field="proposal")
    return found


@router.get(MEETINGS, response=list[MeetingOut], auth=AUTH_OPTIONAL)
@paginate
def meeting_list(request: HttpRequest, slug: str, filters: ListQuery = LIST_QUERY) -> Any:
    community = _community(request, slug)
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
    community = _community(request, slug)
    assembly = assembly_selectors.assembly_get(community=community, slug=query.assembly)
    check(request, "meetings.schedule_meeting", assembly)
    return {
        role: ({"id": m.pk, "display_name": m.display_name} if m else None)
        for role, m in selectors.suggest_roles(assembly=assembly).items()
    }


@router.post(MEETINGS, response={201: MeetingOut})
def meeting_create(request: HttpRequest, slug: str, payload: MeetingIn) -> Status[Meeting]:
    community = _community(request, slug)
    assembly = assembly_selectors.assembly_get(community=community, slug=payload.assembly)
    check(request, "meetings.schedule_meeting", assembly)
    agenda = [
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
        by=_me(request, community),
        title=payload.title,
        starts_at=payload.starts_at,
        ends_at=payload.ends_at,
        place=payload.place,
        call_link=payload.call_link,
        agenda=agenda,
        **{role: _role_holder(assembly, getattr(payload, role), role) for role in ROLES},
    )
    return Status(201, _fresh(meeting))


@router.get(MEETING, response=MeetingOut, auth=AUTH_OPTIONAL)
def meeting_detail(request: HttpRequest, slug: str, meeting_id: int) -> Meeting:
    return _meeting(request, slug, meeting_id, "meetings.view_meeting")


@router.patch(MEETING, response=MeetingOut)
def meeting_update(request: HttpRequest, slug: str, meeting_id: int, payload: MeetingPatch) -> Meeting:
    meeting = _meeting(request, slug, meeting_id, "meetings.change_meeting")
    changes = payload.dict(exclude_unset=True)
    for role in ROLES:
        if role in changes:
            changes[role] = _role_holder(meeting.assembly, changes[role], role)
    for name in ("title", "starts_at", "ends_at"):
        if name in changes and changes[name] is None:
            raise InvalidInput("This field cannot be empty.", field=name)
    services.meeting_update(meeting=meeting, by=_me(request, meeting.assembly.community), **changes)
    return _fresh(meeting)


def _transition(request: HttpRequest, slug: str, meeting_id: int, perm: str, verb: Any) -> Meeting:
    meeting = _meeting(request, slug, meeting_id, perm)
    verb(meeting=meeting, by=_me(request, meeting.assembly.community))
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
    return selectors.agenda_of(meeting=_meeting(request, slug, meeting_id, "meetings.view_meeting"))


@router.post(MEETING + "/agenda", response={201: AgendaItemOut})
def agenda_add(request: HttpRequest, slug: str, meeting_id: int, payload: AgendaItemIn) -> Status[Any]:
    meeting = _meeting(request, slug, meeting_id, "meetings.change_agenda")
    item = services.agenda_item_add(
        meeting=meeting,
        by=_me(request, meeting.assembly.community),
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
    meeting = _meeting(request, slug, meeting_id, "meetings.change_agenda")
    item = selectors.item_get(meeting=meeting, pk=item_id)
    changes = payload.dict(exclude_unset=True)
    if "title" in changes and changes["title"] is None:
        raise InvalidInput("An agenda item needs a title.", field="title")
    if "notes" in changes and changes["notes"] is None:
        changes["notes"] = ""
    if "proposal" in changes:
        changes["proposal"] = _proposal(meeting.assembly, changes["proposal"])
    return services.agenda_item_update(item=item, by=_me(request, meeting.assembly.community), **changes)


@router.delete(ITEM, response={204: None})
def agenda_remove(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> Status[None]:
    meeting = _meeting(request, slug, meeting_id, "meetings.change_agenda")
    item = selectors.item_get(meeting=meeting, pk=item_id)
    services.agenda_item_remove(item=item, by=_me(request, meeting.assembly.community))
    return Status(204, None)


# --- Attendance and quorum ------------------------------------------------------------------


@router.get(MEETING + "/attendance", response=list[AttendanceOut], auth=AUTH_OPTIONAL)
def attendance_list(request: HttpRequest, slug: str, meeting_id: int) -> Any:
    return selectors.attendance_of(meeting=_meeting(request, slug, meeting_id, "meetings.view_meeting"))


@router.post(MEETING + "/check-in", response={201: AttendanceOut})
def check_in(request: HttpRequest, slug: str, meeting_id: int) -> Status[Attendance]:
    meeting = _meeting(request, slug, meeting_id, "meetings.check_in")
    me = _me(request, meeting.assembly.community)
    assert me is not None  # the rule admits only voters and observers
    return Status(201, services.attendance_check_in(meeting=meeting, membership=me))


@router.post(MEETING + "/attendance", response={201: AttendanceOut})
def attendance_record(
    request: HttpRequest, slug: str, meeting_id: int, payload: AttendanceIn
) -> Status[Attendance]:
    meeting = _meeting(request, slug, meeting_id, "meetings.record_attendance")
    person = Membership.objects.filter(community=meeting.assembly.community, pk=payload.member).first()
    if person is None:
        raise InvalidInput("Only members and observers of this assembly attend its meetings.", field="member")
    me = _me(request, meeting.assembly.community)
    return Status(201, services.attendance_record(meeting=meeting, membership=person, by=me))  # type: ignore[arg-type]


@router.delete(MEETING + "/attendance/{attendance_id}", response={204: None})
def attendance_remove(request: HttpRequest, slug: str, meeting_id: int, attendance_id: int) -> Status[None]:
    meeting = _meeting(request, slug, meeting_id, "meetings.record_attendance")
    record = selectors.attendance_get(meeting=meeting, pk=attendance_id)
    services.attendance_remove(attendance=record, by=_me(request, meeting.assembly.community))  # type: ignore[arg-type]
    return Status(204, None)


@router.get(MEETING + "/quorum", response=QuorumOut, auth=AUTH_OPTIONAL)
def quorum(request: HttpRequest, slug: str, meeting_id: int) -> Any:
    q = selectors.quorum_of(meeting=_meeting(request, slug, meeting_id, "meetings.view_meeting"))
    return {
        "eligible": q.eligible,
        "present": q.present,
        "needed": q.needed,
        "observers_present": q.others,
        "reached": q.reached,
    }


# --- Minutes --------------------------------------------------------------------------------


def _minutes_out(meeting: Meeting) -> dict[str, Any]:
    minutes = selectors.minutes_of(meeting=meeting)
    if minutes is None:
        return {
            "state": "not_started",
            "amend_until": None,
            "adopted_at": None,
            "current": None,
            "history": [],
        }
    history = selectors.revisions_of(minutes=minutes)
    return {
        "state": minutes.state,
        "amend_until": minutes.amend_until,
        "adopted_at": minutes.adopted_at,
        "current": history[0] if history else None,
        "history": history,
    }


@router.get(MEETING + "/minutes", response=MinutesOut, auth=AUTH_OPTIONAL)
def minutes_detail(request: HttpRequest, slug: str, meeting_id: int) -> Any:
    return _minutes_out(_meeting(request, slug, meeting_id, "meetings.view_meeting"))


@router.post(MEETING + "/minutes", response={201: MinutesOut})
def minutes_write(request: HttpRequest, slug: str, meeting_id: int, payload: MinutesIn) -> Status[Any]:
    """Draft (the note-taker) or, once open, amend (an attendee, saying what changed)."""
    meeting = _meeting(request, slug, meeting_id, "meetings.view_meeting")
    minutes = selectors.minutes_of(meeting=meeting)
    drafting = minutes is None or minutes.state == minutes.State.DRAFT
    check(request, "meetings.draft_minutes" if drafting else "meetings.amend_minutes", meeting)
    me = _me(request, meeting.assembly.community)
    items = {key: value.dict() for key, value in payload.items.items()}
    if drafting:
        services_minutes.minutes_draft(
            meeting=meeting, by=me, summary=payload.summary, items=items, note=payload.note
        )
    else:
        services_minutes.minutes_amend(
            meeting=meeting,
            by=me,  # type: ignore[arg-type]
            summary=payload.summary,
            items=items,
            note=payload.note,
        )
    return Status(201, _minutes_out(meeting))


@router.post(MEETING + "/minutes/open", response=MinutesOut)
def minutes_open(request: HttpRequest, slug: str, meeting_id: int, payload: OpenMinutesIn) -> Any:
    meeting = _meeting(request, slug, meeting_id, "meetings.open_minutes")
    services_minutes.minutes_open(
        meeting=meeting, by=_me(request, meeting.assembly.community), hours=payload.hours
    )
    return _minutes_out(meeting)


@router.post(MEETING + "/minutes/adopt", response=MinutesOut)
def minutes_adopt(request: HttpRequest, slug: str, meeting_id: int) -> Any:
    meeting = _meeting(request, slug, meeting_id, "meetings.adopt_minutes")
    services_minutes.minutes_adopt(meeting=meeting, by=_me(request, meeting.assembly.community))
    return _minutes_out(meeting)


# --- Counts in the room ---------------------------------------------------------------------


@router.get(MEETING + "/tallies", response=list[TallyOut], auth=AUTH_OPTIONAL)
def tally_list(request: HttpRequest, slug: str, meeting_id: int) -> Any:
    meeting = _meeting(request, slug, meeting_id, "meetings.view_meeting")
    return list(selectors.tallies_of(meeting=meeting).values())


@router.post(ITEM + "/tally", response={201: TallyOut})
def tally_enter(
    request: HttpRequest, slug: str, meeting_id: int, item_id: int, payload: TallyIn
) -> Status[RoomTally]:
    meeting = _meeting(request, slug, meeting_id, "meetings.enter_tally")
    item = selectors.item_get(meeting=meeting, pk=item_id)
    me = _me(request, meeting.assembly.community)
    assert me is not None
    tally = services_tallies.tally_enter(item=item, teller=me, counts=payload.counts, present=payload.present)
    return Status(201, selectors.tally_get(meeting=meeting, item_pk=tally.item_id))


def _tally(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> tuple[Meeting, RoomTally]:
    meeting = _meeting(request, slug, meeting_id, "meetings.view_meeting")
    tally = selectors.tally_get(meeting=meeting, item_pk=item_id)
    check(request, "meetings.witness_tally", tally)
    return meeting, tally


@router.post(ITEM + "/tally/confirm", response=TallyOut)
def tally_confirm(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> Any:
    meeting, tally = _tally(request, slug, meeting_id, item_id)
    me = _me(request, meeting.assembly.community)
    services_tallies.tally_confirm(tally=tally, witness=me)  # type: ignore[arg-type]
    return selectors.tally_get(meeting=meeting, item_pk=item_id)


@router.post(ITEM + "/tally/dispute", response={204: None})
def tally_dispute(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> Status[None]:
    meeting, tally = _tally(request, slug, meeting_id, item_id)
    services_tallies.tally_dispute(tally=tally, by=_me(request, meeting.assembly.community))  # type: ignore[arg-type]
    return Status(204, None)
