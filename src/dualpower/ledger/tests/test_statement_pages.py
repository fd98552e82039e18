"""The statement a page at a time (issue 21): keyset pages stable under new transfers, balances
right on every page, the CSV complete, and a number of queries that does not grow with the
history; the money summary without reading every transfer."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualpower.ledger import selectors, services
from dualpower.ledger.tests.factories import account_of

pytestmark = pytest.mark.django_db
BASE = "/c/riverside/money"


def _pay(debit: Any, credit: Any, n: int, amount: int = 100) -> None:
    for i in range(n):
        services.transfer_make(debit=debit, credit=credit, amount=amount + i, description=f"t{i}")


def test_pages_walk_back_with_the_right_balances(people: Any, roots: Any) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    _pay(cato, mara, 7)
    _pay(mara, cato, 5, amount=50)
    mara.refresh_from_db()
    first = selectors.statement_page(account=mara, size=4)
    assert first.newest and first.older is not None and first.opening is None
    assert first.lines[0].balance == mara.balance  # the newest line ends at today's balance
    seen, page = list(first.lines), first
    while page.older is not None:
        page = selectors.statement_page(account=mara, before=page.older, size=4)
        seen.extend(page.lines)
    assert page.opening == 0 and len(seen) == 12
    assert [line.transfer.pk for line in seen] == sorted((line.transfer.pk for line in seen), reverse=True)
    for newer, older in pairwise(seen):  # each balance follows from the next
        assert newer.balance == older.balance + newer.amount


def test_a_new_transfer_does_not_move_an_older_page(people: Any, roots: Any) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    _pay(cato, mara, 6)
    first = selectors.statement_page(account=mara, size=3)
    before = [
        line.transfer.pk for line in selectors.statement_page(account=mara, before=first.older, size=3).lines
    ]
    _pay(cato, mara, 2, amount=999)  # someone pays while the member reads
    after = [
        line.transfer.pk for line in selectors.statement_page(account=mara, before=first.older, size=3).lines
    ]
    assert before == after


def test_the_page_links_to_older_transfers_and_the_csv_has_them_all(
    client_for: Any, people: Any, roots: Any
) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    _pay(cato, mara, selectors.PAGE_SIZE + 5, amount=1)
    client = client_for("member")
    page = client.get(f"{BASE}/accounts/{mara.pk}/")
    older = page.context["page"].older
    assert len(page.context["page"].lines) == selectors.PAGE_SIZE
    assert f"before={older}" in page.content.decode()
    rest = client.get(f"{BASE}/accounts/{mara.pk}/?before={older}")
    assert len(rest.context["page"].lines) == 5 and rest.context["page"].opening == 0
    csv_lines = client.get(f"{BASE}/accounts/{mara.pk}/statement.csv").content.decode().splitlines()
    assert len(csv_lines) == 1 + selectors.PAGE_SIZE + 5


def _count(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


def test_the_statement_costs_the_same_with_few_or_many_transfers(
    client_for: Any, people: Any, roots: Any
) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    client = client_for("member")
    _pay(cato, mara, 2)
    few = _count(client, f"{BASE}/accounts/{mara.pk}/")
    _pay(cato, mara, selectors.PAGE_SIZE + 10)
    many = _count(client, f"{BASE}/accounts/{mara.pk}/")
    older = _count(client, f"{BASE}/accounts/{mara.pk}/?before={cato.pk and 10**9}")
    assert many <= few and older <= few
    assert few <= 25


def test_the_currency_summary_costs_the_same_with_few_or_many_transfers(
    client_for: Any, people: Any, roots: Any
) -> None:
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    client = client_for("member")
    _pay(cato, mara, 2)
    few = _count(client, f"{BASE}/roots/")
    _pay(cato, mara, 40)
    many = _count(client, f"{BASE}/roots/")
    assert many <= few and few <= 30


def test_running_totals_count_each_transfer_once(people: Any, roots: Any) -> None:
    from datetime import timedelta

    from django.utils import timezone

    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    _pay(cato, mara, 3)  # 100 + 101 + 102
    later = timezone.now() + timedelta(hours=1)  # all three settled: kept in the cache
    assert selectors.running_totals(currency=roots, now=later) == (3, 303)
    _pay(mara, cato, 1, amount=7)
    assert selectors.running_totals(currency=roots, now=later) == (4, 310)
    assert selectors.running_totals(currency=roots) == (4, 310)  # recent ones counted, not kept
    summary = selectors.summary(currency=roots)
    assert (summary.transfers, summary.volume, summary.volume_30_days) == (4, 310, 310)


def test_running_totals_recount_when_the_last_counted_transfer_is_gone(people: Any, roots: Any) -> None:
    from datetime import timedelta

    from django.core.cache import cache
    from django.utils import timezone

    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    _pay(cato, mara, 2)  # 100 + 101
    later = timezone.now() + timedelta(hours=1)
    key = selectors._totals_key(roots)
    cache.set(key, (10**9, 99, 9999), None)  # a count from a database since restored to before it
    assert selectors.running_totals(currency=roots, now=later) == (2, 201)


def test_a_period_pages_as_the_whole_statement_counts_it(people: Any, roots: Any) -> None:
    """Each filter's query (from, to, before: written once per shape) gives the lines and balances
    that the statement of the period (the CSV's, read oldest first) gives."""
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    _pay(cato, mara, 4)
    _pay(mara, cato, 3, amount=50)
    today = timezone.localdate()
    for since, until in ((today, None), (None, today), (today, today)):
        whole = selectors.statement(account=mara, since=since, until=until)
        lines, page = [], selectors.statement_page(account=mara, since=since, until=until, size=2)
        lines += page.lines
        while page.older is not None:
            page = selectors.statement_page(account=mara, since=since, until=until, before=page.older, size=2)
            lines += page.lines
        expected = [(x.transfer.pk, x.amount, x.balance) for x in reversed(whole.lines)]
        assert [(x.transfer.pk, x.amount, x.balance) for x in lines] == expected
        assert page.opening == whole.opening
    mara.refresh_from_db()
    assert selectors.statement_page(account=mara, before=2**70, size=3).lines[0].balance == mara.balance


def test_an_account_beyond_the_databases_ids_is_not_found(client_for: Any, people: Any) -> None:
    client = client_for("member")
    assert client.get(f"{BASE}/accounts/{2**64}/").status_code == 404
    assert client.get(f"/api/v1/communities/riverside/money/accounts/{2**64}/statement").status_code in {
        404,
        422,
    }
