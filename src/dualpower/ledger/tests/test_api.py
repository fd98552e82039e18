"""The ledger API: who may do what (a role matrix per action), idempotency, bad input.

Roles: the usual six, plus "holder" — the member who holds the account acted on (Mara) — so
"member" here is another member of the community (Nia), who does not.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from dualpower.community.models import AuditEntry
from dualpower.ledger import services
from dualpower.ledger.models import Account, Invoice, Transfer
from dualpower.ledger.tests.factories import CurrencyFactory, account_of, fresh
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, make_user

pytestmark = pytest.mark.django_db
BASE = "/api/v1/communities/riverside/money"
ROLES = ("anonymous", "applicant", "observer", "member", "holder", "coordinator", "outsider")
DENIED = {"anonymous": 401}


@pytest.fixture
def world(people: Any, community: Any, roots: Any) -> dict[str, Any]:
    nia = make_user("nia@example.org")
    make_membership(community, role=Membership.Role.MEMBER, user=nia, name="Nia")
    people["holder"] = people["member"]
    people["member"] = nia
    return {
        "mara": account_of(people["holder"], roots),
        "cato": account_of(people["coordinator"], roots),
        "nia": account_of(nia, roots),
    }


@pytest.fixture
def as_role(client: Any, people: Any, world: Any) -> Any:
    def make(role: str) -> Any:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        return client

    return make


def call(client: Any, method: str, path: str, body: Any = None, **headers: str) -> Any:
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(path, data=data, content_type="application/json", headers=headers)


def counts() -> tuple[int, int, int, int]:
    return (
        Transfer.objects.count(),
        Invoice.objects.count(),
        Account.objects.count(),
        AuditEntry.objects.count(),
    )


READ = {"applicant": 403, "outsider": 403, "anonymous": 401}


@pytest.mark.parametrize("role", ROLES)
def test_admitted_people_see_the_currencies_and_summary(as_role: Any, role: str) -> None:
    for path in ("/currencies", "/currencies/roots/summary"):
        response = as_role(role).get(BASE + path)
        assert response.status_code == READ.get(role, 200), path


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_start_a_currency(as_role: Any, role: str) -> None:
    before = counts()
    response = call(
        as_role(role), "post", BASE + "/currencies", {"name": "Southside Hours", "kind": "time_bank"}
    )
    expected = {"coordinator": 201}.get(role, DENIED.get(role, 403))
    assert response.status_code == expected
    if expected == 201:
        assert response.json()["decimals"] == 0 and response.json()["code"] == "southside-hours"
    else:
        assert counts() == before


@pytest.mark.parametrize("role", ROLES)
def test_a_statement_is_for_its_holder_only(as_role: Any, world: Any, role: str) -> None:
    services.transfer_make(debit=world["mara"], credit=world["cato"], amount=100)
    response = as_role(role).get(f"{BASE}/accounts/{world['mara'].pk}/statement")
    expected = {"holder": 200}.get(role, DENIED.get(role, 404 if role == "outsider" else 403))
    if role in {"applicant", "outsider"}:
        expected = 403  # refused at the community, before any account is looked up
    assert response.status_code == expected
    if expected == 200:
        assert [line["amount"] for line in response.json()["items"]] == [-100]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_holder_pays_from_an_account(as_role: Any, world: Any, role: str) -> None:
    before = counts()
    body = {"debit": world["mara"].pk, "credit": world["cato"].pk, "amount": "12.50"}
    response = call(as_role(role), "post", BASE + "/transfers", body)
    expected = {"holder": 201}.get(role, DENIED.get(role, 403))
    assert response.status_code == expected
    if expected == 201:
        assert response.json()["amount"] == 1250 and fresh(world["cato"]).balance == 1250
    else:
        assert counts() == before


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_change_limits(as_role: Any, world: Any, role: str) -> None:
    before = counts()
    response = call(
        as_role(role),
        "put",
        f"{BASE}/accounts/{world['mara'].pk}/limits",
        {"lower_limit": -20_000, "upper_limit": 50_000},
    )
    expected = {"coordinator": 200}.get(role, DENIED.get(role, 403))
    assert response.status_code == expected
    assert (fresh(world["mara"]).lower_limit == -20_000) == (expected == 200)
    if expected != 200:
        assert counts() == before


@pytest.mark.parametrize("role", ROLES)
def test_only_the_payer_answers_a_request(as_role: Any, world: Any, role: str) -> None:
    invoice = services.invoice_create(payee=world["cato"], payer=world["mara"], amount=500)
    response = call(as_role(role), "post", f"{BASE}/invoices/{invoice.pk}/accept")
    expected = {"holder": 200}.get(role, DENIED.get(role, 403))
    assert response.status_code == expected
    invoice.refresh_from_db()
    assert (invoice.status == "accepted") == (expected == 200)


@pytest.mark.parametrize("role", ROLES)
def test_members_open_their_own_account(as_role: Any, roots: Any, role: str, community: Any) -> None:
    hours = services.currency_create(community=community, name="Hours", kind="time_bank", by=None)
    response = call(as_role(role), "post", BASE + "/accounts", {"currency": hours.code})
    expected = {"holder": 201, "member": 201, "coordinator": 201}.get(role, DENIED.get(role, 403))
    assert response.status_code == expected


def test_the_idempotency_key_header_makes_one_transfer(as_role: Any, world: Any) -> None:
    client = as_role("holder")
    body = {"debit": world["mara"].pk, "credit": world["cato"].pk, "amount": 300}
    first = call(client, "post", BASE + "/transfers", body, **{"Idempotency-Key": "abc"})
    again = call(client, "post", BASE + "/transfers", body, **{"Idempotency-Key": "abc"})
    other = call(client, "post", BASE + "/transfers", {**body, "amount": 301}, **{"Idempotency-Key": "abc"})
    assert (first.status_code, again.status_code, other.status_code) == (201, 200, 409)
    assert first.json()["id"] == again.json()["id"] and Transfer.objects.count() == 1


def test_an_idempotency_key_belongs_to_its_payer(as_role: Any, world: Any) -> None:
    """Another member's key never answers yours: keys cannot be claimed in advance."""
    body = {"debit": world["mara"].pk, "credit": world["cato"].pk, "amount": 300}
    key = {"Idempotency-Key": "rent-december"}
    # Nia uses the key first, for her own payment (she could not know Mara would pick it).
    nias = call(as_role("member"), "post", BASE + "/transfers", {**body, "debit": world["nia"].pk}, **key)
    maras = call(as_role("holder"), "post", BASE + "/transfers", body, **key)
    again = call(as_role("holder"), "post", BASE + "/transfers", body, **key)
    nia_again = call(
        as_role("member"), "post", BASE + "/transfers", {**body, "debit": world["nia"].pk}, **key
    )
    assert (nias.status_code, maras.status_code, again.status_code, nia_again.status_code) == (
        201, 201, 200, 200
    )  # fmt: skip
    assert maras.json()["id"] == again.json()["id"] != nias.json()["id"] == nia_again.json()["id"]
    assert Transfer.objects.count() == 2 and fresh(world["cato"]).balance == 600
    linked = {"debit": world["nia"].pk, "legs": [{"credit": world["cato"].pk, "amount": 1}]}
    mara_linked = {**linked, "debit": world["mara"].pk}
    assert call(as_role("member"), "post", BASE + "/transfers/linked", linked, **key).status_code == 201
    assert call(as_role("holder"), "post", BASE + "/transfers/linked", mara_linked, **key).status_code == 201


