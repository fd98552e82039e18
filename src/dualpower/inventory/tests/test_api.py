"""The inventory API: each action per role, bad input refused with nothing written."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.inventory.models import Item, Movement
from dualpower.inventory.tests.conftest import ROLES

pytestmark = pytest.mark.django_db
BASE = "/api/v1/communities/riverside/inventory"
READ = {
    "anonymous": 401,
    "applicant": 403,
    "outsider": 403,
    "observer": 200,
    "member": 200,
    "organiser": 200,
    "coordinator": 200,
}
KEEP = {**READ, "observer": 403, "member": 403}


@pytest.mark.parametrize("role", ROLES)
def test_listing_items(client_as: Any, series: Any, rice: Item, role: str) -> None:
    response = client_as(role).get(BASE)
    assert response.status_code == READ[role]
    if response.status_code == 200:
        assert response.json()["items"] == [
            {
                "id": rice.pk,
                "name": "Rice",
                "unit": "kg",
                "location": "",
                "stock": 20,
                "low_threshold": 5,
                "is_low": False,
                "expiry_warning_days": 30,
            }
        ]


@pytest.mark.parametrize("role", ROLES)
def test_adding_an_item(client_as: Any, series: Any, role: str) -> None:
    response = client_as(role).post(
        BASE, {"name": "Beans", "unit": "tins", "low_threshold": 10}, content_type="application/json"
    )
    assert response.status_code == {**KEEP, "organiser": 201, "coordinator": 201}[role]
    assert Item.objects.filter(name="Beans").exists() is (response.status_code == 201)


@pytest.mark.parametrize("role", ROLES)
def test_moving_stock(client_as: Any, series: Any, rice: Item, role: str) -> None:
    response = client_as(role).post(
        f"{BASE}/{rice.pk}/movements",
        {"kind": "out", "quantity": 3, "reason": "Saturday"},
        content_type="application/json",
    )
    assert response.status_code == {**KEEP, "organiser": 201, "coordinator": 201}[role]
    rice.refresh_from_db()
    assert rice.stock == (17 if response.status_code == 201 else 20)


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "out", "quantity": -3},
        {"kind": "in", "quantity": 0},
        {"kind": "out", "quantity": "3"},
        {"kind": "out"},
        {"kind": "count"},
        {"kind": "count", "counted": -1, "reason": "x"},
        {"kind": "steal", "quantity": 1},
        {"kind": "out", "quantity": 1, "aid_request": "NOPE-1"},
        {"kind": "in", "quantity": 1, "aid_request": "NOPE-1"},
    ],
)
def test_bad_movements_are_refused_and_nothing_written(client_as: Any, rice: Item, body: dict) -> None:
    response = client_as("coordinator").post(
        f"{BASE}/{rice.pk}/movements", body, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert response.json()["detail"]
    rice.refresh_from_db()
    assert rice.stock == 20
    assert Movement.objects.count() == 1


def test_taking_more_than_the_stock_is_a_409(client_as: Any, rice: Item) -> None:
    response = client_as("coordinator").post(
        f"{BASE}/{rice.pk}/movements", {"kind": "out", "quantity": 21}, content_type="application/json"
    )
    assert response.status_code == 409
    assert "Only 20 kg" in response.json()["detail"]
    assert Movement.objects.count() == 1


def test_a_stock_out_names_the_request_it_served(client_as: Any, community: Any, rice: Item) -> None:
    from dualpower.aid.models import AidRequest

    AidRequest.objects.create(community=community, code="K7M-4QX", category="food", description="Rice")
    client = client_as("coordinator")
    response = client.post(
        f"{BASE}/{rice.pk}/movements",
        {"kind": "out", "quantity": 2, "aid_request": "k7m-4qx"},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["aid_request"] == "K7M-4QX"
    history = client.get(f"{BASE}/{rice.pk}/movements").json()["items"]
    assert history[0]["aid_request"] == "K7M-4QX"


def test_members_do_not_see_which_requests_stock_went_to(client_as: Any, rice: Item) -> None:
    assert client_as("member").get(f"{BASE}/{rice.pk}/movements").status_code == 403


def test_changing_an_item(client_as: Any, rice: Item) -> None:
    url = f"{BASE}/{rice.pk}"
    assert (
        client_as("member").patch(url, {"low_threshold": 8}, content_type="application/json").status_code
        == 403
    )
    response = client_as("coordinator").patch(url, {"low_threshold": 8}, content_type="application/json")
    assert response.status_code == 200 and response.json()["low_threshold"] == 8
    assert (
        client_as("coordinator")
        .patch(url, {"low_threshold": -1}, content_type="application/json")
        .status_code
        == 400
    )


def test_another_communitys_item_is_not_found(client_as: Any, other_community: Any) -> None:
    from dualpower.inventory import services

    item = services.item_create(community=other_community, by=None, name="Soap", unit="bars")
    assert client_as("member").get(f"{BASE}/{item.pk}").status_code == 404
