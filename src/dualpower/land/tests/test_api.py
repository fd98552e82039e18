"""The land trust API: homes without addresses for most, leases for the few, allocations for all."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dualpower.land.models import Allocation, GroundLease, Home, WaitlistApplication
from dualpower.land.tests.conftest import LAND_ROLES
from dualpower.land.tests.factories import GroundLeaseFactory, HomeFactory, WaitlistApplicationFactory

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/riverside/land"


def _post(client: Any, url: str, data: Any = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


@pytest.mark.parametrize("role", LAND_ROLES)
def test_homes_and_leases_by_role(land_client: Any, leased_home: Home, role: str) -> None:
    client = land_client(role)
    homes = client.get(f"{API}/homes")
    readers = {"observer", "member", "coordinator", "leaseholder"}
    assert homes.status_code == (200 if role in readers else 401 if role == "anonymous" else 403)
    if homes.status_code == 200:
        address = homes.json()[0]["address"]
        assert (address is not None) is (role in {"coordinator", "leaseholder"})
    lease = leased_home.leases.get()
    detail = client.get(f"{API}/leases/{lease.pk}")
    assert detail.status_code == (
        200 if role in {"coordinator", "leaseholder"} else 401 if role == "anonymous" else 403
    )


def test_the_resale_endpoint_uses_the_recorded_formula(land_client: Any, leased_home: Home) -> None:
    lease = leased_home.leases.get()
    body = land_client("leaseholder").get(f"{API}/leases/{lease.pk}/resale?current_appraisal=26000000").json()
    assert body["price"] == 16_500_000 and body["formula"] == "appraisal_based"
    assert sum(line["amount"] for line in body["lines"]) == body["price"]
    wrong = land_client("leaseholder").get(f"{API}/leases/{lease.pk}/resale?resale_year=2030")
    assert wrong.status_code == 400


def test_each_resale_line_carries_its_kind_and_numbers_for_clients(
    land_client: Any, leased_home: Home
) -> None:
    lease = leased_home.leases.get()
    body = land_client("leaseholder").get(f"{API}/leases/{lease.pk}/resale?current_appraisal=26000000").json()
    assert body["lines"] == [
        {
            "kind": "purchase_price",
            "label": "Purchase price",
            "amount": 15_000_000,
            "params": {"purchase_price": 15_000_000},
        },
        {
            "kind": "appreciation_share",
            "label": "25% of the appreciation (260,000.00 − 200,000.00 = 60,000.00)",
            "amount": 1_500_000,
            "params": {
                "share": "0.25",
                "initial_appraisal": 20_000_000,
                "current_appraisal": 26_000_000,
                "change": 6_000_000,
            },
        },
    ]


def test_resale_labels_follow_the_requests_language(land_client: Any, leased_home: Home) -> None:
    lease = leased_home.leases.get()
    body = (
        land_client("leaseholder")
        .get(f"{API}/leases/{lease.pk}/resale?current_appraisal=26000000", HTTP_ACCEPT_LANGUAGE="es")
        .json()
    )
    assert body["lines"][0]["label"] == "Precio de compra"
    assert body["lines"][1]["label"].startswith("25% de la plusvalía (")
    assert body["lines"][1]["params"]["share"] == "0.25"  # data stays language-neutral


def test_an_improvement_line_gives_its_date_and_cost_as_data(
    land_client: Any, community: Any, land_people: Any
) -> None:
    improvement = {
        "description": "Kitchen",
        "cost": 1_200_000,
        "completed": "2021-06-01",
        "useful_life_years": 3,
    }
    lease = GroundLeaseFactory.create(
        home=HomeFactory.create(community=community, label="Ash 3"),
        leaseholder=land_people["leaseholder"].memberships.get(community=community),
        formula="itemized",
        formula_params={
            "purchase_price": 10_000_000,
            "purchase_date": "2020-05-01",
            "improvements": [improvement],
        },
    )
    body = land_client("leaseholder").get(f"{API}/leases/{lease.pk}/resale?resale_date=2023-01-01").json()
    line = body["lines"][1]
    assert line["kind"] == "improvement" and line["amount"] == 800_000
    assert line["params"] == {
        "description": "Kitchen",
        "completed": "2021-06-01",
        "cost": 1_200_000,
        "useful_life_years": 3,
        "remaining_years": 2,
    }
    assert line["label"] == "Kitchen (Tue 1 Jun 2021, 12,000.00, depreciated over 3 years: 2/3 remains)"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"monthly_fee": -1}, 400),
        ({"monthly_fee": 12.5}, 422),
        ({"formula": "vibes"}, 400),
        ({"formula_params": {"purchase_price": 100}}, 400),
        ({"leaseholder": 999999}, 400),
        ({"home": 999999}, 400),
        ({"term_years": 0}, 400),
    ],
)
def test_bad_leases_are_refused_and_nothing_is_written(
    land_client: Any, vacant_home: Home, land_people: Any, community: Any, change: dict[str, Any], status: int
) -> None:
    holder = land_people["member"].memberships.get(community=community)
    payload = {
        "home": vacant_home.pk,
        "leaseholder": holder.pk,
        "start": "2024-01-01",
        "monthly_fee": 3000,
        "formula": "fixed_rate_compound",
        "formula_params": {"purchase_price": 100, "annual_rate": "0.02", "purchase_date": "2024-01-01"},
    }
    payload.update(change)
    response = _post(land_client("coordinator"), f"{API}/leases", payload)
    assert response.status_code == status, response.content
    assert not GroundLease.objects.exists()


def test_a_lease_for_another_communitys_member_is_refused(
    land_client: Any, vacant_home: Home, land_people: Any, other_community: Any
) -> None:
    outsider = land_people["outsider"].memberships.get(community=other_community)
    payload = {
        "home": vacant_home.pk,
        "leaseholder": outsider.pk,
        "start": "2024-01-01",
        "monthly_fee": 3000,
        "formula": "fixed_rate_compound",
        "formula_params": {"purchase_price": 100, "annual_rate": "0.02", "purchase_date": "2024-01-01"},
    }
    assert _post(land_client("coordinator"), f"{API}/leases", payload).status_code == 400
    assert not GroundLease.objects.exists()


def test_allocation_through_the_api(land_client: Any, vacant_home: Home, community: Any) -> None:
    first = WaitlistApplicationFactory.create(community=community, years_ago=2)
    WaitlistApplicationFactory.create(community=community)
    # One test client: each land_client(role) call signs it in as that role.
    member = land_client("member")
    assert _post(member, f"{API}/homes/{vacant_home.pk}/allocations", {"seed": "x"}).status_code == 403
    coordinator = land_client("coordinator")
    made = _post(coordinator, f"{API}/homes/{vacant_home.pk}/allocations", {"seed": "solstice"}).json()
    drawn = _post(coordinator, f"{API}/allocations/{made['id']}/draw").json()
    assert drawn["status"] == "proposed" and drawn["chosen"] == first.public_id
    public = land_client("observer").get(f"{API}/allocations/{made['id']}").json()
    assert public["result"]["seed"] == "solstice" and len(public["result"]["ranking"]) == 2
    coordinator = land_client("coordinator")
    assert _post(coordinator, f"{API}/allocations/{made['id']}/adopt").status_code == 403
    assert Allocation.objects.get().status == "proposed"


def test_the_waitlist_through_the_api(land_client: Any) -> None:
    made = _post(land_client("member"), f"{API}/waitlist", {"household_size": 2, "facts": {"displaced": 1}})
    assert made.status_code == 201 and made.json()["public_id"].startswith("A-")
    assert _post(land_client("member"), f"{API}/waitlist", {"household_size": 2}).status_code == 409
    assert _post(land_client("observer"), f"{API}/waitlist", {"household_size": 2}).status_code == 403
    assert _post(land_client("leaseholder"), f"{API}/waitlist", {"household_size": 0}).status_code == 400
    assert WaitlistApplication.objects.count() == 1
    assert land_client("member").get(f"{API}/waitlist").status_code == 403
    assert land_client("coordinator").get(f"{API}/waitlist").json()["count"] == 1


def test_a_household_withdraws_and_others_cannot(land_client: Any, community: Any, land_people: Any) -> None:
    from dualpower.land import services

    member = land_people["member"].memberships.get(community=community)
    application = services.waitlist_apply(community=community, membership=member, household_size=2)
    assert _post(land_client("leaseholder"), f"{API}/waitlist/{application.pk}/withdraw").status_code == 403
    assert (
        _post(land_client("member"), f"{API}/waitlist/{application.pk}/withdraw").json()["status"]
        == "withdrawn"
    )
    assert _post(land_client("member"), f"{API}/waitlist/{application.pk}/withdraw").status_code == 409


def test_the_dashboard_shows_the_households_lease(land_client: Any, leased_home: Home) -> None:
    page = land_client("leaseholder").get("/c/riverside/").content.decode()
    assert "Your lease of Elm Row 1" in page
