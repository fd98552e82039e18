"""The co-op pages, for each role: who sees what, and the forms that change things."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.coops.models import CapitalOperation, Cooperative, PatronageAllocation
from dualpower.coops.tests.conftest import COOP_ROLES, place
from dualpower.coops.tests.factories import subscribe

pytestmark = pytest.mark.django_db

READERS = {"observer", "member", "coordinator", "coop_member", "coop_board"}
COOP_MEMBERS = {"coop_member", "coop_board"}


def _expected(role: str, allowed: set[str]) -> int:
    if role in allowed:
        return 200
    return 302 if role == "anonymous" else 403


PAGES = (
    ("", READERS),
    ("{slug}/", READERS),
    ("{slug}/capital/", COOP_MEMBERS),
    ("{slug}/patronage/", COOP_MEMBERS),
)


@pytest.mark.parametrize("role", COOP_ROLES)
def test_who_sees_each_page(coop_client: Any, coop: Cooperative, role: str) -> None:
    client = coop_client(role)
    got = {
        page: client.get(f"/c/riverside/coops/{page.format(slug=coop.slug)}").status_code for page, _ in PAGES
    }
    assert got == {page: _expected(role, allowed) for page, allowed in PAGES}


def test_the_registry_lists_coops_with_their_kind(coop_client: Any, coop: Cooperative) -> None:
    page = coop_client("member").get("/c/riverside/coops/").content.decode()
    assert coop.name.replace("&", "&amp;") in page and "Worker co-op" in page


def test_a_coordinator_registers_a_coop_and_becomes_its_board(coop_client: Any, coop_people: Any) -> None:
    data = {
        "name": "Riverside Grocers",
        "kind": "consumer",
        "share_price": "5.00",
        "min_shares": "1",
        "max_shares": "20",
        "min_cash_percent": "25",
    }
    response = coop_client("coordinator").post("/c/riverside/coops/new/", data)
    assert response.status_code == 302
    coop = Cooperative.objects.get(name="Riverside Grocers")
    assert coop.coop_members.get().role == "board"


def test_a_bad_form_says_why_and_writes_nothing(coop_client: Any, coop_people: Any) -> None:
    data = {
        "name": "X",
        "kind": "consumer",
        "share_price": "5.00",
        "min_shares": "9",
        "max_shares": "2",
        "min_cash_percent": "25",
    }
    response = coop_client("coordinator").post("/c/riverside/coops/new/", data)
    assert response.status_code == 400
    assert "minimum shares cannot be more than the maximum" in response.content.decode()
    assert not Cooperative.objects.filter(name="X").exists()


def test_a_member_drafts_a_subscription_and_the_board_approves_and_completes_it(
    coop_client: Any, coop: Cooperative, coop_people: Any
) -> None:
    url = f"/c/riverside/coops/{coop.slug}/capital/"
    response = coop_client("coop_member").post(url, {"kind": "subscription", "shares": "3", "note": ""})
    assert response.status_code == 302
    op = CapitalOperation.objects.get()
    assert op.member == place(coop, coop_people["coop_member"])
    assert coop_client("coop_member").post(f"{url}{op.pk}/approve/").status_code == 403
    board = coop_client("coop_board")
    board.post(f"{url}{op.pk}/approve/")
    board.post(f"{url}{op.pk}/complete/")
    op.refresh_from_db()
    assert op.status == "done"
    page = board.get(url).content.decode()
    assert "75.00" in page  # 3 shares at 25.00


def test_an_operation_over_the_maximum_is_refused_on_the_page(coop_client: Any, coop: Cooperative) -> None:
    url = f"/c/riverside/coops/{coop.slug}/capital/"
    response = coop_client("coop_member").post(url, {"kind": "subscription", "shares": "11"})
    assert response.status_code == 400
    assert "at most 10 shares" in response.content.decode()
    assert not CapitalOperation.objects.exists()


def test_the_board_proposes_and_adopts_patronage(
    coop_client: Any, coop: Cooperative, coop_people: Any
) -> None:
    url = f"/c/riverside/coops/{coop.slug}/patronage/"
    board, member = place(coop, coop_people["coop_board"]), place(coop, coop_people["coop_member"])
    data = {
        "year": "2025",
        "surplus": "1000.00",
        "measure": "hours",
        "cash_percent": "20",
        f"patronage_{board.pk}": "300",
        f"patronage_{member.pk}": "100",
    }
    assert coop_client("coop_member").post(url, data).status_code == 403
    client = coop_client("coop_board")
    assert client.post(url, data).status_code == 302
    allocation = PatronageAllocation.objects.get()
    page = client.get(url).content.decode()
    assert "750.00" in page and "250.00" in page  # the member's share, and the 20% cash of the rest
    client.post(f"{url}{allocation.pk}/adopt/")
    allocation.refresh_from_db()
    assert allocation.status == "adopted"


def test_join_and_approve_through_the_pages(coop_client: Any, coop: Cooperative) -> None:
    url = f"/c/riverside/coops/{coop.slug}/"
    coop_client("member").post(f"{url}join/")
    pending = coop.coop_members.get(status="pending")
    coop_client("coop_board").post(f"{url}requests/{pending.pk}/approve/")
    pending.refresh_from_db()
    assert pending.status == "member"


def test_capital_shows_each_members_holdings(coop_client: Any, coop: Cooperative, coop_people: Any) -> None:
    subscribe(coop, place(coop, coop_people["coop_member"]), 4)
    page = coop_client("coop_member").get(f"/c/riverside/coops/{coop.slug}/capital/").content.decode()
    assert "<caption>" in page and "100.00" in page
