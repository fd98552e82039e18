"""Clock jobs: phases advance on their dates (closing the vote counts it)."""

from __future__ import annotations

from datetime import datetime

from dualpower.budgeting.services import cycles_advance_due
from dualpower.ops import schedule


@schedule.job("budgeting.phases")
def advance_phases(now: datetime) -> str:
    return cycles_advance_due(now)
