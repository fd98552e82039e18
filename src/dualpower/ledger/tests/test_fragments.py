"""A statement keeps its transfers (web/fragments.py) while nothing is written, for its holder
alone: keyed by the account and the visitor, after the check that only the holder may read it.
The holder's next visit asks the database for their session alone (no transfer) and gets the same
page; a payment shows at once; another period or page is its own; and nobody else is ever given
what the holder saw.

Transactional tests: inside a test's transaction nothing is kept (fragments.version is None)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dualpower.ledger import services
from dualpower.ledger.tests.factories import account_of
from dualpower.web.tests.kept import SESSION_ALONE, signed_in, visit, without_tokens

pytestmark = [
    # Not in the PostgreSQL pass: what a page keeps is the same code on both databases; the count
    # it is keyed by is checked on both by tests/test_fragments.py (transactional tests cost a
    # flush of every table each on PostgreSQL).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("ledger_emptied_after"),
]

BASE = "/c/riverside/money/accounts"


@pytest.fixture
def accounts(people: Any, roots: Any) -> tuple[Any, Any]:
    """Mara's and Cato's accounts, with payments both ways."""
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    services.transfer_make(debit=cato, credit=mara, amount=700, description="Bread for the pantry")
    services.transfer_make(debit=mara, credit=cato, amount=250, description="Bike repair")
    return mara, cato


def test_the_holders_next_visit_reads_no_transfer_and_gets_the_same_page(
    people: Any, accounts: tuple[Any, Any]
) -> None:
    mara, _ = accounts
    (client,) = signed_in(people["member"])
    path = f"{BASE}/{mara.pk}/"
    _, first = visit(client, path)
    second_queries, second = visit(client, path)
    assert without_tokens(second) == without_tokens(first) and "Bread for the pantry" in second
    assert second_queries == SESSION_ALONE  # not the account, its transfers or the balance after


def test_a_payment_shows_on_the_next_visit(people: Any, accounts: tuple[Any, Any]) -> None:
    mara, cato = accounts
    (client,) = signed_in(people["member"])
    _, before = visit(client, f"{BASE}/{mara.pk}/")
    assert "Seeds" not in before
    services.transfer_make(debit=cato, credit=mara, amount=125, description="Seeds")
    _, after = visit(client, f"{BASE}/{mara.pk}/")
    assert "Seeds" in after
    mara.refresh_from_db()
    assert mara.balance == 700 - 250 + 125
    # Another period is its own fragment: the newest transfers are not given for it.
    _, future = visit(client, f"{BASE}/{mara.pk}/?since=2099-01-01")
    assert "Seeds" not in future and "No transfers in this period." in future


def test_nobody_else_is_given_the_holders_statement(
    people: Any, accounts: tuple[Any, Any], hours: Any
) -> None:
    mara, cato = accounts
    mara_hours = account_of(people["member"], hours)
    member, coordinator, observer = signed_in(
        *(people[role] for role in ("member", "coordinator", "observer"))
    )
    _, own = visit(member, f"{BASE}/{mara.pk}/")
    kept_queries, _ = visit(member, f"{BASE}/{mara.pk}/")
    _, other = visit(member, f"{BASE}/{mara_hours.pk}/")
    assert "<h1>Statement: Mara, Roots</h1>" in own and "Bread for the pantry" in own
    assert kept_queries == SESSION_ALONE  # kept: nothing was written since
    # Her other account, in hours: its own statement, not the one just kept.
    assert "<h1>Statement: Mara, Southside Hours</h1>" in other and "Bread for the pantry" not in other
    assert "No transfers in this period." in other
    # The coordinator (who sees every balance on other pages) and an observer may not read it.
    for client in (coordinator, observer):
        response = client.get(f"{BASE}/{mara.pk}/")
        assert response.status_code == 403
        refused = response.content.decode()
        assert "Bread for the pantry" not in refused and "Statement: Mara" not in refused
    # Cato's own statement, the same transfers seen from the other side: his, not Mara's.
    _, his = visit(coordinator, f"{BASE}/{cato.pk}/")
    assert "Statement: Cato" in his and "Statement: Mara" not in his
    assert re.search(r'data-label="With">Mara</td>', his) and not re.search(
        r'data-label="With">Cato</td>', his
    )
