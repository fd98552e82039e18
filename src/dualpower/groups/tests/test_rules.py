"""Who may do what with working groups: every role against every permission."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.groups.rules import PERMISSIONS
from dualpower.groups.tests.factories import food, put_in_group
from dualpower.members.tests.factories import ROLES, membership_of

pytestmark = pytest.mark.django_db

READERS = {"observer", "member", "coordinator"}
JOINERS = {"member", "coordinator"}
# Who may do each thing to a group they are not in (nobody convenes it yet).
EXPECTED: dict[str, set[str]] = {
    "groups.list_groups": READERS,
    "groups.view_group": READERS,
    "groups.list_members": READERS,
    "groups.add_group": {"coordinator"},
    "groups.change_group": {"coordinator"},
    "groups.delete_group": {"coordinator"},
    "groups.join_group": JOINERS,
    "groups.leave_group": set(),
    "groups.decide_requests": {"coordinator"},
    "groups.set_convener": {"coordinator"},
    "groups.remove_member": {"coordinator"},
}
ON_COMMUNITY = {"groups.list_groups", "groups.add_group"}


def test_every_permission_of_the_app_is_in_the_matrix() -> None:
    assert set(EXPECTED) == set(PERMISSIONS)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(people: dict[str, Any], community: Any, role: str, perm: str) -> None:
    obj = community if perm in ON_COMMUNITY else food(community)
    assert people[role].has_perm(perm, obj) is (role in EXPECTED[perm])


@pytest.mark.parametrize("role", ROLES)
def test_nobody_runs_another_communitys_group(
    people: dict[str, Any], other_community: Any, role: str
) -> None:
    group = food(other_community)
    allowed = {perm for perm in PERMISSIONS if people[role].has_perm(perm, group)}
    # The outsider is a plain member over there: they read and join, nothing more.
    reads = {"groups.list_groups", "groups.view_group", "groups.list_members", "groups.join_group"}
    expected = reads if role == "outsider" else set()
    assert allowed == expected


CONVENER_MAY = {
    "groups.view_group",
    "groups.list_members",
    "groups.change_group",
    "groups.join_group",
    "groups.leave_group",
    "groups.decide_requests",
    "groups.set_convener",
    "groups.remove_member",
}


def test_a_convener_runs_their_group_but_cannot_delete_it(people: dict[str, Any], community: Any) -> None:
    group = food(community)
    put_in_group(group, membership_of(people["member"], community), convener=True)
    allowed = {
        perm for perm in PERMISSIONS if perm not in ON_COMMUNITY and people["member"].has_perm(perm, group)
    }
    assert allowed == CONVENER_MAY


def test_a_convener_of_one_group_does_not_run_another(people: dict[str, Any], community: Any) -> None:
    put_in_group(food(community), membership_of(people["member"], community), convener=True)
    from dualpower.groups.models import WorkingGroup

    housing = WorkingGroup.objects.get(community=community, slug="housing")
    assert not people["member"].has_perm("groups.decide_requests", housing)


@pytest.mark.parametrize("pending", [False, True])
def test_someone_in_a_group_or_asking_to_join_may_leave_it(
    people: dict[str, Any], community: Any, pending: bool
) -> None:
    put_in_group(food(community), membership_of(people["member"], community), pending=pending)
    assert people["member"].has_perm("groups.leave_group", food(community))
    assert not people["member"].has_perm("groups.decide_requests", food(community))
