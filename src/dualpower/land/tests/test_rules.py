"""Every land trust permission swept over every role."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.land import services
from dualpower.land.models import Home
from dualpower.land.rules import PERMISSIONS
from dualpower.land.tests.conftest import LAND_ROLES

pytestmark = pytest.mark.django_db

READERS = {"observer", "member", "coordinator", "leaseholder"}
ALLOWED: dict[str, set[str]] = {
    "land.view_homes": READERS,
    "land.manage": {"coordinator"},
    "land.view_address": {"coordinator", "leaseholder"},
    "land.view_lease": {"coordinator", "leaseholder"},
    "land.view_notes": {"coordinator", "leaseholder"},
    "land.add_note": {"coordinator", "leaseholder"},
    "land.view_waitlist": READERS,
    "land.apply_waitlist": {"member", "coordinator", "leaseholder"},
    "land.list_applications": {"coordinator"},
    "land.view_application": {"coordinator", "member"},  # the member's own application
    "land.withdraw_application": {"coordinator", "member"},
    "land.view_allocations": READERS,
    "land.adopt_allocation": set(),  # until the trust's settings allow coordinators
}


def test_every_permission_has_a_row_in_the_matrix() -> None:
    assert set(PERMISSIONS) == set(ALLOWED)


@pytest.mark.parametrize("role", LAND_ROLES)
def test_role_matrix(
    leased_home: Home, vacant_home: Home, land_people: dict[str, Any], community: Any, role: str
) -> None:
    member = land_people["member"].memberships.get(community=community)
    application = services.waitlist_apply(community=community, membership=member, household_size=2)
    coordinator = land_people["coordinator"].memberships.get(community=community)
    allocation = services.allocation_announce(home=vacant_home, seed="s", by=coordinator)
    objects = {
        "land.view_address": leased_home,
        "land.view_lease": leased_home.leases.get(),
        "land.view_notes": leased_home,
        "land.add_note": leased_home,
        "land.view_application": application,
        "land.withdraw_application": application,
        "land.adopt_allocation": allocation,
    }
    user = land_people[role]
    got = {perm: user.has_perm(perm, objects.get(perm, community)) for perm in PERMISSIONS}
    assert got == {perm: role in ALLOWED[perm] for perm in PERMISSIONS}


def test_coordinators_adopt_when_the_trust_allows_it(
    vacant_home: Home, land_people: Any, community: Any
) -> None:
    from dualpower.land.services import trust_settings_update

    coordinator = land_people["coordinator"].memberships.get(community=community)
    allocation = services.allocation_announce(home=vacant_home, seed="s", by=coordinator)
    trust_settings_update(community=community, by=coordinator, coordinators_may_allocate=True)
    assert land_people["coordinator"].has_perm("land.adopt_allocation", allocation)
    assert not land_people["member"].has_perm("land.adopt_allocation", allocation)
