"""Who may do what in deliberations: every permission against every role."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.deliberation.rules import PERMISSIONS
from dualpower.deliberation.tests.factories import make_deliberation
from dualpower.members.tests.factories import ROLES, membership_of

pytestmark = pytest.mark.django_db

ADMITTED = {"observer", "member", "coordinator"}
EXPECTED: dict[str, set[str]] = {
    "deliberation.view": ADMITTED,
    # Who may put proposals to the general assembly may open a deliberation there.
    "deliberation.open": {"member", "coordinator"},
    # Observers read the map; the assembly's voters take part.
    "deliberation.take_part": {"member", "coordinator"},
    # Facilitators: who opened it (here the member) and coordinators who vote in the assembly.
    "deliberation.moderate": {"member", "coordinator"},
    "deliberation.start_proposal": {"member", "coordinator"},
}


def test_every_permission_is_in_the_matrix() -> None:
    assert set(EXPECTED) == set(PERMISSIONS)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(people: Any, community: Any, role: str) -> None:
    deliberation = make_deliberation(community, by=membership_of(people["member"], community))
    for perm, allowed in EXPECTED.items():
        obj = community if perm == "deliberation.open" else deliberation
        assert people[role].has_perm(perm, obj) == (role in allowed), perm


def test_another_member_does_not_facilitate_and_nobody_takes_part_once_closed(
    people: Any, community: Any
) -> None:
    from dualpower.deliberation import services
    from dualpower.members.tests.factories import make_membership

    opener = make_membership(community, name="Opener")
    deliberation = make_deliberation(community, by=opener)
    assert not people["member"].has_perm("deliberation.moderate", deliberation)
    assert people["member"].has_perm("deliberation.take_part", deliberation)
    services.deliberation_close(deliberation=deliberation, by=opener)
    deliberation.refresh_from_db()
    assert not people["member"].has_perm("deliberation.take_part", deliberation)
    assert people["member"].has_perm("deliberation.view", deliberation)
