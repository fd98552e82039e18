"""The aid world for tests: a dispatcher, a volunteer for food, a volunteer for transport."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet

from dualpower.aid.tests.factories import AidWorld, make_world
from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401

TEST_KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _aid_key(settings: Any) -> None:
    # A key from settings, so tests never write a key file into the developer's DP_HOME.
    settings.DP_AID_KEY = TEST_KEY


@pytest.fixture
def world(community: Any, people: dict[str, Any]) -> AidWorld:
    return make_world(community, people)
