"""Clock jobs: phases advance on their dates (closing the vote counts it). Registered in
registrations.py."""

from __future__ import annotations

from datetime import datetime

from dualpower.budgeting.services import cycles_advance_due


def advance_phases(now: datetime) -> str:
    return cycles_advance_due(now)
