"""The money pages: they render for the right people, and paying has a confirmation step."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from dualpower.ledger import services
from dualpower.ledger.models import Account, Invoice, Transfer
from dualpower.ledger.tests.factories import account_of, fresh
from dualpower.members.tests.factories import ROLES
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db
BASE = "/c/riverside/money"


@pytest.mark.parametrize("role", ROLES)
def test_admitted_people_see_the_money_pages(client_for: Any, roots: Any, role: str) -> None:
    for path in ("/", "/roots/"):
        response = client_for(role).get(BASE + path)
        if role in {"observer", "member", "coordinator"}:
            assert response.status_code == 200
            assert b"Roots" in response.content
        else:
            assert response.status_code in {302, 401, 403}


def test_the_summary_shows_the_distribution_not_the_balances(
    client_for: Any, people: Any, roots: Any
) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    services.transfer_make(debit=mara, credit=cato, amount=4_321)
    services.transfer_make(debit=cato, credit=mara, amount=1_000)
    page = client_for("observer").get(BASE + "/roots/").content.decode()
    assert "<svg" in page and "53.21" in page  # the volume
    assert "33.21" not in page  # nobody's balance, not even as the edge of a bar


def test_paying_asks_for_confirmation_with_the_credit_left(client_for: Any, people: Any, roots: Any) -> None:
    cato = account_of(people["coordinator"], roots)
    client = client_for("member")
    form = client.get(BASE + "/roots/pay/")
    key = form.context["form"].initial["idempotency_key"]
    data = {"to": cato.pk, "amount": "12.50", "description": "bread", "idempotency_key": key}
    review = client.post(BASE + "/roots/pay/", data)
    assert review.status_code == 200 and review.context["review"] is True
    assert "87.50" in review.content.decode()  # 100.00 credit less 12.50
    assert not Transfer.objects.exists()
    done = client.post(BASE + "/roots/pay/", {**data, "confirm": "1"})
    assert done.status_code == 302
    again = client.post(BASE + "/roots/pay/", {**data, "confirm": "1"})  # a double click
    assert again.status_code == 302
    assert Transfer.objects.count() == 1 and fresh(cato).balance == 1_250
    assert Notification.objects.filter(kind="ledger.received", user=people["coordinator"]).count() == 1
    assert all("12.50" not in f"{m.subject} {m.body}" for m in mail.outbox)


def test_a_payment_over_the_limit_is_refused_on_the_page(client_for: Any, people: Any, roots: Any) -> None:
    cato = account_of(people["coordinator"], roots)
    data = {"to": cato.pk, "amount": "100.01", "idempotency_key": "x1", "confirm": "1"}
    response = client_for("member").post(BASE + "/roots/pay/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "you can pay up to 100.00 R" in page
    assert "Confirm payment" not in page and 'value="100.01"' in page  # what was typed stays
    assert not Transfer.objects.exists()


def test_over_the_credit_the_review_is_never_offered(client_for: Any, people: Any, roots: Any) -> None:
    cato = account_of(people["coordinator"], roots)
    data = {"to": cato.pk, "amount": "150", "description": "rent", "idempotency_key": "x9"}
    response = client_for("member").post(BASE + "/roots/pay/", data)
    page = response.content.decode()
    assert response.status_code == 400 and "Confirm payment" not in page
    assert 'href="#id_amount"' in page  # the error summary links to the amount
    assert 'value="rent"' in page


def test_change_from_the_review_keeps_what_was_typed(client_for: Any, people: Any, roots: Any) -> None:
    cato = account_of(people["coordinator"], roots)
    data = {"to": cato.pk, "amount": "12.50", "description": "bread", "idempotency_key": "k7", "edit": "1"}
    page = client_for("member").post(BASE + "/roots/pay/", data).content.decode()
    assert 'value="12.50"' in page and 'value="bread"' in page and 'value="k7"' in page
    assert f'<option value="{cato.pk}" selected>' in page
    assert not Transfer.objects.exists()


def test_the_pay_form_shows_no_label_for_its_hidden_key(client_for: Any, people: Any, roots: Any) -> None:
    page = client_for("member").get(BASE + "/roots/pay/").content.decode()
    assert "Idempotency" not in page and 'type="hidden" name="idempotency_key"' in page


def test_a_long_list_of_payees_can_be_searched(client_for: Any, people: Any, roots: Any) -> None:
    from dualpower.ledger.tests.factories import AccountFactory

    for n in range(31):
        account = AccountFactory.create(currency=roots)
        Account.objects.filter(pk=account.pk).update(name=f"Neighbour {n:02d}")
    account_of(people["coordinator"], roots)
    client = client_for("member")
    page = client.get(BASE + "/roots/pay/").content.decode()
    assert 'type="search" name="find"' in page
    found = client.get(BASE + "/roots/pay/?find=bour 07").content.decode()
    assert "Neighbour 07" in found and "Neighbour 08" not in found


def test_too_many_decimals_are_refused_on_the_page(client_for: Any, people: Any, roots: Any) -> None:
    cato = account_of(people["coordinator"], roots)
    data = {"to": cato.pk, "amount": "1.005", "idempotency_key": "x2", "confirm": "1"}
    response = client_for("member").post(BASE + "/roots/pay/", data)
    assert response.status_code == 400 and "decimal places" in response.content.decode()
    assert not Transfer.objects.exists()


def test_observers_cannot_pay(client_for: Any, people: Any, roots: Any) -> None:
    cato = account_of(people["coordinator"], roots)
    data = {"to": cato.pk, "amount": "1", "idempotency_key": "x3", "confirm": "1"}
    assert client_for("observer").post(BASE + "/roots/pay/", data).status_code == 403
    assert not Transfer.objects.exists()


def test_request_then_the_payer_approves(client_for: Any, people: Any, roots: Any) -> None:
    mara = account_of(people["member"], roots)
    coordinator = client_for("coordinator")
    response = coordinator.post(
        BASE + "/roots/request/",
        {"payer": mara.pk, "amount": "5", "description": "soup", "idempotency_key": "r1"},
    )
    assert response.status_code == 302
    invoice = Invoice.objects.get()
    member = client_for("member")
    page = member.get(f"{BASE}/invoices/{invoice.pk}/")
    assert "Pay 5.00 R" in page.content.decode()
    member.post(f"{BASE}/invoices/{invoice.pk}/accept/")
    invoice.refresh_from_db()
    assert invoice.status == "accepted" and fresh(mara).balance == -500


def test_only_the_payer_may_approve(client_for: Any, people: Any, roots: Any) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    invoice = services.invoice_create(payee=mara, payer=cato, amount=100)
    assert client_for("member").post(f"{BASE}/invoices/{invoice.pk}/accept/").status_code == 403
    invoice.refresh_from_db()
    assert invoice.status == "pending"


def test_the_statement_filters_and_exports_csv(client_for: Any, people: Any, roots: Any) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    services.transfer_make(debit=mara, credit=cato, amount=250, description="tea")
    client = client_for("member")
    page = client.get(f"{BASE}/accounts/{mara.pk}/")
    assert page.status_code == 200 and "tea" in page.content.decode()
    csv_response = client.get(f"{BASE}/accounts/{mara.pk}/statement.csv")
    lines = csv_response.content.decode().splitlines()
    assert csv_response["Content-Type"].startswith("text/csv") and "tea" in lines[1] and "-2.50 R" in lines[1]
    assert client.get(f"{BASE}/accounts/{mara.pk}/?since=2099-01-01").context["page"].lines == []
    assert client_for("coordinator").get(f"{BASE}/accounts/{mara.pk}/").status_code == 403


def test_coordinators_administer_the_currency_and_limits(client_for: Any, people: Any, roots: Any) -> None:
    mara = account_of(people["member"], roots)
    client = client_for("coordinator")
    assert client.get(BASE + "/roots/admin/").status_code == 200
    response = client.post(f"{BASE}/accounts/{mara.pk}/limits/", {"credit": "250", "upper": "500"})
    assert response.status_code == 302 and fresh(mara).lower_limit == -25_000
    refused = client.post(f"{BASE}/accounts/{mara.pk}/limits/", {"credit": "301", "upper": "500"})
    assert refused.status_code == 400 and "assembly" in refused.content.decode()
    assert client_for("member").get(BASE + "/roots/admin/").status_code == 403


def test_a_coordinator_starts_a_time_bank(client_for: Any) -> None:
    data = {
        "name": "Southside Hours",
        "kind": "time_bank",
        "symbol": "",
        "decimals": "0",
        "default_credit": "10",
        "default_upper": "100",
        "max_credit": "20",
        "max_upper": "200",
        "demurrage_basis_points": "0",
        "invoice_days": "14",
    }
    response = client_for("coordinator").post(BASE + "/new/", data)
    assert response.status_code == 302
    from dualpower.ledger.models import Currency

    hours = Currency.objects.get(code="southside-hours")
    assert hours.is_time_bank and hours.default_lower_limit == -600


def test_the_dashboard_shows_my_balances_and_requests_waiting(
    client_for: Any, people: Any, roots: Any
) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    services.invoice_create(payee=cato, payer=mara, amount=100)
    page = client_for("member").get("/c/riverside/").content.decode()
    assert "My money and time" in page and "1 payment request waits for your answer" in page
