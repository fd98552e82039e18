"""The gardens in the API: lists for admitted people, a one-tap harvest by the plot's people, bad
quantities refused with a sentence (400, never 500), and the forecast by crop and week."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dualpower.food.models.growing import Log
from dualpower.food.services import growing as services
from dualpower.food.tests.factories_growing import make_crop, make_planting, make_plot, make_site, member

pytestmark = pytest.mark.django_db


def api(community: Any, path: str) -> str:
    return f"/api/v1/communities/{community.slug}/food/gardens/{path}"


@pytest.fixture
def planting(community: Any, people: dict[str, Any]) -> Any:
    plot = make_plot(make_site(community), steward=member(people, "member", community))
    return make_planting(
        plot, make_crop(community, "Tomato", rate="2"), seeded=dt.date.today() - dt.timedelta(days=60)
    )


@pytest.mark.parametrize("path", ["sites", "plots", "crops", "plantings", "logs", "forecast"])
@pytest.mark.parametrize(("role", "status"), [("member", 200), ("observer", 200), ("outsider", 403)])
def test_lists(client_for: Any, community: Any, planting: Any, path: str, role: str, status: int) -> None:
    assert client_for(role).get(api(community, path)).status_code == status


def test_the_steward_harvests_through_the_api(client_for: Any, community: Any, planting: Any) -> None:
    response = client_for("member").post(
        api(community, f"plantings/{planting.pk}/harvests"),
        {"quantity": "4.25", "lot": "A1"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["quantity"] in ("4.25", "4.250", 4.25)
    assert Log.objects.get(kind="harvest").lot == "A1"


def test_a_bad_quantity_is_a_400_with_a_sentence(client_for: Any, community: Any, planting: Any) -> None:
    response = client_for("member").post(
        api(community, f"plantings/{planting.pk}/harvests"),
        {"quantity": "-1"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "cannot be negative" in response.json()["detail"]


def test_an_observer_cannot_harvest(client_for: Any, community: Any, planting: Any) -> None:
    response = client_for("observer").post(
        api(community, f"plantings/{planting.pk}/harvests"),
        {"quantity": "1"},
        content_type="application/json",
    )
    assert response.status_code == 403


def test_the_forecast_shows_shortfalls(client_for: Any, community: Any, planting: Any) -> None:
    services.crop_set_numbers(crop=planting.crop, yield_per_m2="2", weekly_need="1000", by=None)
    rows = client_for("member").get(api(community, "forecast?weeks=2")).json()
    assert len(rows) == 2
    assert all(r["short"] and Decimal(str(r["needed"])) == 1000 for r in rows)
