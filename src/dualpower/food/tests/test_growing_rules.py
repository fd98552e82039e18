"""Every gardens permission swept over every role: the shared ROLES, plus the steward of a plot,
a member of the food working group, and the borrower of seed."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.food.rules import GROWING_PERMISSIONS
from dualpower.food.services import growing as services
from dualpower.food.tests.factories_growing import make_crop, make_planting, make_plot, make_site
from dualpower.groups.selectors import group_get
from dualpower.groups.services import group_join
from dualpower.members.tests.factories import ROLES, make_membership, membership_of

pytestmark = pytest.mark.django_db

GROWING_ROLES = (*ROLES, "steward", "food_group", "borrower")
READERS = {"observer", "member", "coordinator", "steward", "food_group", "borrower"}
MEMBERS = {"member", "coordinator", "steward", "food_group", "borrower"}
KEEPERS = {"coordinator", "food_group"}
ALLOWED: dict[str, set[str]] = {
    "food.view_gardens": READERS,
    "food.manage_gardens": KEEPERS,
    "food.log_plot": {*KEEPERS, "steward"},  # on the steward's plot
    "food.log_rescue": MEMBERS,
    "food.import_logs": KEEPERS,
    "food.borrow_seed": MEMBERS,
    "food.manage_seeds": KEEPERS,
    "food.return_seed": {*KEEPERS, "borrower"},  # the borrower's own loan
}


def test_every_permission_has_a_row_in_the_matrix() -> None:
    assert set(GROWING_PERMISSIONS) == set(ALLOWED)


@pytest.fixture
def growing_people(people: dict[str, Any], community: Any) -> dict[str, Any]:
    food_group = make_membership(community, name="Fatima")
    group = group_get(community=community, slug="food")
    group_join(group=group, membership=food_group)
    return {
        **people,
        "steward": make_membership(community, name="Sol").user,
        "food_group": food_group.user,
        "borrower": make_membership(community, name="Bea").user,
    }


@pytest.mark.parametrize("role", GROWING_ROLES)
def test_role_matrix(growing_people: dict[str, Any], community: Any, role: str) -> None:
    steward = membership_of(growing_people["steward"], community)
    plot = make_plot(make_site(community), steward=steward)
    planting = make_planting(plot, make_crop(community))
    lot = services.seed_lot_create(community=community, variety="Lacinato", quantity="10", by=None)
    borrower = membership_of(growing_people["borrower"], community)
    loan = services.seed_lend(lot=lot, borrower=borrower, quantity="1", by=borrower)
    objects = {"food.log_plot": planting, "food.return_seed": loan}
    user = growing_people[role]
    got = {perm: user.has_perm(perm, objects.get(perm, community)) for perm in GROWING_PERMISSIONS}
    assert got == {perm: role in ALLOWED[perm] for perm in GROWING_PERMISSIONS}


def test_a_gardener_of_the_plot_logs_on_it_but_not_on_another(
    growing_people: dict[str, Any], community: Any
) -> None:
    gardener = membership_of(growing_people["member"], community)
    site = make_site(community)
    mine = make_plot(site, gardeners=(gardener,))
    other = make_plot(site)
    crop = make_crop(community)
    assert growing_people["member"].has_perm("food.log_plot", make_planting(mine, crop))
    assert growing_people["member"].has_perm("food.log_plot", mine)
    assert not growing_people["member"].has_perm("food.log_plot", make_planting(other, crop))


def test_an_observer_on_a_plot_does_not_log(growing_people: dict[str, Any], community: Any) -> None:
    observer = membership_of(growing_people["observer"], community)
    plot = make_plot(make_site(community), steward=observer)
    assert not growing_people["observer"].has_perm("food.log_plot", plot)
