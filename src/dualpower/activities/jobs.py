"""The activities' clock jobs: keep occurrences generated ahead, and remind people the day before.
Registered in registrations.py."""

from __future__ import annotations

from datetime import datetime

from dualpower.activities import services


def generate_occurrences(now: datetime) -> str:
    made = services.generate_all(now)
    return f"{made} occurrences made" if made else ""


def remind_the_day_before(now: datetime) -> str:
    sent = services.remind_due(now)
    return f"{sent} reminders sent" if sent else ""
