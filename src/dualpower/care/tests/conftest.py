"""Shared by care's tests: the aid key comes from settings, since a crisis call is dispatched
through aid and seals its rough place in the aid request's private details."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.care.tests.factories_circles import TEST_KEY


@pytest.fixture(autouse=True)
def _aid_key(settings: Any) -> None:
    # A key from settings, so tests never write a key file into the developer's DP_HOME.
    settings.DP_AID_KEY = TEST_KEY
