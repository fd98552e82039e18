"""The learn API: the same rules as the pages, errors as sentences."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.learn.models import Hold, Loan
from dualpower.learn.tests.factories import lend
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db


def _api(community: Any, tail: str) -> str:
    return f"/api/v1/communities/{community.slug}/learn/{tail}"


def test_a_member_holds_and_borrows_through_the_api(client_as: Any, community: Any, thing: Any) -> None:
    client = client_as("member")
    listed = client.get(_api(community, "things")).json()
    assert [t["title"] for t in listed["items"]] == ["Cordless drill"]
    held = client.post(_api(community, f"things/{thing.pk}/hold"), content_type="application/json")
    assert held.status_code == 201 and held.json()["status"] == "ready"
    borrowed = client.post(_api(community, f"things/{thing.pk}/borrow"), content_type="application/json")
    assert borrowed.status_code == 201
    assert not Hold.objects.exists()
    detail = client.get(_api(community, f"things/{thing.pk}")).json()
    assert detail["my_loan"] is True and detail["on_loan"] is True


def test_who_borrowed_is_not_in_the_api(client_as: Any, community: Any, thing: Any) -> None:
    lend(thing, make_membership(community, name="Secret Sam"))
    body = client_as("coordinator").get(_api(community, f"things/{thing.pk}")).content.decode()
    assert "Secret Sam" not in body


def test_bad_input_is_a_sentence(client_as: Any, community: Any, thing: Any) -> None:
    client = client_as("member")
    lend(thing, make_membership(community))
    refused = client.post(
        _api(community, f"things/{thing.pk}/return"), {"condition": "good"}, content_type="application/json"
    )
    assert refused.status_code == 403
    made = client.post(
        _api(community, "things"), {"title": "Tent", "loan_days": 500}, content_type="application/json"
    )
    assert made.status_code == 400
    assert made.json()["code"] == "invalid" and "loan" in made.json()["detail"].lower()
    assert Loan.objects.count() == 1


def test_participants_are_for_facilitators_only(client_as: Any, community: Any, offering: Any) -> None:
    url = _api(community, f"offerings/{offering.pk}/participants")
    assert client_as("facilitator").get(url).status_code == 200
    assert client_as("coordinator").get(url).status_code == 403
    assert client_as("member").get(url).status_code == 403
