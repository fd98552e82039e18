"""The activities' clock jobs: keep occurrences generated ahead, and remind people the day before.
Registered in registrations.py."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import ngettext

from dualpower.activities import services


def generate_occurrences(now: datetime) -> str:
    made = services.generate_all(now)
    return ngettext("%(n)d occurrence made", "%(n)d occurrences made", made) % {"n": made} if made else ""


def remind_the_day_before(now: datetime) -> str:
    sent = services.remind_due(now)
    return ngettext("%(n)d reminder sent", "%(n)d reminders sent", sent) % {"n": sent} if sent else ""
