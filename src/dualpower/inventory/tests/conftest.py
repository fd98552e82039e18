"""Fixtures for the inventory tests: a stock keeper (an activity's organiser) beside the usual roles."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.activities.tests.conftest import ROLES, client_as, everyone, series  # noqa: F401
from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401
from dualpower.inventory import services

__all__ = ["ROLES"]


@pytest.fixture
def rice(community: Any) -> Any:
    """20 kg of rice, low at 5."""
    item = services.item_create(community=community, by=None, name="Rice", unit="kg", low_threshold=5)
    services.stock_in(item=item, quantity=20, by=None, reason="Food bank")
    item.refresh_from_db()
    return item
