"""Every mandates permission swept over every role (mandates/rules.py), plus the conveners of the
group that sends delegates, who draft mandates for their own group's assembly only."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.groups.tests.factories import GroupMembershipFactory
from dualpower.mandates.rules import PERMISSIONS
from dualpower.mandates.tests.factories import World
from dualpower.members.tests.factories import ROLES, membership_of

pytestmark = pytest.mark.django_db

ADMITTED = {"observer", "member", "coordinator"}
# perm -> (the object it is checked on, the roles allowed)
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "mandates.view_delegates": ("community", ADMITTED),
    "mandates.view_mandates": ("community", ADMITTED),
    # For a working group's assembly: coordinators, and the group's conveners (below).
    "mandates.draft_mandate": ("housing", {"coordinator"}),
}


def test_every_permission_has_a_row() -> None:
    assert set(PERMISSIONS) == set(EXPECTED)


def _target(world: World, name: str) -> Any:
    return world.community if name == "community" else getattr(world, name)


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(world: World, people: dict[str, Any], role: str) -> None:
    got = {perm: people[role].has_perm(perm, _target(world, EXPECTED[perm][0])) for perm in PERMISSIONS}
    assert got == {perm: role in EXPECTED[perm][1] for perm in PERMISSIONS}


def test_a_convener_drafts_mandates_for_the_own_groups_assembly_only(
    world: World, people: dict[str, Any]
) -> None:
    group = world.housing.working_group
    assert group is not None
    GroupMembershipFactory.create(
        group=group, membership=membership_of(people["member"], world.community), convener=True
    )
    member = people["member"]
    assert member.has_perm("mandates.draft_mandate", world.housing)
    assert not member.has_perm("mandates.draft_mandate", world.general)
    assert not member.has_perm("mandates.draft_mandate", world.council)
