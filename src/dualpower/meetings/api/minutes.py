"""API for minutes and counts taken in the room (part of the meetings router, mounted in api.py)."""

from typing import Any

from django.http import HttpRequest
from ninja import Router, Status

from dualpower.api_tools import AUTH_OPTIONAL
from dualpower.meetings import selectors, services
from dualpower.meetings.api._common import ITEM, MEETING, me_in, meeting_for
from dualpower.meetings.models import Meeting, RoomTally
from dualpower.meetings.schemas import (
    MinutesIn,
    MinutesOut,
    OpenMinutesIn,
    TallyIn,
    TallyOut,
)
from dualpower.members.roles import membership_required
from dualpower.web.permissions import check

router = Router(tags=["meetings"])


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
    return _minutes_out(meeting_for(request, slug, meeting_id, "meetings.view_meeting"))


@router.post(MEETING + "/minutes", response={201: MinutesOut})
def minutes_write(request: HttpRequest, slug: str, meeting_id: int, payload: MinutesIn) -> Status[Any]:
    """Draft (the note-taker) or, once open, amend (an attendee, saying what changed)."""
    meeting = meeting_for(request, slug, meeting_id, "meetings.view_meeting")
    minutes = selectors.minutes_of(meeting=meeting)
    drafting = minutes is None or minutes.state == minutes.State.DRAFT
    check(request, "meetings.draft_minutes" if drafting else "meetings.amend_minutes", meeting)
    me = me_in(request, meeting.assembly.community)
    items = {key: value.dict() for key, value in payload.items.items()}
    if drafting:
        services.minutes_draft(
            meeting=meeting, by=me, summary=payload.summary, items=items, note=payload.note
        )
    else:
        services.minutes_amend(
            meeting=meeting,
            by=membership_required(request.user, meeting.assembly.community),
            summary=payload.summary,
            items=items,
            note=payload.note,
        )
    return Status(201, _minutes_out(meeting))


@router.post(MEETING + "/minutes/open", response=MinutesOut)
def minutes_open(request: HttpRequest, slug: str, meeting_id: int, payload: OpenMinutesIn) -> Any:
    meeting = meeting_for(request, slug, meeting_id, "meetings.open_minutes")
    services.minutes_open(meeting=meeting, by=me_in(request, meeting.assembly.community), hours=payload.hours)
    return _minutes_out(meeting)


@router.post(MEETING + "/minutes/adopt", response=MinutesOut)
def minutes_adopt(request: HttpRequest, slug: str, meeting_id: int) -> Any:
    meeting = meeting_for(request, slug, meeting_id, "meetings.adopt_minutes")
    services.minutes_adopt(meeting=meeting, by=me_in(request, meeting.assembly.community))
    return _minutes_out(meeting)


# --- Counts in the room ---------------------------------------------------------------------


@router.get(MEETING + "/tallies", response=list[TallyOut], auth=AUTH_OPTIONAL)
def tally_list(request: HttpRequest, slug: str, meeting_id: int) -> Any:
    meeting = meeting_for(request, slug, meeting_id, "meetings.view_meeting")
    return list(selectors.tallies_of(meeting=meeting).values())


@router.post(ITEM + "/tally", response={201: TallyOut})
def tally_enter(
    request: HttpRequest, slug: str, meeting_id: int, item_id: int, payload: TallyIn
) -> Status[RoomTally]:
    meeting = meeting_for(request, slug, meeting_id, "meetings.enter_tally")
    item = selectors.item_get(meeting=meeting, pk=item_id)
    me = me_in(request, meeting.assembly.community)
    assert me is not None
    tally = services.tally_enter(item=item, teller=me, counts=payload.counts, present=payload.present)
    return Status(201, selectors.tally_get(meeting=meeting, item_pk=tally.item_id))


def _tally(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> tuple[Meeting, RoomTally]:
    meeting = meeting_for(request, slug, meeting_id, "meetings.view_meeting")
    tally = selectors.tally_get(meeting=meeting, item_pk=item_id)
    check(request, "meetings.witness_tally", tally)
    return meeting, tally


@router.post(ITEM + "/tally/confirm", response=TallyOut)
def tally_confirm(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> Any:
    meeting, tally = _tally(request, slug, meeting_id, item_id)
    services.tally_confirm(tally=tally, witness=membership_required(request.user, meeting.assembly.community))
    return selectors.tally_get(meeting=meeting, item_pk=item_id)


@router.post(ITEM + "/tally/dispute", response={204: None})
def tally_dispute(request: HttpRequest, slug: str, meeting_id: int, item_id: int) -> Status[None]:
    meeting, tally = _tally(request, slug, meeting_id, item_id)
    services.tally_dispute(tally=tally, by=membership_required(request.user, meeting.assembly.community))
    return Status(204, None)
