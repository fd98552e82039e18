"""Attendance at a meeting: checking in, and the note-taker's corrections."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.meetings.models import Attendance, Meeting, Minutes, RoomTally
from dualpower.meetings.selectors import may_attend
from dualpower.meetings.services._common import _locked
from dualpower.members.models import Membership


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
