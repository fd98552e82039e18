"""Changing and removing what the food app keeps (sites, plots, crops, plantings, seed lots, share
cycles, pickup points): the keepers change them from a page; something with a history (logs,
loans, shares) is never removed, and the page says why; nobody else opens these pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dualpower.food.models.growing import Crop, Log, Planting, Plot, SeedLot, Site
from dualpower.food.models.plate import PickupPoint, ShareCycle
from dualpower.food.services import growing as services
from dualpower.food.tests.factories_growing import (
    make_crop,
    make_harvest,
    make_planting,
    make_plot,
    make_site,
)
from dualpower.food.tests.factories_plate import cycle, in_food_group, point_of, share, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def keeper(community: Any) -> Any:
    client = Client()
    sign_in(client, in_food_group(community))
    return client


@pytest.fixture
def world(community: Any) -> dict[str, Any]:
    site = make_site(community, "Freedom Garden")
    plot = make_plot(site, name="Bed 1", area="40")
    crop = make_crop(community, "Tomato", days=75, rate="2")
    planting = make_planting(plot, crop, seeded=dt.date(2026, 4, 1), area="10")
    lot = services.seed_lot_create(community=community, variety="Roma", quantity="50", by=None)
    found = cycle(community, status=ShareCycle.Status.PLANNING)
    return {"site": site, "plot": plot, "crop": crop, "planting": planting, "lot": lot, "cycle": found}


def _paths(community: Any, w: dict[str, Any]) -> dict[str, str]:
    base = f"/c/{community.slug}/food/"
    return {
        "site": f"{base}gardens/sites/{w['site'].pk}/",
        "plot": f"{base}gardens/plots/{w['plot'].pk}/",
        "crop": f"{base}gardens/crops/{w['crop'].pk}/",
        "planting": f"{base}gardens/plantings/{w['planting'].pk}/",
        "lot": f"{base}gardens/seeds/{w['lot'].pk}/",
        "cycle": f"{base}shares/{w['cycle'].pk}/",
        "point": f"{base}shares/pickup-points/{point_of(w['cycle']).pk}/",
    }


def _message(response: Any) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_the_keepers_change_each_thing_from_its_page(
    keeper: Any, client_for: Any, community: Any, world: dict[str, Any]
) -> None:
    paths = _paths(community, world)
    member = client_for("member")
    for path in paths.values():
        assert member.get(path + "edit/").status_code == 403
    assert member.post(paths["crop"] + "remove/").status_code == 403
    posts = {
        "site": {"name": "Freedom Farm", "place": "Elm St"},
        "plot": {"name": "Bed A", "area_m2": "30", "season": "2026"},
        "crop": {"name": "Tomatoes", "family": "Nightshades", "days_to_maturity": "70", "unit": "kg"},
        "planting": {"seeding_date": "2026-04-11", "area_m2": "5", "harvest_weeks": "3"},
        "lot": {"variety": "Roma VF", "quantity": "45", "germination_rate": "90"},
        "cycle": {"name": "Autumn shares", "starts_on": "2026-09-07", "ends_on": "2026-11-30"},
        "point": {"name": "Library", "weekday": "5", "hours": "10-12"},
    }
    for key, data in posts.items():
        response = keeper.post(paths[key] + "edit/", data)
        assert response.status_code == 302, (key, response.content.decode()[:2000])
    assert Site.objects.get().name == "Freedom Farm"
    assert (Plot.objects.get().name, Plot.objects.get().area_m2) == ("Bed A", Decimal(30))
    assert Crop.objects.get().days_to_maturity == 70
    planting = Planting.objects.get()
    # Forecast again: 5 m² at 2 kg, ready 70 days after 11 April; the seeding log moved with it.
    assert (planting.expected_harvest, planting.expected_quantity) == (dt.date(2026, 6, 20), Decimal(10))
    assert Log.objects.get(planting=planting, kind="seeding").at.date() == dt.date(2026, 4, 11)
    assert (SeedLot.objects.get().variety, SeedLot.objects.get().quantity) == ("Roma VF", Decimal(45))
    assert ShareCycle.objects.get().name == "Autumn shares"
    assert PickupPoint.objects.get().weekday == 5
    bad = keeper.post(paths["plot"] + "edit/", {"name": "Bed A", "area_m2": "-3"})
    assert bad.status_code == 400 and "cannot be negative" in bad.content.decode()


def test_what_has_a_history_is_not_removed(
    keeper: Any, community: Any, people: dict[str, Any], world: dict[str, Any]
) -> None:
    paths = _paths(community, world)
    gardener = in_food_group(community)
    make_harvest(world["planting"], "3", gardener)
    services.seed_lend(lot=world["lot"], borrower=gardener, quantity="5", by=None)
    share(world["cycle"])
    refusals = {
        "site": "has plots",
        "plot": "has logs",
        "crop": "planted, logged or shared",
        "planting": "has logs",
        "lot": "was lent",
        "cycle": "has shares",
        "point": "Shares pick up here",
    }
    for key, words in refusals.items():
        response = keeper.post(paths[key] + "remove/", follow=True)
        assert words in _message(response), key
    assert Site.objects.exists() and Plot.objects.exists() and Crop.objects.exists()
    assert Planting.objects.exists() and SeedLot.objects.exists() and PickupPoint.objects.exists()
    # The crop's unit stays once harvests were counted in it.
    changed = keeper.post(paths["crop"] + "edit/", {"name": "Tomato", "days_to_maturity": "75", "unit": "g"})
    assert changed.status_code == 400 and "its unit stays" in changed.content.decode()


def test_what_was_added_by_mistake_is_removed(keeper: Any, community: Any, world: dict[str, Any]) -> None:
    paths = _paths(community, world)
    for key in ("planting", "plot", "site", "crop", "lot", "point", "cycle"):
        assert keeper.post(paths[key] + "remove/").status_code == 302, key
    assert not Site.objects.exists() and not Crop.objects.exists() and not Log.objects.exists()
    assert not SeedLot.objects.exists() and not ShareCycle.objects.exists()


def test_the_edit_pages_cost_the_same_whatever_the_community_holds(
    keeper: Any, community: Any, world: dict[str, Any]
) -> None:
    def counts() -> dict[str, int]:
        found = {}
        for key, path in _paths(community, world).items():
            with CaptureQueriesContext(connection) as captured:
                assert keeper.get(path + "edit/").status_code == 200
            found[key] = len(captured.captured_queries)
        return found

    few = counts()
    for i in range(6):
        make_crop(community, f"Crop {i}")
        make_plot(world["site"], name=f"Bed {i + 10}")
    assert counts() == few
    assert max(few.values()) <= 25
