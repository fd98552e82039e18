"""The gardens' pages: each opens for who may see it, the one-tap harvest works from a phone form,
bad input comes back with a sentence, and no list page grows its queries with its rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.food.models.growing import FoodSeries, Log
from dualpower.food.services import growing as services
from dualpower.food.tests.factories_growing import (
    make_crop,
    make_harvest,
    make_planting,
    make_plot,
    make_site,
    member,
)
from dualpower.web.pages import PER_PAGE

pytestmark = pytest.mark.django_db

PAGES = ("gardens/", "gardens/plan/", "gardens/crops/", "gardens/logs/", "gardens/rounds/", "gardens/seeds/")


def url(community: Any, path: str) -> str:
    return f"/c/{community.slug}/food/{path}"


@pytest.fixture
def garden(community: Any, people: dict[str, Any]) -> dict[str, Any]:
    steward = member(people, "member", community)
    plot = make_plot(make_site(community, "Freedom Garden"), name="Bed 1", steward=steward)
    crop = make_crop(community, "Tomato", days=75, rate="3.5")
    planting = make_planting(plot, crop, seeded=dt.date.today() - dt.timedelta(days=80), weeks=3)
    return {"plot": plot, "crop": crop, "planting": planting, "steward": steward}


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("role", "status"), [("member", 200), ("observer", 200), ("outsider", 403)])
def test_the_pages_open_for_admitted_people(
    client_for: Any, community: Any, garden: dict[str, Any], path: str, role: str, status: int
) -> None:
    assert client_for(role).get(url(community, path)).status_code == status


def test_anonymous_visitors_are_sent_to_sign_in(client_for: Any, community: Any) -> None:
    response = client_for("anonymous").get(url(community, "gardens/"))
    assert response.status_code in (302, 403)


def test_the_steward_logs_a_harvest_with_one_tap(
    client_for: Any, community: Any, garden: dict[str, Any]
) -> None:
    client = client_for("member")
    page = client.get(url(community, "gardens/")).content.decode()
    assert "Log harvest" in page  # the steward's plot is on their gardens page, ready to log
    planting = garden["planting"]
    response = client.post(
        url(community, f"gardens/plantings/{planting.pk}/harvest/"), {"quantity": "3.5", "back": "home"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/food/gardens/")
    log = Log.objects.get(kind=Log.Kind.HARVEST)
    assert (log.quantity, log.by_id) == (Decimal("3.500"), garden["steward"].pk)


def test_a_bad_harvest_quantity_is_answered_with_a_sentence(
    client_for: Any, community: Any, garden: dict[str, Any]
) -> None:
    client = client_for("member")
    planting = garden["planting"]
    response = client.post(
        url(community, f"gardens/plantings/{planting.pk}/harvest/"), {"quantity": "lots"}, follow=True
    )
    assert "must be written as a number" in response.content.decode()
    assert not Log.objects.filter(kind=Log.Kind.HARVEST).exists()


def test_someone_not_on_the_plot_cannot_log_its_harvest(
    client_for: Any, community: Any, garden: dict[str, Any]
) -> None:
    planting = garden["planting"]
    response = client_for("observer").post(
        url(community, f"gardens/plantings/{planting.pk}/harvest/"), {"quantity": "1"}
    )
    assert response.status_code == 403
    assert not Log.objects.filter(kind=Log.Kind.HARVEST).exists()


def test_a_coordinator_plans_a_planting_and_sees_the_forecast(
    client_for: Any, community: Any, garden: dict[str, Any]
) -> None:
    client = client_for("coordinator")
    response = client.post(
        url(community, "gardens/plan/new/"),
        {
            "plot": garden["plot"].pk,
            "crop": garden["crop"].pk,
            "seeding_date": "2026-04-01",
            "area_m2": "10",
            "harvest_weeks": "2",
        },
    )
    assert response.status_code == 302
    assert (
        garden["plot"]
        .plantings.filter(expected_harvest=dt.date(2026, 6, 15), expected_quantity=Decimal(35))
        .exists()
    )


def test_a_member_cannot_plan(client_for: Any, community: Any, garden: dict[str, Any]) -> None:
    assert client_for("member").get(url(community, "gardens/plan/new/")).status_code == 403


def test_the_plan_warns_when_the_need_is_not_met(
    client_for: Any, community: Any, garden: dict[str, Any]
) -> None:
    services.crop_set_numbers(crop=garden["crop"], yield_per_m2="3.5", weekly_need="500", by=None)
    page = client_for("member").get(url(community, "gardens/plan/")).content.decode()
    assert "The plan expects less than is needed of 1 crop" in page
    assert "<svg" in page and "expected and needed by week" in page


def test_a_member_takes_seed_and_brings_back_saved_seed(
    client_for: Any, community: Any, people: dict[str, Any]
) -> None:
    lot = services.seed_lot_create(community=community, variety="Lacinato", quantity="10", by=None)
    client = client_for("member")
    assert client.post(url(community, f"gardens/seeds/{lot.pk}/take/"), {"quantity": "2"}).status_code == 302
    loan = lot.loans.get()
    response = client.post(
        url(community, f"gardens/loans/{loan.pk}/return/"), {"quantity": "30", "germination_rate": "80"}
    )
    assert response.status_code == 302
    loan.refresh_from_db()
    assert loan.returned_lot is not None and loan.returned_lot.quantity == Decimal(30)


def test_a_member_logs_a_rescue_pickup(client_for: Any, community: Any, people: dict[str, Any]) -> None:
    link = services.food_series_create(
        community=community,
        kind=FoodSeries.Kind.RESCUE,
        by=member(people, "coordinator", community),
        title="Bakery pickup",
        starts_on=dt.date.today() + dt.timedelta(days=1),
        start_time=dt.time(18),
        shifts=[("Rider", 2)],
        source="Old Market bakery",
    )
    client = client_for("member")
    assert (
        client.post(
            url(community, f"gardens/rounds/{link.pk}/rescued/"), {"quantity": "12,5"}, follow=True
        ).status_code
        == 200
    )
    assert not Log.objects.filter(kind=Log.Kind.RESCUE).exists()  # "12,5" is not English
    client.post(url(community, f"gardens/rounds/{link.pk}/rescued/"), {"quantity": "12.5"})
    assert Log.objects.get(kind=Log.Kind.RESCUE).quantity == Decimal("12.5")
    assert "12.5 kg" in client.get(url(community, "gardens/rounds/")).content.decode()


def _grow(community: Any, garden: dict[str, Any], people: dict[str, Any], n: int) -> None:
    site = make_site(community)
    steward = garden["steward"]
    for i in range(n):
        crop = make_crop(community)
        plot = make_plot(site, steward=steward, gardeners=(member(people, "coordinator", community),))
        planting = make_planting(plot, crop, seeded=dt.date.today() - dt.timedelta(days=70 + i))
        make_harvest(planting, "1.5", steward)
        services.crop_set_numbers(crop=crop, yield_per_m2="2", weekly_need="100", by=None)
        lot = services.seed_lot_create(
            community=community, variety=f"V{i}", quantity="10", crop=crop, by=None
        )
        services.seed_lend(lot=lot, borrower=steward, quantity="1", by=steward)
        services.food_series_create(
            community=community,
            kind=FoodSeries.Kind.RESCUE,
            by=member(people, "coordinator", community),
            title=f"Pickup {i}",
            starts_on=dt.date.today() + dt.timedelta(days=1),
            start_time=dt.time(18),
            shifts=[("Rider", 2)],
            source="Bakery",
        )


def _queries(client: Any, path: str) -> int:
    client.get(path)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["member", "coordinator"])
def test_the_list_pages_cost_the_same_with_3_or_30_rows(
    client_for: Any, community: Any, garden: dict[str, Any], people: dict[str, Any], role: str
) -> None:
    client = client_for(role)
    _grow(community, garden, people, 3)
    few = {path: _queries(client, url(community, path)) for path in PAGES}
    _grow(community, garden, people, 27)
    many = {path: _queries(client, url(community, path)) for path in PAGES}
    assert many == few


def test_a_keeper_marks_a_pending_log_done(client_for: Any, community: Any, garden: dict[str, Any]) -> None:
    seeding = Log.objects.get(planting=garden["planting"], kind=Log.Kind.SEEDING)
    client = client_for("coordinator")
    assert "Mark done" in client.get(url(community, "gardens/logs/")).content.decode()
    assert (
        client.post(url(community, f"gardens/logs/{seeding.pk}/status/"), {"status": "done"}).status_code
        == 302
    )
    seeding.refresh_from_db()
    assert seeding.status == Log.Status.DONE
    assert client_for("outsider").post(
        url(community, f"gardens/logs/{seeding.pk}/status/"), {"status": "abandoned"}
    ).status_code in (403, 404)


def test_the_long_lists_show_a_page_at_a_time(
    client_for: Any, community: Any, garden: dict[str, Any]
) -> None:
    # Every list pages as every list does (web.pages; in full in tests/test_list_pages.py).
    for _ in range(PER_PAGE):
        make_planting(garden["plot"], garden["crop"], seeded=dt.date.today())
    for k in range(PER_PAGE + 1):
        services.seed_lot_create(community=community, variety=f"Variety {k:02}", quantity="5", by=None)
    client = client_for("member")
    page = client.get(url(community, "gardens/seeds/")).content.decode()
    last = f"Variety {PER_PAGE:02}"
    assert "Variety 00" in page and last not in page and '<a href="?page=2" rel="next">' in page
    assert last in client.get(url(community, "gardens/seeds/") + "?page=2").content.decode()
    plan = client.get(url(community, "gardens/plan/")).content.decode()
    assert '<a href="?page=2#plantings-heading" rel="next">' in plan
