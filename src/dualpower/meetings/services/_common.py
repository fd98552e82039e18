"""Private helpers the meetings' service modules share: limits, the meeting lock, text checks."""

from __future__ import annotations

from dualpower.meetings.models import Meeting

TITLE_MAX = 200
PLACE_MAX = 300
NOTES_MAX = 5000


def _locked(meeting: Meeting) -> Meeting:
    """Re-read the meeting under a row lock: two coordinators acting at once act in turn."""
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("assembly__community")
        .get(pk=meeting.pk)
    )
