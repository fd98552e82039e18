"""Writes for meetings: scheduling, roles, attendance and calendar feeds.

The agenda is in ``services_agenda``, minutes in ``services_minutes``, votes taken in the room in
``services_tallies``. Every
function here is a keyword-only verb in one transaction that writes its audit entry.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.assemblies.bodies import observers_of, voters_of
from dualpower.assemblies.models import Assembly
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.meetings.models import Attendance, FeedToken, Meeting, Minutes, new_feed_token
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send

TITLE_MAX = 200
PLACE_MAX = 300
NOTES_MAX = 5000
ROLES = ("facilitator", "note_taker", "timekeeper")
# Fields whose change people's calendars (and the people) must hear about.
_ANNOUNCED = ("title", "starts_at", "ends_at", "place", "call_link")
MAX_LENGTH = timedelta(hours=24)


def _locked(meeting: Meeting) -> Meeting:
    """Re-read the meeting under a row lock: two coordinators acting at once act in turn."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("assembly__community")
        .get(pk=meeting.pk)
    )


def _clean_text(value: str, *, field: str, limit: int, required: bool = False, label: str = "") -> str:
    value = (value or "").strip()
    if required and not value:
        raise InvalidInput(_("%(label)s cannot be empty.") % {"label": label}, field=field)
    if len(value) > limit:
        raise InvalidInput(
            _("%(label)s is too long (at most %(n)d characters).") % {"label": label, "n": limit}, field=field
        )
    return value


def _clean_times(starts_at: Any, ends_at: Any) -> tuple[datetime, datetime]:
    if not isinstance(starts_at, datetime) or not isinstance(ends_at, datetime):
        raise InvalidInput(_("Give a start and an end time."), field="starts_at")
    if timezone.is_naive(starts_at) or timezone.is_naive(ends_at):
        raise InvalidInput(_("Give the times with their time zone."), field="starts_at")
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


