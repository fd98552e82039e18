"""What the meetings API reads and writes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema
from pydantic import StrictInt

from dualpower.meetings.services import MAX_AMEND_HOURS, NOTE_MAX, PLACE_MAX, SUMMARY_MAX, TITLE_MAX


class PersonOut(Schema):
    id: int
    display_name: str


def _person(m: Any) -> dict[str, Any] | None:
    return {"id": m.pk, "display_name": m.display_name} if m is not None else None


class AgendaItemOut(Schema):
    id: int
    position: int
    title: str
    notes: str
    minutes_allotted: int | None
    proposal_id: int | None


class MeetingOut(Schema):
    id: int
    assembly: str
    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    call_link: str
    is_public: bool
    status: str
    facilitator: PersonOut | None
    note_taker: PersonOut | None
    timekeeper: PersonOut | None
    url: str

    @staticmethod
    def resolve_assembly(obj: Any) -> str:
        return obj.assembly.slug

    @staticmethod
    def resolve_facilitator(obj: Any) -> Any:
        return _person(obj.facilitator)

    @staticmethod
    def resolve_note_taker(obj: Any) -> Any:
        return _person(obj.note_taker)

    @staticmethod
    def resolve_timekeeper(obj: Any) -> Any:
        return _person(obj.timekeeper)

    @staticmethod
    def resolve_url(obj: Any) -> str:
        return obj.get_absolute_url()


class AgendaItemIn(Schema):
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    notes: str = Field("", max_length=5000)
    minutes_allotted: int | None = Field(None, ge=1, le=600, strict=True)
    proposal: int | None = Field(None, strict=True, description="The id of a proposal of this assembly.")


class AgendaItemPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    notes: str | None = Field(None, max_length=5000)
    minutes_allotted: int | None = Field(None, ge=1, le=600, strict=True)
    proposal: int | None = Field(None, strict=True)


class MeetingIn(Schema):
    assembly: str = Field(..., description="The assembly's short name (slug).")
    title: str = Field(..., min_length=1, max_length=TITLE_MAX)
    starts_at: datetime
    ends_at: datetime
    place: str = Field("", max_length=PLACE_MAX)
    call_link: str = Field("", max_length=500)
    is_public: bool = Field(
        False, description="Announce it on the fediverse as a public event (the call link is never shared)."
    )
    facilitator: int | None = Field(None, strict=True, description="A membership id.")
    note_taker: int | None = Field(None, strict=True)
    timekeeper: int | None = Field(None, strict=True)
    agenda: list[AgendaItemIn] = Field(default_factory=list, max_length=50)


class MeetingPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=TITLE_MAX)
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    place: str | None = Field(None, max_length=PLACE_MAX)
    call_link: str | None = Field(None, max_length=500)
    is_public: bool | None = None
    facilitator: int | None = Field(None, strict=True)
    note_taker: int | None = Field(None, strict=True)
    timekeeper: int | None = Field(None, strict=True)


class AttendanceOut(Schema):
    id: int
    member: PersonOut
    recorded_by: PersonOut | None
    checked_in_at: datetime

    @staticmethod
    def resolve_member(obj: Any) -> Any:
        return _person(obj.membership)

    @staticmethod
    def resolve_recorded_by(obj: Any) -> Any:
        return _person(obj.recorded_by)


class AttendanceIn(Schema):
    member: int = Field(..., strict=True, description="The membership id of the person present.")


class QuorumOut(Schema):
    eligible: int
    present: int
    needed: int
    observers_present: int
    reached: bool


class RevisionOut(Schema):
    number: int
    summary: str
    items: dict[str, dict[str, str]]
    note: str
    author: PersonOut | None
    created_at: datetime

    @staticmethod
    def resolve_author(obj: Any) -> Any:
        return _person(obj.author)


class MinutesOut(Schema):
    state: str
    amend_until: datetime | None
    adopted_at: datetime | None
    current: RevisionOut | None
    history: list[RevisionOut]


class ItemNotesIn(Schema):
    notes: str = Field("", max_length=10000)
    decisions: str = Field("", max_length=10000)


class MinutesIn(Schema):
    summary: str = Field("", max_length=SUMMARY_MAX)
    items: dict[str, ItemNotesIn] = Field(
        default_factory=dict, description="Agenda item id → notes, decisions."
    )
    note: str = Field("", max_length=NOTE_MAX, description="What changed (required for amendments).")


class OpenMinutesIn(Schema):
    hours: int = Field(72, ge=1, le=MAX_AMEND_HOURS, strict=True)


class TallyIn(Schema):
    counts: dict[str, StrictInt] = Field(..., description="Position (agree, disagree, abstain…) → hands.")
    present: int = Field(..., ge=1, strict=True)


class TallyOut(Schema):
    item: int
    proposal_id: int
    counts: dict[str, int]
    present: int
    teller: PersonOut
    witness: PersonOut | None
    confirmed: bool
    confirmed_at: datetime | None

    @staticmethod
    def resolve_item(obj: Any) -> int:
        return obj.item_id

    @staticmethod
    def resolve_teller(obj: Any) -> Any:
        return _person(obj.teller)

    @staticmethod
    def resolve_witness(obj: Any) -> Any:
        return _person(obj.witness)

    @staticmethod
    def resolve_confirmed(obj: Any) -> bool:
        return obj.confirmed_at is not None


class RolesOut(Schema):
    facilitator: PersonOut | None
    note_taker: PersonOut | None
    timekeeper: PersonOut | None


class AssemblyFeedOut(Schema):
    assembly: str
    url: str
    can_rotate: bool


class FeedsOut(Schema):
    mine: str = Field(..., description="Every meeting of the assemblies I vote in. A secret address.")
    assemblies: list[AssemblyFeedOut]


class RotateIn(Schema):
    assembly: str | None = Field(
        None, description="An assembly's short name; leave out to change my own address."
    )
