"""Every permission of food distribution swept over every role, with two roles of its own: a
member of the food working group, and a member holding a share."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.food.rules import PLATE_PERMISSIONS
from dualpower.food.tests import factories_plate as f
from dualpower.members.models import Membership
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db

PLATE_ROLES = (*ROLES, "food_group", "holder")
ADMITTED = {"observer", "member", "coordinator", "food_group", "holder"}
MEMBERS = {"member", "coordinator", "food_group", "holder"}
ALLOWED: dict[str, set[str]] = {
    "food.view_plate": ADMITTED,
    "food.allocate": {"coordinator", "food_group"},
    "food.manage_shares": {"coordinator", "food_group"},
    "food.join_share": MEMBERS,
    "food.view_share": {"coordinator", "food_group", "holder"},
    "food.pledge": {"holder"},
}


def test_every_permission_has_a_row_in_the_matrix() -> None:
    assert set(PLATE_PERMISSIONS) == set(ALLOWED)


@pytest.mark.parametrize("role", PLATE_ROLES)
def test_role_matrix(community: Any, people: dict[str, Any], role: str) -> None:
    from dualpower.members.tests.factories import MembershipFactory

    group_member = f.in_food_group(community)
    holder = MembershipFactory.create(community=community, role=Membership.Role.MEMBER, display_name="Hal")
    users = {**people, "food_group": group_member.user, "holder": holder.user}
    found = f.cycle(community)
    share = f.share(found, holder=holder)
    objects = {"food.view_share": share, "food.pledge": share}
    user = users[role]
    got = {perm: user.has_perm(perm, objects.get(perm, community)) for perm in PLATE_PERMISSIONS}
    assert got == {perm: role in ALLOWED[perm] for perm in PLATE_PERMISSIONS}