def _when(meeting: Meeting) -> str:
    local = timezone.localtime(meeting.starts_at)
    return local.strftime("%Y-%m-%d %H:%M")


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
    agenda: Iterable[Mapping[str, Any]] = (),
    notify: bool = True,
) -> Meeting:
    """Put a meeting of ``assembly`` in the calendar and tell its voters."""
    if assembly.is_archived:
        raise Conflict(_("This assembly is archived; it holds no more meetings."))
    title = _clean_text(title, field="title", limit=TITLE_MAX, required=True, label=_("The title"))
    starts_at, ends_at = _clean_times(starts_at, ends_at)
    meeting = Meeting.objects.create(
        assembly=assembly,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        place=_clean_text(place, field="place", limit=PLACE_MAX, label=_("The place")),
        call_link=_clean_link(call_link),
        facilitator=_clean_role(assembly, facilitator, "facilitator"),
        note_taker=_clean_role(assembly, note_taker, "note_taker"),
        timekeeper=_clean_role(assembly, timekeeper, "timekeeper"),
        created_by=by,
    )
    # Imported here: the agenda's module builds on this one's helpers.
    from dualpower.meetings.services_agenda import item_add

    for entry in agenda:
        item_add(meeting, **entry)
    audit_record(
        community=assembly.community, actor=by, action="meeting.schedule", target=meeting, summary=title
    )
    if notify:
        notification_send(
            recipients=_voters(meeting),
            community=assembly.community,
            kind="meetings.scheduled",
            title=_("Meeting scheduled: %(title)s") % {"title": title},
            body=_("%(assembly)s meets on %(when)s.") % {"assembly": assembly.name, "when": _when(meeting)},
            url=meeting.get_absolute_url(),
        )
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, by: Membership | None, **changes: Any) -> Meeting:
    """Change a meeting that has not ended; people hear of a new time or place."""
    meeting = _locked(meeting)
    if meeting.status in (Meeting.Status.ENDED, Meeting.Status.CANCELLED):
        raise Conflict(_("This meeting is over; it can no longer be changed."))
    allowed = {"title", "starts_at", "ends_at", "place", "call_link", *ROLES}
    unknown = set(changes) - allowed
    if unknown:
        raise InvalidInput(_("Unknown field: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    if "title" in changes:
        changes["title"] = _clean_text(
            changes["title"], field="title", limit=TITLE_MAX, required=True, label=_("The title")
        )
    if "place" in changes:
        changes["place"] = _clean_text(changes["place"], field="place", limit=PLACE_MAX, label=_("The place"))
    if "call_link" in changes:
        changes["call_link"] = _clean_link(changes["call_link"])
    if "starts_at" in changes or "ends_at" in changes:
        if meeting.status != Meeting.Status.SCHEDULED:
            raise Conflict(_("The meeting has started; its time can no longer be moved."))
        _clean_times(changes.get("starts_at", meeting.starts_at), changes.get("ends_at", meeting.ends_at))
    for role in ROLES:
        if role in changes:
            changes[role] = _clean_role(meeting.assembly, changes[role], role)
    changed = [name for name, value in changes.items() if getattr(meeting, name) != value]
    if not changed:
        return meeting
    for name in changed:
        setattr(meeting, name, changes[name])
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
    if announced:
        notification_send(
            recipients=_voters(meeting),
            community=meeting.community,
            kind="meetings.changed",
            title=_("Meeting changed: %(title)s") % {"title": meeting.title},
            body=_("Check the new details: %(assembly)s meets on %(when)s.")
            % {"assembly": meeting.assembly.name, "when": _when(meeting)},
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
    notification_send(
        recipients=_voters(meeting),
        community=meeting.community,
        kind="meetings.cancelled",
        title=_("Meeting cancelled: %(title)s") % {"title": meeting.title},
        body=_("The meeting of %(assembly)s on %(when)s will not take place.")
        % {"assembly": meeting.assembly.name, "when": _when(meeting)},
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


# --- Attendance -----------------------------------------------------------------------------


def may_attend(meeting: Meeting, membership: Membership | None) -> bool:
    """Voters and observers of the assembly take part in its meetings."""
    if membership is None or membership.status != Membership.Status.ACTIVE:
        return False
    return (
        voters_of(meeting.assembly).filter(pk=membership.pk).exists()
        or observers_of(meeting.assembly).filter(pk=membership.pk).exists()
    )


def _attend(meeting: Meeting, membership: Membership, recorded_by: Membership | None) -> Attendance:
    if not may_attend(meeting, membership):
        raise InvalidInput(
            _("Only members and observers of this assembly attend its meetings."), field="member"
        )
    if Attendance.objects.filter(meeting=meeting, membership=membership).exists():
        raise Conflict(_("%(name)s is already checked in.") % {"name": membership.display_name})
    try:
        # A double tap from two phones: the database's unique constraint decides, not a 500.
        with transaction.atomic():
            attendance = Attendance.objects.create(
                meeting=meeting, membership=membership, recorded_by=recorded_by
            )
    except IntegrityError:
        raise Conflict(_("%(name)s is already checked in.") % {"name": membership.display_name}) from None
    audit_record(
        community=meeting.community,
        actor=recorded_by or membership,
        action="meeting.check_in",
        target=meeting,
        summary=membership.display_name,
    )
    return attendance


@transaction.atomic
def attendance_check_in(*, meeting: Meeting, membership: Membership) -> Attendance:
    """Someone says they are here, in the room or on the call."""
    meeting = _locked(meeting)
    if meeting.status != Meeting.Status.IN_PROGRESS:
        raise Conflict(_("Check-in is open only while the meeting is in progress."))
    return _attend(meeting, membership, None)


def _attendance_editable(meeting: Meeting) -> None:
    if meeting.status not in (Meeting.Status.IN_PROGRESS, Meeting.Status.ENDED):
        raise Conflict(_("Attendance is recorded once the meeting has started."))
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is not None and minutes.state == Minutes.State.ADOPTED:
        raise Conflict(_("The minutes are adopted; the attendance they record is final."))


@transaction.atomic
def attendance_record(*, meeting: Meeting, membership: Membership, by: Membership) -> Attendance:
    """The note-taker records someone present (who has no phone, or forgot)."""
    meeting = _locked(meeting)
    _attendance_editable(meeting)
    return _attend(meeting, membership, by)


@transaction.atomic
def attendance_remove(*, attendance: Attendance, by: Membership) -> None:
    """Correct a mistaken record. Not once a tally that counted this person's presence is confirmed."""
    meeting = _locked(attendance.meeting)
    _attendance_editable(meeting)
    from dualpower.meetings.models import RoomTally

    if RoomTally.objects.filter(item__meeting=meeting, confirmed_at__isnull=False).exists():
        raise Conflict(_("A witnessed vote rests on this attendance; it can no longer be corrected."))
    name = attendance.membership.display_name
    attendance.delete()
    audit_record(
        community=meeting.community,
        actor=by,
        action="meeting.attendance_remove",
        target=meeting,
        summary=name,
    )


# --- Calendar feeds -------------------------------------------------------------------------


@transaction.atomic
def feed_token_for_assembly(*, assembly: Assembly) -> FeedToken:
    token, _created = FeedToken.objects.get_or_create(kind=FeedToken.Kind.ASSEMBLY, assembly=assembly)
    return token


@transaction.atomic
def feed_token_for_member(*, membership: Membership) -> FeedToken:
    token, _created = FeedToken.objects.get_or_create(kind=FeedToken.Kind.MEMBER, membership=membership)
    return token


@transaction.atomic
def feed_token_rotate(*, token: FeedToken, by: Membership | None) -> FeedToken:
    """A new secret: calendars subscribed with the old address stop receiving meetings."""
    token = FeedToken.objects.select_for_update().get(pk=token.pk)
    token.token = new_feed_token()
    token.save(update_fields=["token", "rotated_at"])
    community = token.assembly.community if token.assembly else token.membership.community  # type: ignore[union-attr]
    audit_record(
        community=community, actor=by, action="meeting.feed_rotate", target=token, summary=token.kind
    )
    return token