def test_linked_transfers_through_the_api(as_role: Any, world: Any) -> None:
    body = {
        "debit": world["mara"].pk,
        "legs": [{"credit": world["cato"].pk, "amount": 100}, {"credit": world["nia"].pk, "amount": "2"}],
    }
    response = call(as_role("holder"), "post", BASE + "/transfers/linked", body)
    assert response.status_code == 201 and [t["amount"] for t in response.json()] == [100, 200]


def test_a_request_then_payment_through_the_api(as_role: Any, world: Any) -> None:
    response = call(
        as_role("coordinator"),
        "post",
        BASE + "/invoices",
        {"payee": world["cato"].pk, "payer": world["mara"].pk, "amount": "5"},
    )
    assert response.status_code == 201 and response.json()["status"] == "pending"
    invoice_id = response.json()["id"]
    listed = as_role("holder").get(BASE + "/invoices").json()["items"]
    assert [i["id"] for i in listed] == [invoice_id]
    assert call(as_role("holder"), "post", f"{BASE}/invoices/{invoice_id}/accept").status_code == 200
    assert fresh(world["cato"]).balance == 500


BAD_TRANSFERS = [
    ({"amount": 0}, 400, "more than zero"),
    ({"amount": -5}, 400, "more than zero"),
    ({"amount": "-5"}, 400, "more than zero"),
    ({"amount": "1.005"}, 400, "decimal places"),
    ({"amount": "lots"}, 400, "number"),
    ({"amount": "100.01"}, 409, "credit limit"),
    ({"credit": 999_999}, 400, "no account"),
    ({"credit": "self"}, 400, "yourself"),
    ({"description": "x" * 201}, 422, ""),
]


