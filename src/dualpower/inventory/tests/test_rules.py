"""Who may do what with the inventory: every role against every permission."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.inventory.rules import PERMISSIONS
from dualpower.inventory.tests.conftest import ROLES

pytestmark = pytest.mark.django_db

READERS = {"observer", "member", "organiser", "coordinator"}
KEEPERS = {"organiser", "coordinator"}
EXPECTED = {
    "inventory.view_inventory": READERS,
    "inventory.add_item": KEEPERS,
    "inventory.change_item": KEEPERS,
    "inventory.move_stock": KEEPERS,
}


def test_every_permission_of_the_app_is_in_the_matrix() -> None:
    assert set(EXPECTED) == set(PERMISSIONS)


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(
    everyone: dict[str, Any], community: Any, series: Any, role: str, perm: str
) -> None:
    assert everyone[role].has_perm(perm, community) is (role in EXPECTED[perm])


def test_an_organiser_of_a_stopped_activity_no_longer_keeps_stock(
    everyone: Any, community: Any, series: Any
) -> None:
    from dualpower.activities.services import series_stop

    series_stop(series=series, by=None)
    assert not everyone["organiser"].has_perm("inventory.move_stock", community)


def test_a_dispatcher_keeps_stock(everyone: Any, community: Any) -> None:
    from dualpower.aid.models import DispatcherRole
    from dualpower.members.models import Membership

    member = Membership.objects.get(user=everyone["member"], community=community)
    DispatcherRole.objects.create(community=community, membership=member)
    assert everyone["member"].has_perm("inventory.move_stock", community)
