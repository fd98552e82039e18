"""The inventory's clock job: lots about to expire are told to the stock keepers once."""

from __future__ import annotations

from datetime import datetime

from dualpower.inventory.services import warn_expiring


def expiry_warnings(now: datetime) -> str | None:
    told = warn_expiring(now)
    return f"{told} lots about to expire told" if told else None
