"""iCalendar feeds of meetings (RFC 5545), built with the icalendar package.

Each meeting is one VEVENT whose UID never changes (so calendar apps update it in place),
whose SEQUENCE grows with every announced change, and which says STATUS:CANCELLED when the
meeting is called off instead of disappearing (so the cancellation reaches people's calendars).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.utils import timezone
from icalendar import Calendar, Event

from dualpower.meetings.models import Meeting

PRODID = "-//dualpower//meetings//EN"


def meeting_uid(meeting: Meeting, host: str) -> str:
    return f"meeting-{meeting.pk}@{host}"


def feed(
    *, name: str, meetings: Iterable[Meeting], host: str, base_url: str, now: datetime | None = None
) -> bytes:
    """The calendar as bytes; ``base_url`` is ``https://host`` to link each meeting's page."""
    now = (now or timezone.now()).astimezone(UTC)
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    for meeting in meetings:
        event = Event()
        event.add("uid", meeting_uid(meeting, host))
        event.add("dtstamp", now)
        event.add("dtstart", meeting.starts_at.astimezone(UTC))
        event.add("dtend", meeting.ends_at.astimezone(UTC))
        event.add("last-modified", meeting.updated_at.astimezone(UTC))
        event.add("sequence", meeting.sequence)
        event.add("summary", f"{meeting.assembly.name}: {meeting.title}")
        location = ", ".join(part for part in (meeting.place, meeting.call_link) if part)
        if location:
            event.add("location", location)
        url = base_url + meeting.get_absolute_url()
        event.add("url", url)
        event.add("description", url)
        event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
        cal.add_component(event)
    return cal.to_ical()
