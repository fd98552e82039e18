from __future__ import annotations

from typing import Any

import pytest

from dualpower.mandates.tests.factories import World, build_world


@pytest.fixture
def world(community: Any, people: Any) -> World:
    return build_world(community)


from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: E402, F401
