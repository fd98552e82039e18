"""Balances follow the transfers in the database itself (migration ledger 0003), on both databases.

Rows are written here with raw SQL, past the posting code, to show what the database alone keeps:
a transfer moves both balances in the same statement, and a transfer that would break a rule is
refused whole.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from dualpower.errors import Conflict
from dualpower.ledger import selectors, services
from dualpower.ledger.models import Account, Transfer
from dualpower.ledger.services import Leg
from dualpower.ledger.tests.factories import CurrencyFactory, account_of, fresh
from dualpower.ops.triggers import insert_triggers, insert_triggers_suspended

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]

COLUMNS = (
    "community_id, currency_id, debit_id, credit_id, amount, kind, description, idempotency_key, batch, "
    "decision_ref, created_at"
)


def insert(*rows: tuple[Any, ...]) -> None:
    """Raw INSERT of (currency, debit, credit, amount, key) rows, in one statement."""
    marks = ", ".join(["(%s, %s, %s, %s, %s, 'payment', '', %s, '', '', %s)"] * len(rows))
    params: list[Any] = []
    for currency, debit, credit, amount, key in rows:
        params += [currency.community_id, currency.pk, debit.pk, credit.pk, amount, key, timezone.now()]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO ledger_transfer ({COLUMNS}) VALUES {marks}", params)  # noqa: S608


@pytest.fixture
def mara(people: Any, roots: Any) -> Account:
    return account_of(people["member"], roots)


@pytest.fixture
def cato(people: Any, roots: Any) -> Account:
    return account_of(people["coordinator"], roots)


def test_a_transfer_written_past_the_code_still_moves_both_balances(
    roots: Any, mara: Account, cato: Account
) -> None:
    insert((roots, mara, cato, 250, "raw-1"), (roots, cato, mara, 50, "raw-2"))
    assert (fresh(mara).balance, fresh(cato).balance) == (-200, 200)
    assert selectors.ledger_check().ok


def test_the_database_refuses_a_transfer_past_a_limit_and_writes_nothing(
    roots: Any, mara: Account, cato: Account
) -> None:
    with pytest.raises(IntegrityError):
        insert((roots, mara, cato, 10_001, "raw-1"))  # Mara may go 100.00 below zero
    assert not Transfer.objects.exists() and fresh(mara).balance == 0 and fresh(cato).balance == 0


def test_the_database_refuses_an_account_of_another_currency_or_community(
    people: Any, roots: Any, hours: Any, other_community: Any, mara: Account
) -> None:
    mara_hours = account_of(people["member"], hours)
    outsider = account_of(people["outsider"], CurrencyFactory.create(community=other_community))
    for wrong in (mara_hours, outsider):
        with pytest.raises(IntegrityError):
            insert((roots, mara, wrong, 100, "raw-1"))
    assert not Transfer.objects.exists()
    assert {a.balance for a in Account.objects.all()} == {0}


def test_the_database_refuses_a_payment_into_a_closed_account(
    roots: Any, mara: Account, cato: Account
) -> None:
    services.account_close(account=cato, by=None)
    with pytest.raises(IntegrityError):
        insert((roots, mara, cato, 100, "raw-1"))
    assert not Transfer.objects.exists()


def test_a_linked_set_is_checked_leg_by_leg_with_a_sentence(roots: Any, mara: Account, cato: Account) -> None:
    # Mara ends within her limit (-9,000 net) but would pass it after the first leg (-10,100).
    legs = [Leg(mara.pk, cato.pk, 10_100), Leg(cato.pk, mara.pk, 1_100)]
    with pytest.raises(Conflict, match="credit limit"):
        services.transfers_link(currency=roots, legs=legs)
    assert not Transfer.objects.exists() and fresh(mara).balance == 0


def test_a_posted_transfer_equals_a_fresh_read(roots: Any, mara: Account, cato: Account) -> None:
    made = services.transfers_link(currency=roots, legs=[Leg(mara.pk, cato.pk, 5), Leg(cato.pk, mara.pk, 2)])
    for transfer in made.transfers:
        stored = Transfer.objects.get(pk=transfer.pk)
        fields = [f.attname for f in Transfer._meta.concrete_fields]
        assert [getattr(transfer, f) for f in fields] == [getattr(stored, f) for f in fields]
        assert transfer.currency == roots and not transfer._state.adding


def test_a_restore_can_hold_the_balance_trigger_off_inside_a_transaction(
    roots: Any, mara: Account, cato: Account
) -> None:
    assert "ledger_transfer_moves_balances" in {t.name for t in insert_triggers()}
    with transaction.atomic(), insert_triggers_suspended():
        insert((roots, mara, cato, 100, "loaded"))
        assert fresh(mara).balance == 0  # loaded as it was: not moved again
    insert((roots, mara, cato, 100, "after"))
    assert fresh(mara).balance == -100  # the trigger is back


# --- A balance changes only by a transfer (migration ledger 0006) ---------------------------


def update_raw(sql: str, params: list[Any]) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_a_direct_update_of_a_balance_is_refused(mara: Account) -> None:
    with pytest.raises(IntegrityError, match="only by writing a transfer"):
        update_raw("UPDATE ledger_account SET balance = balance + 100 WHERE id = %s", [mara.pk])
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.filter(pk=mara.pk).update(balance=100)
    assert fresh(mara).balance == 0


def test_saving_a_stale_account_cannot_undo_a_payment(roots: Any, mara: Account, cato: Account) -> None:
    stale = fresh(mara)
    services.transfer_make(debit=mara, credit=cato, amount=100)
    with pytest.raises(IntegrityError), transaction.atomic():
        stale.save()  # would write back balance 0
    assert fresh(mara).balance == -100 and selectors.ledger_check().ok


def test_other_columns_of_an_account_still_change(roots: Any, mara: Account, cato: Account) -> None:
    services.transfer_make(debit=mara, credit=cato, amount=100)
    update_raw(
        "UPDATE ledger_account SET name = 'Mara B', lower_limit = -20000, balance = balance WHERE id = %s",
        [mara.pk],
    )
    services.account_limits_set(account=fresh(cato), lower_limit=-5_000, upper_limit=60_000, by=None)
    assert (fresh(mara).name, fresh(mara).lower_limit, fresh(mara).balance) == ("Mara B", -20_000, -100)
    assert fresh(cato).upper_limit == 60_000


def test_payments_corrections_linked_sets_and_requests_still_move_balances(
    roots: Any, mara: Account, cato: Account
) -> None:
    paid = services.transfer_make(debit=mara, credit=cato, amount=300).transfer
    services.transfers_link(currency=roots, legs=[Leg(mara.pk, cato.pk, 5), Leg(cato.pk, mara.pk, 2)])
    services.transfer_correct(transfer=paid, by=None, reason="By mistake")
    invoice = services.invoice_create(payee=cato, payer=mara, amount=40, description="Bread")
    services.invoice_accept(invoice=invoice, by=None)
    assert (fresh(mara).balance, fresh(cato).balance) == (-43, 43)
    assert selectors.ledger_check().ok
    if connection.vendor == "sqlite":  # the mark lasts only as long as the trigger's statement
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM ledger_balance_move")
            assert cursor.fetchone() == (0,)


def test_a_refused_posting_leaves_no_mark_behind(roots: Any, mara: Account, cato: Account) -> None:
    with pytest.raises(IntegrityError):
        insert((roots, mara, cato, 10_001, "raw-1"))  # past Mara's limit: refused whole
    with pytest.raises(IntegrityError, match="only by writing a transfer"):
        update_raw("UPDATE ledger_account SET balance = 5 WHERE id = %s", [mara.pk])
