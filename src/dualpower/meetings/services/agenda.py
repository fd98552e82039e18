"""Writes for a meeting's agenda: items in order, each possibly deciding a proposal."""

from __future__ import annotations

from typing import Any, NotRequired, TypedDict, Unpack

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.assemblies.models import Proposal
from dualpower.clean import clean_text
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.meetings.models import AgendaItem, Meeting
from dualpower.meetings.services._common import NOTES_MAX, TITLE_MAX, _locked
from dualpower.members.models import Membership


def _agenda_open(meeting: Meeting) -> None:
    if meeting.status in (Meeting.Status.ENDED, Meeting.Status.CANCELLED):
        raise Conflict(_("The agenda of a meeting that is over cannot be changed."))


class AgendaItemFields(TypedDict):
    """An agenda item as ``item_add`` and ``meeting_schedule`` take it."""

    title: str
    notes: NotRequired[str]
    minutes_allotted: NotRequired[int | None]
    proposal: NotRequired[Proposal | None]


class AgendaItemChanges(TypedDict, total=False):
    """What ``agenda_item_update`` may change."""

    title: str
    notes: str
    minutes_allotted: int | None
    proposal: Proposal | None


def _clean_item(
    meeting: Meeting,
    *,
    title: str,
    notes: str = "",
    minutes_allotted: int | None = None,
    proposal: Proposal | None = None,
) -> dict[str, Any]:
    title = clean_text(title, field="title", limit=TITLE_MAX, required=True, label=_("The item's title"))
    notes = clean_text(notes, field="notes", limit=NOTES_MAX, label=_("The notes"))
    if minutes_allotted is not None and (
        isinstance(minutes_allotted, bool)
        or not isinstance(minutes_allotted, int)
        or not 1 <= minutes_allotted <= 600
    ):
        raise InvalidInput(_("Give the time allotted in minutes, from 1 to 600."), field="minutes_allotted")
    if proposal is not None and (
        not isinstance(proposal, Proposal) or proposal.assembly_id != meeting.assembly_id
    ):
        raise InvalidInput(_("Link a proposal of this assembly."), field="proposal")
    return {"title": title, "notes": notes, "minutes_allotted": minutes_allotted, "proposal": proposal}


def item_add(meeting: Meeting, **fields: Unpack[AgendaItemFields]) -> AgendaItem:
    cleaned = _clean_item(meeting, **fields)
    last = meeting.items.order_by("-position").values_list("position", flat=True).first()
    return AgendaItem.objects.create(meeting=meeting, position=(last or 0) + 1, **cleaned)


@transaction.atomic
def agenda_item_add(
    *,
    meeting: Meeting,
    by: Membership | None,
    title: str,
    notes: str = "",
    minutes_allotted: int | None = None,
    proposal: Proposal | None = None,
) -> AgendaItem:
    meeting = _locked(meeting)
    _agenda_open(meeting)
    item = item_add(meeting, title=title, notes=notes, minutes_allotted=minutes_allotted, proposal=proposal)
    audit_record(
        community=meeting.community, actor=by, action="meeting.agenda_add", target=meeting, summary=item.title
    )
    return item


@transaction.atomic
def agenda_item_update(
    *, item: AgendaItem, by: Membership | None, **changes: Unpack[AgendaItemChanges]
) -> AgendaItem:
    meeting = _locked(item.meeting)
    _agenda_open(meeting)
    item = AgendaItem.objects.select_for_update().get(pk=item.pk)
    unknown = set(changes) - {"title", "notes", "minutes_allotted", "proposal"}
    if unknown:
        raise InvalidInput(_("Unknown field: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "proposal" in changes and changes["proposal"] != item.proposal and hasattr(item, "tally"):
        raise Conflict(_("A vote was counted on this item; its proposal cannot be changed."))
    cleaned = _clean_item(
        meeting,
        title=changes.get("title", item.title),
        notes=changes.get("notes", item.notes),
        minutes_allotted=changes.get("minutes_allotted", item.minutes_allotted),
        proposal=changes.get("proposal", item.proposal),
    )
    for name, value in cleaned.items():
        setattr(item, name, value)
    item.save()
    audit_record(
        community=meeting.community,
        actor=by,
        action="meeting.agenda_update",
        target=meeting,
        summary=item.title,
    )
    return item


@transaction.atomic
def agenda_item_remove(*, item: AgendaItem, by: Membership | None) -> None:
    meeting = _locked(item.meeting)
    _agenda_open(meeting)
    if hasattr(item, "tally"):
        raise Conflict(_("A vote was counted on this item; it stays on the agenda."))
    title = item.title
    item.delete()
    audit_record(
        community=meeting.community, actor=by, action="meeting.agenda_remove", target=meeting, summary=title
    )


@transaction.atomic
def agenda_item_move(*, item: AgendaItem, by: Membership | None, up: bool) -> AgendaItem:
    """Swap an item with the one before (``up``) or after it."""
    meeting = _locked(item.meeting)
    _agenda_open(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    items = meeting.items.order_by("-position" if up else "position")
    other = (
        items.filter(position__lt=item.position).first()
        if up
        else items.filter(position__gt=item.position).first()
    )
    if other is None:
        return item
    mine, theirs = item.position, other.position
    # Through a free position: (meeting, position) is unique at every step.
    free = (meeting.items.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    AgendaItem.objects.filter(pk=item.pk).update(position=free)
    AgendaItem.objects.filter(pk=other.pk).update(position=mine)
    AgendaItem.objects.filter(pk=item.pk).update(position=theirs)
    item.refresh_from_db()
    audit_record(
        community=meeting.community,
        actor=by,
        action="meeting.agenda_move",
        target=meeting,
        summary=item.title,
    )
    return item
