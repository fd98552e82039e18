"""Land trust fixtures: the community's roles plus a household holding a lease."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.land.models import Home
from dualpower.land.tests.factories import GroundLeaseFactory, HomeFactory
from dualpower.members.tests.factories import ROLES, make_membership

LAND_ROLES = (*ROLES, "leaseholder")


@pytest.fixture
def land_people(people: dict[str, Any], community: Any) -> dict[str, Any]:
    return {**people, "leaseholder": make_membership(community, name="Lena").user}


@pytest.fixture
def leased_home(land_people: dict[str, Any], community: Any) -> Home:
    home = HomeFactory.create(community=community, label="Elm Row 1", min_household=1, max_household=4)
    GroundLeaseFactory.create(
        home=home, leaseholder=land_people["leaseholder"].memberships.get(community=community)
    )
    home.refresh_from_db()
    return home


@pytest.fixture
def vacant_home(community: Any) -> Home:
    return HomeFactory.create(community=community, label="Oak Court 2", min_household=2, max_household=4)


@pytest.fixture
def land_client(client: Any, land_people: dict[str, Any]) -> Any:
    def make(role: str) -> Any:
        client.logout()
        if role != "anonymous":
            client.force_login(land_people[role])
        return client

    return make
