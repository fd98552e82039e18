"""Every co-op permission swept over every role: a new action without a rule shows up here."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.coops.models import Cooperative
from dualpower.coops.rules import PERMISSIONS
from dualpower.coops.tests.conftest import COOP_ROLES

pytestmark = pytest.mark.django_db

READERS = {"observer", "member", "coordinator", "coop_member", "coop_board"}
COOP_MEMBERS = {"coop_member", "coop_board"}
ALLOWED: dict[str, set[str]] = {
    "coops.list_coops": READERS,
    "coops.view_coop": READERS,
    "coops.add_coop": {"coordinator"},
    "coops.change_coop": {"coordinator", "coop_board"},
    # Community members who are not in the co-op yet; observers follow but do not join.
    "coops.join_coop": {"member", "coordinator"},
    "coops.leave_coop": COOP_MEMBERS,
    "coops.decide_requests": {"coop_board"},
    "coops.set_board": {"coordinator", "coop_board"},
    "coops.view_capital": COOP_MEMBERS,
    "coops.propose_operation": COOP_MEMBERS,
    "coops.decide_operation": {"coop_board"},
    "coops.view_patronage": COOP_MEMBERS,
    "coops.propose_patronage": {"coop_board"},
    "coops.adopt_patronage": {"coop_board"},
}


def test_every_permission_has_a_row_in_the_matrix() -> None:
    assert set(PERMISSIONS) == set(ALLOWED)


@pytest.mark.parametrize("role", COOP_ROLES)
def test_role_matrix(coop: Cooperative, coop_people: dict[str, Any], role: str) -> None:
    # One test per role (the fixtures are the slow part); every permission checked for it.
    got = {}
    for perm in PERMISSIONS:
        obj: Any = coop.community if perm in {"coops.list_coops", "coops.add_coop"} else coop
        got[perm] = coop_people[role].has_perm(perm, obj)
    assert got == {perm: role in ALLOWED[perm] for perm in PERMISSIONS}
