"""Who may see what a seizure would reveal: every exposure permission against every role."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.defence.rules import EXPOSURE_PERMISSIONS
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db

EXPECTED: dict[str, set[str]] = {
    "defence.set_duress": {"observer", "member", "coordinator"},
    # Everyone the community admits has a stake in knowing what the node holds.
    "defence.view_exposure": {"observer", "member", "coordinator"},
}


def test_every_permission_is_in_the_matrix() -> None:
    assert set(EXPECTED) == set(EXPOSURE_PERMISSIONS)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(people: Any, community: Any, role: str) -> None:
    for perm, allowed in EXPECTED.items():
        assert people[role].has_perm(perm, community) == (role in allowed), perm
