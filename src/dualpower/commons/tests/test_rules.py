"""Who may do what in the commons: every permission against every role."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.commons.rules import PERMISSIONS
from dualpower.commons.tests.factories import make_guide, make_received
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db

ADMITTED = {"observer", "member", "coordinator"}
EXPECTED: dict[str, set[str]] = {
    "commons.view": ADMITTED,
    # Observers read; members take part (write, edit, copy).
    "commons.write": {"member", "coordinator"},
    "commons.copy": {"member", "coordinator"},
    # Sharing with peers or everyone speaks for the community.
    "commons.share": {"coordinator"},
}


def test_every_permission_is_in_the_matrix() -> None:
    assert set(EXPECTED) == set(PERMISSIONS)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(people: Any, community: Any, role: str) -> None:
    guide = make_guide(community)
    received = make_received(community)
    for perm, allowed in EXPECTED.items():
        for obj in (community, guide, received):
            assert people[role].has_perm(perm, obj) == (role in allowed), (perm, obj)
