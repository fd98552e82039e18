"""What every defence test needs: a key for the sealed aid details (incidents seal theirs with it)
and, for the rapid-response tests, the world of factories_response (a community with responders,
a dispatcher and a verifier). A test module with its own ``_aid_key`` (a fixed key) overrides it."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet

from dualpower.defence.tests.factories_response import DefenceWorld, make_world


@pytest.fixture(autouse=True)
def _aid_key(settings: Any) -> None:
    settings.DP_AID_KEY = Fernet.generate_key().decode()


@pytest.fixture
def world(community: Any, people: dict[str, Any]) -> DefenceWorld:
    return make_world(community, people)
