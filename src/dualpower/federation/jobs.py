"""Federation's clock jobs (registered in registrations.py): queue the deliveries due."""

from __future__ import annotations

from datetime import datetime

from dualpower.federation import delivery


def deliveries_due(now: datetime) -> str:
    return delivery.deliveries_due(now)
