"""Issue 21: the statement in the API a page at a time, by the same keyset as the page (the
``statement_page`` selector), and the money summary's histogram counted by the database in a
number of queries that does not grow with the accounts."""

from __future__ import annotations

import random
from itertools import pairwise
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.ledger import selectors, services
from dualpower.ledger.models import Account, Currency
from dualpower.ledger.tests.factories import account_of
from dualpower.members.models import Membership

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/riverside/money"


def _pay(debit: Any, credit: Any, n: int, amount: int = 100) -> None:
    for i in range(n):
        services.transfer_make(debit=debit, credit=credit, amount=amount + i, description=f"t{i}")


def _statement(client: Any, account: Account, query: str = "") -> Any:
    return client.get(f"{API}/accounts/{account.pk}/statement{query}")


def test_the_api_statement_walks_back_by_its_next_links(client_for: Any, people: Any, roots: Any) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    _pay(cato, mara, 6)
    _pay(mara, cato, 3, amount=50)
    mara.refresh_from_db()
    client = client_for("member")
    body = _statement(client, mara, "?limit=4").json()
    assert body["items"][0]["balance"] == mara.balance and body["opening"] is None
    lines = list(body["items"])
    while body["next"]:
        assert "limit=4" in body["next"]
        body = client.get(body["next"]).json()
        lines += body["items"]
    assert len(lines) == 9 and body["opening"] == 0
    ids = [line["transfer"] for line in lines]
    assert ids == sorted(ids, reverse=True)
    for newer, older in pairwise(lines):
        assert newer["balance"] == older["balance"] + newer["amount"]


def test_the_api_statement_is_the_pages_keyset(client_for: Any, people: Any, roots: Any) -> None:
    """One way to page a statement: the API's lines are ``statement_page``'s, cursor for cursor."""
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    _pay(cato, mara, 7)
    first = selectors.statement_page(account=mara, size=3)
    page = selectors.statement_page(account=mara, before=first.older, size=3)
    body = _statement(client_for("member"), mara, f"?limit=3&before={first.older}").json()
    assert [line["transfer"] for line in body["items"]] == [line.transfer.pk for line in page.lines]
    assert body["next"].endswith(f"before={page.older}")


def test_the_api_statement_keeps_its_dates(client_for: Any, people: Any, roots: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    _pay(cato, mara, 2)
    tomorrow = (timezone.now() + timedelta(days=1)).date()
    body = _statement(client_for("member"), mara, f"?since={tomorrow}").json()
    assert body == {"items": [], "next": None, "opening": 201}
    refused = _statement(
        client_for("member"), mara, f"?since={tomorrow}&until={tomorrow - timedelta(days=2)}"
    )
    assert refused.status_code == 400


def test_a_deep_api_statement_page_costs_the_first_pages_queries(
    client_for: Any, people: Any, roots: Any
) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    _pay(cato, mara, 30, amount=1)
    client = client_for("member")
    _statement(client, mara)
    deep_cursor = selectors.statement_page(account=mara, size=25).older

    def sql(query: str) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            assert _statement(client, mara, query).status_code == 200
        return [q["sql"] for q in captured.captured_queries]

    first, deep = sql("?limit=5"), sql(f"?limit=5&before={deep_cursor}")
    assert len(first) == len(deep)
    assert not [q for q in first + deep if " OFFSET " in q.upper()]


@pytest.mark.parametrize("cursor", ["abc", "0", "-1", "1e3", str(2**63)])
def test_a_bad_statement_cursor_is_refused_with_a_sentence(
    client_for: Any, people: Any, roots: Any, cursor: str
) -> None:
    mara = account_of(people["member"], roots)
    response = _statement(client_for("member"), mara, f"?before={cursor}")
    assert response.status_code == 400
    assert response.json()["field"] == "before" and "whole number" in response.json()["detail"]


# --- The summary's histogram -----------------------------------------------------------------


def _accounts_with(currency: Currency, balances: list[int]) -> None:
    """Member accounts holding ``balances``, made in two inserts whatever their number (only an
    UPDATE of a balance is refused outside a transfer; a restore inserts them the same way). Their
    holders are former members: the summary counts open member accounts, whoever holds them."""
    holders = Membership.objects.bulk_create(
        Membership(community=currency.community, status=Membership.Status.FORMER, display_name=f"m{i}")
        for i in range(len(balances))
    )
    Account.objects.bulk_create(
        Account(
            community=currency.community,
            currency=currency,
            owner_kind=Account.OwnerKind.MEMBER,
            owner_id=holder.pk,
            membership=holder,
            name=holder.display_name,
            balance=b,
            lower_limit=-(10**9),
            upper_limit=10**9,
        )
        for holder, b in zip(holders, balances, strict=True)
    )


def test_the_histogram_counts_what_a_hand_count_says(roots: Any) -> None:
    # Step 200 (six buckets of 200 span 730), starting at -400: the edges are never a balance.
    _accounts_with(roots, [-250, -10, 0, 0, 35, 120, 480])
    distribution = selectors.summary(currency=roots).distribution
    assert distribution.edges == [-400, -200, 0, 200, 400, 600]
    assert distribution.counts == [1, 1, 4, 0, 1]


def test_the_api_summary_gives_the_same_buckets(client_for: Any, roots: Any) -> None:
    _accounts_with(roots, [-250, -10, 0, 0, 35, 120, 480])
    body = client_for("observer").get(f"{API}/currencies/roots/summary").json()
    assert body["distribution"] == [
        {"from": -400, "to": -200, "accounts": 1},
        {"from": -200, "to": 0, "accounts": 1},
        {"from": 0, "to": 200, "accounts": 4},
        {"from": 200, "to": 400, "accounts": 0},
        {"from": 400, "to": 600, "accounts": 1},
    ]


def _reference(balances: list[int], edges: list[int]) -> list[int]:
    return [sum(1 for b in balances if low <= b < high) for low, high in pairwise(edges)]


def test_the_summary_costs_the_same_queries_for_10_or_1000_accounts(roots: Any) -> None:
    rng = random.Random(21)  # fixed: the assertion does not depend on luck
    balances: list[int] = []
    counts = []
    for n in (10, 1_000):
        more = [rng.randint(-9_000, 45_000) for _ in range(n - len(balances))]
        _accounts_with(roots, more)
        balances += more
        with CaptureQueriesContext(connection) as captured:
            distribution = selectors.summary(currency=roots).distribution
        counts.append(len(captured))
        assert distribution.counts == _reference(balances, distribution.edges)
        assert sum(distribution.counts) == n
        # No row per account: every read of the accounts is an aggregate, but the opted-in names.
        rows = [
            sql
            for sql in (q["sql"] for q in captured.captured_queries)
            if 'FROM "ledger_account"' in sql
            and "(" not in sql.split(" FROM ")[0]
            and "balance_public" not in sql
        ]
        assert not rows
    assert counts[0] == counts[1] <= 6
