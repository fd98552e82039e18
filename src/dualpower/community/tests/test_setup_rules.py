"""Who may start a community with the guided set-up: the node's operators only, whatever their
role in a community."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db

Y, N = True, False
# perm → expected for anonymous, applicant, observer, member, coordinator, outsider (none is staff).
MATRIX: dict[str, tuple[bool, ...]] = {
    "ops.set_up_community": (N, N, N, N, N, N),
}


def test_the_matrix_covers_every_ops_permission() -> None:
    import rules

    assert {name for name in rules.permissions.permissions if name.startswith("ops.")} == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(MATRIX))
def test_permission_matrix(perm: str, role: str, people: dict[str, Any]) -> None:
    assert people[role].has_perm(perm) is MATRIX[perm][ROLES.index(role)]


@pytest.mark.parametrize("role", [r for r in ROLES if r != "anonymous"])
def test_a_node_operator_may_start_a_community_whatever_their_role(role: str, people: dict[str, Any]) -> None:
    person = people[role]
    person.is_staff = True
    person.save(update_fields=["is_staff"])
    assert person.has_perm("ops.set_up_community")
    person.is_staff = False
    person.is_superuser = True
    assert person.has_perm("ops.set_up_community")
