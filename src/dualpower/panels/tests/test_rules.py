"""Every panels permission swept over every role (panels/rules.py): a new permission without a row
here fails ``test_every_permission_has_a_row``."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.members.tests.factories import ROLES
from dualpower.panels.rules import PERMISSIONS
from dualpower.panels.tests.factories import PanelFactory

pytestmark = pytest.mark.django_db

ADMITTED = {"observer", "member", "coordinator"}
EXPECTED: dict[str, set[str]] = {
    "panels.view_panel": ADMITTED,
    "panels.add_panel": {"coordinator"},
    "panels.change_panel": {"coordinator"},
    "panels.run_draw": {"coordinator"},
    # Only coordinators see who volunteered with which answers.
    "panels.view_answers": {"coordinator"},
    # Observers follow panels but do not sit on them.
    "panels.volunteer": {"member", "coordinator"},
}
ON_THE_COMMUNITY = {"panels.add_panel"}


def test_every_permission_has_a_row() -> None:
    assert set(PERMISSIONS) == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(community: Any, people: dict[str, Any], role: str) -> None:
    panel = PanelFactory.create(community=community)
    got = {
        perm: people[role].has_perm(perm, community if perm in ON_THE_COMMUNITY else panel)
        for perm in PERMISSIONS
    }
    assert got == {perm: role in EXPECTED[perm] for perm in PERMISSIONS}
