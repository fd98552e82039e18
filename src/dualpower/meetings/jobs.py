"""Clock jobs for meetings: close amendment windows, remind people the day before."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils.translation import gettext_lazy, ngettext

from dualpower.assemblies.bodies import voters_of
from dualpower.meetings.models import Meeting
from dualpower.meetings.services.minutes import minutes_close_windows
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

REMIND_AHEAD = timedelta(hours=24)


def close_amendment_windows(now: datetime) -> str:
    closed = minutes_close_windows(now=now)
    if not closed:
        return ""
    return ngettext("%(n)d amendment window closed", "%(n)d amendment windows closed", closed) % {"n": closed}


def remind_the_day_before(now: datetime) -> str:
    """Tell voters of each meeting starting within a day, once (``reminded_at`` marks it)."""
    due = Meeting.objects.filter(
        status=Meeting.Status.SCHEDULED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + REMIND_AHEAD,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            meeting = (
                Meeting.objects.select_for_update(of=("self",))
                .select_related("assembly__community")
                .get(pk=pk)
            )
            if meeting.reminded_at is not None or meeting.status != Meeting.Status.SCHEDULED:
                continue
            meeting.reminded_at = now
            meeting.save(update_fields=["reminded_at"])
            notification_send(
                recipients=list(voters_of(meeting.assembly).exclude(user=None)),
                community=meeting.assembly.community,
                kind="meetings.reminder",
                title=notice_text(gettext_lazy("Meeting tomorrow: %(title)s"), title=meeting.title),
                body=notice_text(
                    gettext_lazy("%(assembly)s meets soon. See the agenda on the meeting's page."),
                    assembly=meeting.assembly.name,
                ),
                url=meeting.get_absolute_url(),
            )
            sent += 1
    return ngettext("%(n)d reminder sent", "%(n)d reminders sent", sent) % {"n": sent} if sent else ""
