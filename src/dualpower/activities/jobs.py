"""The activities' clock jobs: keep occurrences generated ahead, and remind people the day before."""

from __future__ import annotations

from datetime import datetime

from dualpower.activities import services, signups
from dualpower.ops import schedule


@schedule.job("activities.generate")
def generate_occurrences(now: datetime) -> str:
    made = services.generate_all(now)
    return f"{made} occurrences made" if made else ""


@schedule.job("activities.remind")
def remind_the_day_before(now: datetime) -> str:
    sent = signups.remind_due(now)
    return f"{sent} reminders sent" if sent else ""
