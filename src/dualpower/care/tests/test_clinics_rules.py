"""Who may do what with clinic days, the directory, the warm line and crisis calls: every role
(the shared ROLES and the clinics' own: a volunteer on the day's shift, a credentialed nurse off
it, a peer supporter, the health group's convener, an aid dispatcher, the crisis pair) against
every permission."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.care.rules import CLINIC_PERMISSIONS
from dualpower.care.tests.factories_clinics import CLINIC_ROLES, ClinicWorld, make_clinic_world
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db

ALL_ROLES = (*ROLES, *CLINIC_ROLES)
ADMITTED = {"observer", "member", "coordinator", *CLINIC_ROLES}
HEALTH = {"coordinator", "health_coordinator"}
SENDS_PAIRS = {*HEALTH, "dispatcher", "medic", "crisis_peer"}
EXPECTED: dict[str, set[str]] = {
    "care.view_clinics": ADMITTED,
    "care.plan_clinic": HEALTH,
    "care.run_clinic": {*HEALTH, "volunteer"},
    "care.view_referrals": ADMITTED,
    "care.manage_referrals": HEALTH,
    "care.view_warm_line": ADMITTED,
    "care.log_call": {*HEALTH, "peer", "crisis_peer"},
    "care.set_rota": HEALTH,
    "care.view_crisis": SENDS_PAIRS,
    "care.dispatch_crisis": SENDS_PAIRS,
    "care.view_crisis_call": SENDS_PAIRS,
    "care.respond_crisis": {"medic", "crisis_peer"},
    "care.view_supplies": ADMITTED,
}


@pytest.fixture
def clinic_world(community: Any, people: dict[str, Any]) -> ClinicWorld:
    return make_clinic_world(community, people)


def test_every_permission_has_a_row() -> None:
    assert set(EXPECTED) == set(CLINIC_PERMISSIONS)


def _object(world: ClinicWorld, perm: str) -> object:
    if perm == "care.run_clinic":
        return world.day
    if perm in ("care.view_crisis_call", "care.respond_crisis"):
        return world.call
    return world.community


@pytest.mark.parametrize("role", ALL_ROLES)
def test_role_matrix(clinic_world: ClinicWorld, role: str) -> None:
    user = clinic_world.users[role]
    allowed = {perm for perm in EXPECTED if user.has_perm(perm, _object(clinic_world, perm))}
    assert allowed == {perm for perm, roles in EXPECTED.items() if role in roles}


def test_a_credential_without_the_days_shift_does_not_run_the_queue(clinic_world: ClinicWorld) -> None:
    assert clinic_world.users["volunteer"].has_perm("care.run_clinic", clinic_world.day)
    assert not clinic_world.users["credentialed"].has_perm("care.run_clinic", clinic_world.day)
