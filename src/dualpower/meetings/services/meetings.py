"""Writes for meetings themselves: scheduling, changing, cancelling, starting and ending.

Every function here is a keyword-only verb in one transaction that writes its audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any, TypedDict, Unpack

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies.bodies import voters_of
from dualpower.assemblies.models import Assembly
from dualpower.clean import clean_datetime, clean_text
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.meetings.models import Meeting, Minutes
from dualpower.meetings.services._common import PLACE_MAX, TITLE_MAX, _locked
from dualpower.meetings.services.agenda import AgendaItemFields, item_add
from dualpower.meetings.services.fediverse import PUBLISHED_FIELDS, meeting_event_sync
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

ROLES = ("facilitator", "note_taker", "timekeeper")
# Fields whose change people's calendars (and the people) must hear about.
_ANNOUNCED = ("title", "starts_at", "ends_at", "place", "call_link")
MAX_LENGTH = timedelta(hours=24)


def _clean_times(starts_at: object, ends_at: object) -> tuple[datetime, datetime]:
    starts_at = clean_datetime(starts_at, field="starts_at", label=_("The start"))
    ends_at = clean_datetime(ends_at, field="ends_at", label=_("The end"))
    if ends_at <= starts_at:
        raise InvalidInput(_("A meeting must end after it starts."), field="ends_at")
    if ends_at - starts_at > MAX_LENGTH:
        raise InvalidInput(_("A meeting cannot last more than a day."), field="ends_at")
    return starts_at, ends_at


def _clean_link(link: str) -> str:
    link = (link or "").strip()
    if not link:
        return ""
    try:
        URLValidator(schemes=["https", "http"])(link)
    except ValidationError:
        raise InvalidInput(_("The call link must be a web address (https://…)."), field="call_link") from None
    if len(link) > 500:
        raise InvalidInput(_("The call link is too long."), field="call_link")
    return link


def _clean_role(assembly: Assembly, holder: Membership | None, field: str) -> Membership | None:
    if holder is None:
        return None
    if not voters_of(assembly).filter(pk=holder.pk).exists():
        raise InvalidInput(_("Meeting roles are held by members of this assembly."), field=field)
    return holder


def _voters(meeting: Meeting) -> list[Membership]:
    return list(voters_of(meeting.assembly).exclude(user=None))


@transaction.atomic
def meeting_schedule(
    *,
    assembly: Assembly,
    by: Membership | None,
    title: str,
    starts_at: datetime,
    ends_at: datetime,
    place: str = "",
    call_link: str = "",
    facilitator: Membership | None = None,
    note_taker: Membership | None = None,
    timekeeper: Membership | None = None,
    agenda: Iterable[AgendaItemFields] = (),
    notify: bool = True,
    is_public: bool = False,
) -> Meeting:
    """Put a meeting of ``assembly`` in the calendar and tell its voters; a public one is
    announced on the fediverse (services/fediverse.py)."""
    if assembly.is_archived:
        raise Conflict(_("This assembly is archived; it holds no more meetings."))
    title = clean_text(title, field="title", limit=TITLE_MAX, required=True, label=_("The title"))
    starts_at, ends_at = _clean_times(starts_at, ends_at)
    meeting = Meeting.objects.create(
        assembly=assembly,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=clean_text(place, field="place", limit=PLACE_MAX, label=_("The place")),
        call_link=_clean_link(call_link),
        facilitator=_clean_role(assembly, facilitator, "facilitator"),
        note_taker=_clean_role(assembly, note_taker, "note_taker"),
        timekeeper=_clean_role(assembly, timekeeper, "timekeeper"),
        is_public=bool(is_public),
        created_by=by,
    )
    for entry in agenda:
        item_add(meeting, **entry)
    if meeting.is_public:
        meeting_event_sync(meeting=meeting)
    audit_record(
        community=assembly.community, actor=by, action="meeting.schedule", target=meeting, summary=title
    )
    if notify:
        notification_send(
            recipients=_voters(meeting),
            community=assembly.community,
            kind="meetings.scheduled",
            title=notice_text(gettext_lazy("Meeting scheduled: %(title)s"), title=title),
            body=notice_text(
                gettext_lazy("%(assembly)s meets on %(when)s."),
                assembly=assembly.name,
                when=meeting.starts_at,
            ),
            url=meeting.get_absolute_url(),
        )
    return meeting


class MeetingChanges(TypedDict, total=False):
    """What ``meeting_update`` may change."""

    title: str
    starts_at: datetime
    ends_at: datetime
    place: str
    call_link: str
    facilitator: Membership | None
    note_taker: Membership | None
    timekeeper: Membership | None
    is_public: bool


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: Membership | None, **changes: Unpack[MeetingChanges]) -> Meeting:
    """Change a meeting that has not ended; people hear of a new time or place."""
    meeting = _locked(meeting)
    if meeting.status in (Meeting.Status.ENDED, Meeting.Status.CANCELLED):
        raise Conflict(_("This meeting is over; it can no longer be changed."))
    allowed = {"title", "starts_at", "ends_at", "place", "call_link", "is_public", *ROLES}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(_("Unknown field: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "title" in changes:
        changes["title"] = clean_text(
            changes["title"], field="title", limit=TITLE_MAX, required=True, label=_("The title")
        )
    if "place" in changes:
        changes["place"] = clean_text(changes["place"], field="place", limit=PLACE_MAX, label=_("The place"))
    if "call_link" in changes:
        changes["call_link"] = _clean_link(changes["call_link"])
    if "starts_at" in changes or "ends_at" in changes:
        if meeting.status != Meeting.Status.SCHEDULED:
            raise Conflict(_("The meeting has started; its time can no longer be moved."))
        _clean_times(changes.get("starts_at", meeting.starts_at), changes.get("ends_at", meeting.ends_at))
    values: dict[str, Any] = dict(changes)
    if "is_public" in values:
        values["is_public"] = bool(values["is_public"])
    for role in ROLES:
        if role in values:
            values[role] = _clean_role(meeting.assembly, values[role], role)
    changed = [name for name, value in values.items() if getattr(meeting, name) != value]
    if not changed:
        return meeting
    for name in changed:
        setattr(meeting, name, values[name])
    announced = [name for name in changed if name in _ANNOUNCED]
    if announced:
        meeting.sequence += 1
        if "starts_at" in announced:
            meeting.reminded_at = None
    meeting.save()
    audit_record(
        community=meeting.community,
        actor=by,
        action="meeting.update",
        target=meeting,
        summary=meeting.title,
        data={"changed": sorted(changed)},
    )
    if PUBLISHED_FIELDS.intersection(changed) and (meeting.is_public or "is_public" in changed):
        meeting_event_sync(meeting=meeting)
    if announced:
        notification_send(
            recipients=_voters(meeting),
            community=meeting.community,
            kind="meetings.changed",
            title=notice_text(gettext_lazy("Meeting changed: %(title)s"), title=meeting.title),
            body=notice_text(
                gettext_lazy("Check the new details: %(assembly)s meets on %(when)s."),
                assembly=meeting.assembly.name,
                when=meeting.starts_at,
            ),
            url=meeting.get_absolute_url(),
        )
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, by: Membership | None) -> Meeting:
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise Conflict(_("Only a meeting that has not started can be cancelled."))
    meeting.status = Meeting.Status.CANCELLED
    meeting.sequence += 1
    meeting.save(update_fields=["status", "sequence", "updated_at"])
    audit_record(
        community=meeting.community, actor=by, action="meeting.cancel", target=meeting, summary=meeting.title
    )
    if meeting.is_public:
        meeting_event_sync(meeting=meeting)  # withdrawn: Delete(Event)
    notification_send(
        recipients=_voters(meeting),
        community=meeting.community,
        kind="meetings.cancelled",
        title=notice_text(gettext_lazy("Meeting cancelled: %(title)s"), title=meeting.title),
        body=notice_text(
            gettext_lazy("The meeting of %(assembly)s on %(when)s will not take place."),
            assembly=meeting.assembly.name,
            when=meeting.starts_at,
        ),
        url=meeting.get_absolute_url(),
    )
    return meeting


@transaction.atomic
def meeting_start(*, meeting: Meeting, by: Membership | None) -> Meeting:
    """Open the meeting: check-in opens and the note-taker can draft the minutes."""
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.SCHEDULED:
        raise Conflict(_("Only a scheduled meeting can be started."))
    meeting.status = Meeting.Status.IN_PROGRESS
    meeting.save(update_fields=["status", "updated_at"])
    Minutes.objects.get_or_create(meeting=meeting)
    audit_record(
        community=meeting.community, actor=by, action="meeting.start", target=meeting, summary=meeting.title
    )
    return meeting


@transaction.atomic
def meeting_end(*, meeting: Meeting, by: Membership | None) -> Meeting:
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.IN_PROGRESS:
        raise Conflict(_("Only a meeting in progress can be ended."))
    meeting.status = Meeting.Status.ENDED
    meeting.save(update_fields=["status", "updated_at"])
    audit_record(
        community=meeting.community, actor=by, action="meeting.end", target=meeting, summary=meeting.title
    )
    return meeting