@pytest.mark.parametrize(("change", "status", "words"), BAD_TRANSFERS)
def test_bad_transfers_are_refused_with_a_sentence_and_nothing_written(
    as_role: Any, world: Any, change: dict[str, Any], status: int, words: str
) -> None:
    body = {"debit": world["mara"].pk, "credit": world["cato"].pk, "amount": 100, **change}
    if body["credit"] == "self":
        body["credit"] = world["mara"].pk
        words = "cannot pay itself"
    before = counts()
    response = call(as_role("holder"), "post", BASE + "/transfers", body)
    assert response.status_code == status
    if words:
        assert words in response.json()["detail"]
    assert counts() == before
    assert fresh(world["mara"]).balance == 0


def test_paying_another_communitys_account_is_refused(
    as_role: Any, world: Any, people: Any, other_community: Any
) -> None:
    theirs = account_of(people["outsider"], CurrencyFactory.create(community=other_community))
    before = counts()
    response = call(
        as_role("holder"),
        "post",
        BASE + "/transfers",
        {"debit": world["mara"].pk, "credit": theirs.pk, "amount": 1},
    )
    assert response.status_code == 400 and "no account" in response.json()["detail"]
    assert counts() == before


def test_a_currency_mismatch_is_refused(as_role: Any, world: Any, community: Any, people: Any) -> None:
    hours = services.currency_create(community=community, name="Hours", kind="time_bank", by=None)
    other = account_of(people["coordinator"], hours)
    before = counts()
    response = call(
        as_role("holder"),
        "post",
        BASE + "/transfers",
        {"debit": world["mara"].pk, "credit": other.pk, "amount": 1},
    )
    assert response.status_code == 400 and "same currency" in response.json()["detail"]
    assert counts() == before


def test_a_closed_account_is_refused(as_role: Any, world: Any) -> None:
    services.account_close(account=world["cato"], by=None)
    before = counts()
    response = call(
        as_role("holder"),
        "post",
        BASE + "/transfers",
        {"debit": world["mara"].pk, "credit": world["cato"].pk, "amount": 1},
    )
    assert response.status_code == 409 and "closed" in response.json()["detail"]
    assert counts() == before


def test_coordinators_see_balances_but_members_only_their_own(as_role: Any, world: Any) -> None:
    everyone = as_role("coordinator").get(BASE + "/accounts").json()["items"]
    mine = as_role("holder").get(BASE + "/accounts").json()["items"]
    assert len(everyone) == 4 and [a["id"] for a in mine] == [world["mara"].pk]
    payees = as_role("holder").get(BASE + "/currencies/roots/payees").json()["items"]
    assert "balance" not in payees[0]
