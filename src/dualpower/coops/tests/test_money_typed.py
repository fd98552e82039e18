"""Co-op amounts are typed as people write them and read back the same way: never in cents."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.coops.models import Cooperative, PatronageAllocation

pytestmark = pytest.mark.django_db

NEW = {
    "name": "Riverside Grocers",
    "kind": "consumer",
    "min_shares": "1",
    "max_shares": "20",
    "min_cash_percent": "25",
}


@pytest.mark.parametrize(("language", "typed"), [("es", "12,50"), ("en", "12.50"), ("en", "1,012.50")])
def test_a_share_price_is_read_in_the_readers_language(
    coop_client: Any, coop_people: Any, language: str, typed: str
) -> None:
    client = coop_client("coordinator")
    client.cookies["django_language"] = language
    response = client.post("/c/riverside/coops/new/", {**NEW, "share_price": typed})
    assert response.status_code == 302
    expected = 101250 if typed.startswith("1,0") else 1250
    assert Cooperative.objects.get(name="Riverside Grocers").share_price == expected


@pytest.mark.parametrize(
    ("language", "typed"), [("en", "١٢"), ("en", "12,50"), ("es", "12.5.0"), ("en", "0")]
)
def test_an_amount_that_cannot_be_read_is_refused_with_a_sentence(
    coop_client: Any, coop_people: Any, language: str, typed: str
) -> None:
    client = coop_client("coordinator")
    client.cookies["django_language"] = language
    response = client.post("/c/riverside/coops/new/", {**NEW, "share_price": typed})
    page = response.content.decode()
    assert response.status_code == 400
    assert not Cooperative.objects.filter(name="Riverside Grocers").exists()
    if typed == "0":
        assert "Price of one share must be at least 0.01." in page
    elif language == "es":
        assert "Precio de una participación: escríbelo como un número, por ejemplo" in page
    else:
        assert "Price of one share must be written as a number, such as 1,250.50." in page
    assert f'value="{typed}"' in page  # what was typed is kept


def test_the_edit_form_shows_the_stored_price_as_people_write_it(coop_client: Any, coop: Cooperative) -> None:
    client = coop_client("coordinator")
    client.cookies["django_language"] = "es"
    page = client.get(f"/c/riverside/coops/{coop.slug}/edit/").content.decode()
    assert 'name="share_price" value="25,00"' in page
    assert 'value="2500"' not in page


def test_a_spanish_surplus_is_read_to_the_cent(coop_client: Any, coop: Cooperative, coop_people: Any) -> None:
    board = coop.coop_members.get(membership__user=coop_people["coop_board"])
    member = coop.coop_members.get(membership__user=coop_people["coop_member"])
    client = coop_client("coop_board")
    client.cookies["django_language"] = "es"
    data = {
        "year": "2025",
        "surplus": "1000,50",
        "measure": "hours",
        "cash_percent": "20",
        f"patronage_{board.pk}": "1",
        f"patronage_{member.pk}": "1",
    }
    assert client.post(f"/c/riverside/coops/{coop.slug}/patronage/", data).status_code == 302
    assert PatronageAllocation.objects.get().surplus == 100050
    refused = client.post(f"/c/riverside/coops/{coop.slug}/patronage/", {**data, "surplus": "١٢"})
    assert refused.status_code == 400 and PatronageAllocation.objects.count() == 1
