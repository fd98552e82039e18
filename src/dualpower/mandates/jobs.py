"""Clock jobs for delegates: terms that end, and votes against mandates."""

from __future__ import annotations

from datetime import datetime

from dualpower.mandates import services


def flag_breaches(now: datetime) -> str:
    found = services.breaches_flag(now=now)
    return f"{found} vote(s) against a mandate recorded" if found else ""


def expire_seats(now: datetime) -> str:
    ended = services.seats_expire(now=now)
    return f"{ended} delegate term(s) ended" if ended else ""
