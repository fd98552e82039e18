"""The food app's clock job: borrowers of the seed library are reminded before seed is due back."""

from __future__ import annotations

from datetime import datetime

from dualpower.food.services.growing_seeds import seed_loan_reminders


def seed_reminders(now: datetime) -> str | None:
    told = seed_loan_reminders(now=now)
    return f"{told} seed borrowers reminded" if told else None
