"""Writes for minutes: drafted by the note-taker, amended by attendees for a set time, adopted.

Every change is a new ``MinutesRevision``; nothing is overwritten. Once adopted the minutes are
locked: any further change is refused with a 409 and nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext_lazy

from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.meetings.models import Attendance, Meeting, Minutes, MinutesRevision
from dualpower.meetings.selectors import current_revision
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

SUMMARY_MAX = 20000
ITEM_TEXT_MAX = 10000
NOTE_MAX = 300
DEFAULT_AMEND_HOURS = 72
MAX_AMEND_HOURS = 24 * 30


def _locked_minutes(meeting: Meeting) -> Minutes:
    minutes = (
        Minutes.objects.select_for_update(of=("self",))
        .select_related("meeting__assembly__community")
        .filter(meeting=meeting)
        .first()
    )
    if minutes is None:
        raise Conflict(_("The minutes start when the meeting starts."))
    if minutes.state == Minutes.State.ADOPTED:
        raise Conflict(_("These minutes were adopted and are locked; they can no longer be changed."))
    return minutes


def _clean_content(
    meeting: Meeting, summary: str, items: Mapping[str, Any] | None
) -> tuple[str, dict[str, dict[str, str]]]:
    summary = (summary or "").strip()
    if len(summary) > SUMMARY_MAX:
        raise InvalidInput(_("The general notes are too long."), field="summary")
    known = {str(pk) for pk in meeting.items.values_list("pk", flat=True)}
    cleaned: dict[str, dict[str, str]] = {}
    if not isinstance(items, Mapping):
        raise InvalidInput(_("Give the notes for each agenda item."), field="items")
    for key, value in items.items():
        key = str(key)
        if key not in known:
            raise InvalidInput(_("That agenda item is not on this meeting's agenda."), field="items")
        if not isinstance(value, Mapping):
            raise InvalidInput(_("Give notes and decisions for each agenda item."), field="items")
        entry = {}
        for part in ("notes", "decisions"):
            text = value.get(part, "")
            if not isinstance(text, str):
                raise InvalidInput(_("Notes and decisions are text."), field="items")
            text = text.strip()
            if len(text) > ITEM_TEXT_MAX:
                raise InvalidInput(_("The notes of an item are too long."), field="items")
            entry[part] = text
        if entry["notes"] or entry["decisions"]:
            cleaned[key] = entry
    return summary, cleaned


def _revise(
    minutes: Minutes,
    *,
    by: Membership | None,
    summary: str,
    items: Mapping[str, Mapping[str, str]],
    note: str,
) -> MinutesRevision:
    summary, cleaned = _clean_content(minutes.meeting, summary, items)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise InvalidInput(_("Say what changed in at most %(n)d characters.") % {"n": NOTE_MAX}, field="note")
    last = current_revision(minutes)
    if last is not None and last.summary == summary and last.items == cleaned:
        raise InvalidInput(_("Nothing was changed."), field="summary")
    try:
        with transaction.atomic():
            return MinutesRevision.objects.create(
                minutes=minutes,
                number=(last.number if last else 0) + 1,
                summary=summary,
                items=cleaned,
                note=note,
                author=by,
            )
    except IntegrityError:
        # Two people saved at the same moment: the second must read the first's version.
        raise Conflict(
            _("Someone else saved the minutes just now; reload them and make your change again.")
        ) from None


@transaction.atomic
def minutes_draft(
    *,
    meeting: Meeting,
    by: Membership | None,
    summary: str,
    items: Mapping[str, Mapping[str, str]] | None = None,  # agenda item id → notes and decisions
    note: str = "",
) -> MinutesRevision:
    """The note-taker writes the minutes during (or right after) the meeting."""
    minutes = _locked_minutes(meeting)
    if minutes.state != Minutes.State.DRAFT:
        raise Conflict(_("The draft is finished; attendees amend the minutes now."))
    revision = _revise(minutes, by=by, summary=summary, items=items or {}, note=note)
    audit_record(
        community=minutes.community,
        actor=by,
        action="minutes.draft",
        target=minutes,
        summary=f"#{revision.number}",
    )
    return revision


def _attendees(meeting: Meeting) -> list[Membership]:
    return [
        a.membership
        for a in Attendance.objects.filter(meeting=meeting).select_related("membership")
        if a.membership.user_id
    ]


@transaction.atomic
def minutes_open(
    *, meeting: Meeting, by: Membership | None, hours: int = DEFAULT_AMEND_HOURS, now: datetime | None = None
) -> Minutes:
    """Open the draft for amendment by attendees for ``hours``, and tell them."""
    minutes = _locked_minutes(meeting)
    if minutes.meeting.status != Meeting.Status.ENDED:
        raise Conflict(_("Minutes are opened for amendment once the meeting has ended."))
    if minutes.state != Minutes.State.DRAFT:
        raise Conflict(_("The minutes are already open for amendment."))
    if isinstance(hours, bool) or not isinstance(hours, int) or not 1 <= hours <= MAX_AMEND_HOURS:
        raise InvalidInput(
            _("Give the time for amendments in hours, from 1 to %(n)d.") % {"n": MAX_AMEND_HOURS},
            field="hours",
        )
    if current_revision(minutes) is None:
        raise Conflict(_("Write the draft before opening it for amendments."))
    minutes.state = Minutes.State.OPEN
    minutes.amend_until = (now or timezone.now()) + timedelta(hours=hours)
    minutes.save(update_fields=["state", "amend_until"])
    audit_record(
        community=minutes.community, actor=by, action="minutes.open", target=minutes, data={"hours": hours}
    )
    notification_send(
        recipients=_attendees(minutes.meeting),
        community=minutes.community,
        kind="meetings.minutes_open",
        title=notice_text(gettext_lazy("Minutes to check: %(title)s"), title=minutes.meeting.title),
        body=notice_text(
            ngettext_lazy(
                "You attended this meeting. Read the minutes and amend them within %(hours)d hour.",
                "You attended this meeting. Read the minutes and amend them within %(hours)d hours.",
                "hours",
            ),
            hours=hours,
        ),
        url=minutes.meeting.get_absolute_url() + "minutes/",
    )
    return minutes


@transaction.atomic
def minutes_amend(
    *,
    meeting: Meeting,
    by: Membership,
    summary: str,
    items: Mapping[str, Mapping[str, str]] | None = None,  # agenda item id → notes and decisions
    note: str,
    now: datetime | None = None,
) -> MinutesRevision:
    """An attendee corrects the minutes while the window is open; they say what they changed."""
    minutes = _locked_minutes(meeting)
    now = now or timezone.now()
    if minutes.state != Minutes.State.OPEN or (minutes.amend_until and minutes.amend_until <= now):
        raise Conflict(_("The minutes are not open for amendments."))
    if not Attendance.objects.filter(meeting=minutes.meeting, membership=by).exists():
        raise Conflict(_("Only those who attended the meeting amend its minutes."))
    if not (note or "").strip():
        raise InvalidInput(_("Say briefly what you changed and why."), field="note")
    revision = _revise(minutes, by=by, summary=summary, items=items or {}, note=note)
    audit_record(
        community=minutes.community,
        actor=by,
        action="minutes.amend",
        target=minutes,
        summary=f"#{revision.number}",
    )
    return revision


@transaction.atomic
def minutes_adopt(*, meeting: Meeting, by: Membership | None, now: datetime | None = None) -> Minutes:
    """Adopt the minutes once the amendment window has closed; from now on they are locked."""
    minutes = _locked_minutes(meeting)
    now = now or timezone.now()
    window_over = minutes.state == Minutes.State.CLOSED or (
        minutes.state == Minutes.State.OPEN and minutes.amend_until is not None and minutes.amend_until <= now
    )
    if not window_over:
        raise Conflict(_("Minutes are adopted after attendees have had their time to amend them."))
    minutes.state = Minutes.State.ADOPTED
    minutes.adopted_at = now
    minutes.adopted_by = by
    minutes.save(update_fields=["state", "adopted_at", "adopted_by"])
    revision = current_revision(minutes)
    audit_record(
        community=minutes.community,
        actor=by,
        action="minutes.adopt",
        target=minutes,
        summary=f"#{revision.number}" if revision else "",
    )
    return minutes


def minutes_close_windows(*, now: datetime) -> int:
    """Close every amendment window that has run out (the clock job). Idempotent."""
    closed = 0
    due = Minutes.objects.filter(state=Minutes.State.OPEN, amend_until__lte=now).values_list("pk", flat=True)
    for pk in list(due):
        with transaction.atomic():
            minutes = (
                Minutes.objects.select_for_update(of=("self",))
                .select_related("meeting__assembly__community")
                .get(pk=pk)
            )
            if (
                minutes.state != Minutes.State.OPEN
                or minutes.amend_until is None
                or minutes.amend_until > now
            ):
                continue
            minutes.state = Minutes.State.CLOSED
            minutes.save(update_fields=["state"])
            audit_record(community=minutes.community, actor=None, action="minutes.close", target=minutes)
            meeting = minutes.meeting
            keepers = [m for m in (meeting.note_taker, meeting.facilitator) if m is not None and m.user_id]
            notification_send(
                recipients=keepers,
                community=minutes.community,
                kind="meetings.minutes_ready",
                title=notice_text(gettext_lazy("Minutes ready to adopt: %(title)s"), title=meeting.title),
                body=gettext_lazy("The time for amendments is over."),
                url=meeting.get_absolute_url() + "minutes/",
            )
            closed += 1
    return closed
