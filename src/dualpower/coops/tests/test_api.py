"""The co-ops API: who may call what, bad input refused with nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dualpower.coops.models import CapitalEntry, CapitalOperation, Cooperative, PatronageAllocation
from dualpower.coops.tests.conftest import COOP_ROLES, place
from dualpower.coops.tests.factories import subscribe

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/riverside/coops"


def _post(client: Any, url: str, data: Any = None) -> Any:
    return client.post(url, json.dumps(data or {}), content_type="application/json")


def _denied(role: str) -> int:
    return 401 if role == "anonymous" else 403


@pytest.mark.parametrize("role", COOP_ROLES)
def test_reading_the_registry_and_the_capital(coop_client: Any, coop: Cooperative, role: str) -> None:
    client = coop_client(role)
    readers = {"observer", "member", "coordinator", "coop_member", "coop_board"}
    listing = client.get(f"{API}")
    assert listing.status_code == (200 if role in readers else _denied(role))
    capital = client.get(f"{API}/{coop.slug}/capital")
    assert capital.status_code == (200 if role in {"coop_member", "coop_board"} else _denied(role))
    if listing.status_code == 200:
        item = listing.json()["items"][0]
        assert item["share_price"] == 2500 and item["assembly"] == coop.assembly.slug


@pytest.mark.parametrize("role", COOP_ROLES)
def test_drafting_and_approving_operations(coop_client: Any, coop: Cooperative, role: str) -> None:
    client = coop_client(role)
    response = _post(client, f"{API}/{coop.slug}/operations", {"kind": "subscription", "shares": 2})
    drafts = {"coop_member", "coop_board"}
    assert response.status_code == (201 if role in drafts else _denied(role))
    someone = coop.coop_members.select_related("membership").first()
    assert someone is not None  # the fixture's co-op has members
    op = CapitalOperation.objects.first() or CapitalOperation.objects.create(
        coop=coop,
        kind="subscription",
        member=someone,
        shares=1,
        share_price=1,
        created_by=someone.membership,
    )
    approve = _post(client, f"{API}/{coop.slug}/operations/{op.pk}/approve")
    assert approve.status_code == (200 if role == "coop_board" else _denied(role))


def test_an_operation_goes_through_the_api_to_the_register(
    coop_client: Any, coop: Cooperative, coop_people: Any
) -> None:
    member = coop_client("coop_member")
    op = _post(member, f"{API}/{coop.slug}/operations", {"kind": "subscription", "shares": 3}).json()
    assert op["status"] == "draft" and op["amount"] == 7500
    board = coop_client("coop_board")
    assert _post(board, f"{API}/{coop.slug}/operations/{op['id']}/approve").json()["status"] == "approved"
    assert _post(board, f"{API}/{coop.slug}/operations/{op['id']}/complete").json()["status"] == "done"
    rows = {row["display_name"]: row for row in board.get(f"{API}/{coop.slug}/capital").json()}
    assert rows["Kofi"]["shares"] == 3 and rows["Kofi"]["amount"] == 7500


@pytest.mark.parametrize(
    ("payload", "status"),
    [
        ({"kind": "subscription", "shares": 0}, 400),
        ({"kind": "subscription", "shares": -2}, 400),
        ({"kind": "subscription", "shares": 1.5}, 422),
        ({"kind": "subscription", "shares": "2"}, 422),
        ({"kind": "subscription", "shares": 11}, 409),
        ({"kind": "gift", "shares": 1}, 400),
        ({"kind": "transfer", "shares": 1}, 400),
        ({"kind": "transfer", "shares": 1, "to_member": 999999}, 400),
        ({"kind": "sell_back", "shares": 1}, 409),
    ],
)
def test_bad_operations_are_refused_and_nothing_is_written(
    coop_client: Any, coop: Cooperative, payload: dict[str, Any], status: int
) -> None:
    response = _post(coop_client("coop_member"), f"{API}/{coop.slug}/operations", payload)
    assert response.status_code == status
    assert response.json()["detail"]
    assert not CapitalOperation.objects.exists()


def test_another_communitys_coop_is_not_found(coop_client: Any, coop: Cooperative) -> None:
    response = coop_client("outsider").get(f"/api/v1/communities/hilltop/coops/{coop.slug}")
    assert response.status_code == 404


def test_a_coordinator_registers_a_coop(coop_client: Any, coop_people: Any) -> None:
    response = _post(
        coop_client("coordinator"), API, {"name": "Hill Farm", "kind": "producer", "share_price": 10000}
    )
    assert response.status_code == 201
    assert response.json()["kind"] == "producer"
    bad = _post(
        coop_client("coordinator"), API, {"name": "Bad", "kind": "producer", "min_shares": 5, "max_shares": 1}
    )
    assert bad.status_code == 400
    assert not Cooperative.objects.filter(name="Bad").exists()
    assert _post(coop_client("member"), API, {"name": "Nope", "kind": "worker"}).status_code == 403


def test_joining_and_approval(coop_client: Any, coop: Cooperative) -> None:
    joined = _post(coop_client("member"), f"{API}/{coop.slug}/join")
    assert joined.status_code == 201 and joined.json()["status"] == "pending"
    assert _post(coop_client("member"), f"{API}/{coop.slug}/join").status_code == 403  # already asking
    assert _post(coop_client("observer"), f"{API}/{coop.slug}/join").status_code == 403
    approved = _post(coop_client("coop_board"), f"{API}/{coop.slug}/members/{joined.json()['id']}/approve")
    assert approved.json()["status"] == "member"


def test_patronage_through_the_api(coop_client: Any, coop: Cooperative, coop_people: Any) -> None:
    board_place, member_place = (
        place(coop, coop_people["coop_board"]),
        place(coop, coop_people["coop_member"]),
    )
    subscribe(coop, member_place, 1)
    payload = {
        "year": 2025,
        "surplus": 10_001,
        "cash_percent": 20,
        "patronage": {board_place.pk: 1, member_place.pk: 1},
    }
    assert _post(coop_client("coop_member"), f"{API}/{coop.slug}/patronage", payload).status_code == 403
    board = coop_client("coop_board")
    made = _post(board, f"{API}/{coop.slug}/patronage", payload)
    assert made.status_code == 201
    body = made.json()
    assert sum(line["amount"] for line in body["lines"]) == 10_001
    assert body["total_cash"] + body["total_retained"] == 10_001
    bad = _post(board, f"{API}/{coop.slug}/patronage", {**payload, "year": 2026, "cash_percent": 5})
    assert bad.status_code == 400 and PatronageAllocation.objects.count() == 1
    adopted = _post(board, f"{API}/{coop.slug}/patronage/{body['id']}/adopt")
    assert adopted.json()["status"] == "adopted"
    assert CapitalEntry.objects.filter(kind="patronage").count() == 2
