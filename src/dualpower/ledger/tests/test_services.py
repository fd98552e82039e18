"""The ledger's rules, through its services: double entry, limits, idempotency, two phases."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone, translation

from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.ledger import selectors, services
from dualpower.ledger.models import Account, DemurrageRun, Invoice, Transfer
from dualpower.ledger.services import Leg
from dualpower.ledger.tests.factories import CurrencyFactory, account_of, balances_set_by_hand, fresh
from dualpower.ledger.units import units_of
from dualpower.members.tests.factories import membership_of

# Part of these rules is kept by the database itself (triggers, check constraints), and the posting
# path differs between SQLite and PostgreSQL: every rule is checked on both.
pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


@pytest.fixture
def mara(people: Any, roots: Any) -> Account:
    return account_of(people["member"], roots)


@pytest.fixture
def cato(people: Any, roots: Any) -> Account:
    return account_of(people["coordinator"], roots)


def test_a_new_currency_has_the_community_account(roots: Any) -> None:
    community_account = selectors.community_account(currency=roots)
    assert community_account is not None and community_account.owner_kind == "community"


def test_a_member_account_opens_with_the_policy_limits_and_only_once(people: Any, roots: Any) -> None:
    first = account_of(people["member"], roots)
    again = account_of(people["member"], roots)
    assert first.pk == again.pk
    assert (first.lower_limit, first.upper_limit) == (-10_000, 50_000)
    assert AuditEntry.objects.filter(action="ledger.account_open", target_id=str(first.pk)).count() == 1


def test_observers_do_not_hold_accounts(people: Any, roots: Any) -> None:
    with pytest.raises(PermissionDenied):
        account_of(people["observer"], roots)
    assert not Account.objects.filter(owner_kind="member").exists()


def test_a_payment_moves_the_amount_and_the_currency_sums_to_zero(mara: Account, cato: Account) -> None:
    services.transfer_make(debit=mara, credit=cato, amount=2_500, description="bread")
    assert fresh(mara).balance == -2_500 and fresh(cato).balance == 2_500
    assert sum(Account.objects.values_list("balance", flat=True)) == 0
    assert selectors.ledger_check().ok


def test_the_same_idempotency_key_makes_one_transfer(mara: Account, cato: Account) -> None:
    one = services.transfer_make(debit=mara, credit=cato, amount=100, idempotency_key="k")
    two = services.transfer_make(debit=mara, credit=cato, amount=100, idempotency_key="k")
    assert not one.replayed and two.replayed
    assert one.transfer.pk == two.transfer.pk and Transfer.objects.count() == 1 and fresh(cato).balance == 100


def test_the_same_key_with_other_content_is_a_conflict(mara: Account, cato: Account) -> None:
    services.transfer_make(debit=mara, credit=cato, amount=100, idempotency_key="k")
    with pytest.raises(Conflict):
        services.transfer_make(debit=mara, credit=cato, amount=999, idempotency_key="k")
    assert Transfer.objects.count() == 1 and fresh(cato).balance == 100


def test_no_account_goes_below_its_credit_limit(mara: Account, cato: Account) -> None:
    services.transfer_make(debit=mara, credit=cato, amount=10_000)
    with pytest.raises(Conflict, match="credit limit"):
        services.transfer_make(debit=mara, credit=cato, amount=1)
    assert fresh(mara).balance == -10_000 and Transfer.objects.count() == 1


def test_no_account_goes_above_its_upper_limit(people: Any, community: Any) -> None:
    roots = CurrencyFactory.create(community=community, default_upper_limit=1_000, highest_upper_limit=1_000)
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    with pytest.raises(Conflict, match="upper limit"):
        services.transfer_make(debit=mara, credit=cato, amount=1_001)
    assert fresh(cato).balance == 0 and not Transfer.objects.exists()


def test_the_database_itself_refuses_a_balance_past_the_limit(mara: Account) -> None:
    with pytest.raises(IntegrityError), transaction.atomic(), balances_set_by_hand():
        Account.objects.filter(pk=mara.pk).update(balance=-10_001)


def test_transfers_cannot_be_changed_or_deleted(mara: Account, cato: Account) -> None:
    transfer = services.transfer_make(debit=mara, credit=cato, amount=100).transfer
    with pytest.raises(DatabaseError), transaction.atomic():
        Transfer.objects.filter(pk=transfer.pk).update(amount=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        Transfer.objects.filter(pk=transfer.pk).delete()
    assert Transfer.objects.get(pk=transfer.pk).amount == 100


def test_a_correction_reverses_and_references_the_original_once(mara: Account, cato: Account) -> None:
    transfer = services.transfer_make(debit=mara, credit=cato, amount=700).transfer
    correction = services.transfer_correct(transfer=transfer, by=None, reason="wrong person")
    assert correction.corrects_id == transfer.pk and correction.kind == "correction"
    assert fresh(mara).balance == 0 and fresh(cato).balance == 0
    with pytest.raises(Conflict):
        services.transfer_correct(transfer=transfer, by=None)
    assert AuditEntry.objects.filter(action="ledger.transfer_correct").count() == 1


def test_linked_transfers_happen_all_or_nothing(
    people: Any, roots: Any, mara: Account, cato: Account
) -> None:
    third = services.account_open(currency=roots, owner_kind="working_group", owner_id=1, name="Food group")
    with pytest.raises(Conflict):
        # The second leg passes the food group's upper limit (0): the first must not happen either.
        services.transfers_link(
            currency=roots, legs=[Leg(mara.pk, cato.pk, 100), Leg(mara.pk, third.pk, 100)]
        )
    assert not Transfer.objects.exists() and fresh(mara).balance == 0
    made = services.transfers_link(
        currency=roots, legs=[Leg(mara.pk, cato.pk, 100), Leg(cato.pk, mara.pk, 40)]
    ).transfers
    assert len(made) == 2 and made[0].batch == made[1].batch != ""
    assert fresh(mara).balance == -60


def test_another_communitys_account_is_not_found(
    people: Any, roots: Any, other_community: Any, mara: Account
) -> None:
    theirs = CurrencyFactory.create(community=other_community)
    outsider = account_of(people["outsider"], theirs)
    with pytest.raises(InvalidInput):
        services.transfer_make(debit=mara, credit=outsider, amount=100)
    with pytest.raises(NotFound):
        services.transfers_link(currency=roots, legs=[Leg(mara.pk, outsider.pk, 100)])
    assert not Transfer.objects.exists()


def test_a_closed_account_neither_pays_nor_receives(mara: Account, cato: Account) -> None:
    services.account_close(account=cato, by=None)
    with pytest.raises(Conflict, match="closed"):
        services.transfer_make(debit=mara, credit=fresh(cato), amount=100)
    assert not Transfer.objects.exists()


def test_an_account_with_a_balance_cannot_be_closed(mara: Account, cato: Account) -> None:
    services.transfer_make(debit=mara, credit=cato, amount=100)
    with pytest.raises(Conflict):
        services.account_close(account=cato, by=None)
    assert fresh(cato).status == "open"


def test_a_payment_request_reserves_then_pays(mara: Account, cato: Account) -> None:
    invoice = services.invoice_create(payee=cato, payer=mara, amount=4_000, description="repairs")
    assert fresh(mara).pending_debits == 4_000 and fresh(cato).pending_credits == 4_000
    # The reservation counts against the limit: 100.00 credit less 40.00 reserved leaves 60.00.
    with pytest.raises(Conflict):
        services.transfer_make(debit=mara, credit=cato, amount=6_001)
    services.invoice_accept(invoice=invoice, by=None)
    mara_now = fresh(mara)
    assert (mara_now.balance, mara_now.pending_debits) == (-4_000, 0)
    invoice.refresh_from_db()
    assert (
        invoice.status == "accepted" and invoice.transfer is not None and invoice.transfer.kind == "invoice"
    )
    with pytest.raises(Conflict):
        services.invoice_accept(invoice=invoice, by=None)
    assert Transfer.objects.count() == 1 and selectors.ledger_check().ok


def test_a_rejected_request_releases_the_reservation(mara: Account, cato: Account) -> None:
    invoice = services.invoice_create(payee=cato, payer=mara, amount=4_000)
    services.invoice_reject(invoice=invoice, by=None)
    assert fresh(mara).pending_debits == 0 and fresh(cato).pending_credits == 0
    assert not Transfer.objects.exists()


def test_requests_expire_after_the_timeout_once(mara: Account, cato: Account) -> None:
    invoice = services.invoice_create(payee=cato, payer=mara, amount=4_000)
    later = timezone.now() + timedelta(days=15)
    assert services.invoices_expire(now=timezone.now()) == 0
    assert services.invoices_expire(now=later) == 1
    assert services.invoices_expire(now=later) == 0
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.EXPIRED and fresh(mara).pending_debits == 0


def test_limits_change_within_policy_bounds_and_are_audited(mara: Account) -> None:
    services.account_limits_set(account=mara, lower_limit=-30_000, upper_limit=100_000, by=None)
    assert (fresh(mara).lower_limit, fresh(mara).upper_limit) == (-30_000, 100_000)
    with pytest.raises(PermissionDenied, match="assembly"):
        services.account_limits_set(account=mara, lower_limit=-30_001, upper_limit=100_000, by=None)
    entry = AuditEntry.objects.get(action="ledger.set_credit_limit")
    assert entry.data["after"] == {"lower": -30_000, "upper": 100_000}


def test_a_limit_the_balance_already_passes_is_refused(mara: Account, cato: Account) -> None:
    services.transfer_make(debit=mara, credit=cato, amount=5_000)
    with pytest.raises(Conflict):
        services.account_limits_set(account=mara, lower_limit=-4_000, upper_limit=50_000, by=None)
    assert fresh(mara).lower_limit == -10_000


def test_the_assembly_action_sets_a_limit_beyond_the_bounds(community: Any, mara: Account) -> None:
    from dualpower.assemblies import actions

    kind = actions.get("ledger.set_credit_limit")
    params = kind.validate(community, {"account": mara.pk, "lower": -90_000, "upper": 200_000})
    decision = actions.Decision(
        ref="proposal:7", community=community, assembly_id=1, proposal_id=7, title="t"
    )
    done = kind.run(community=community, params=params, decision=decision)
    assert fresh(mara).lower_limit == -90_000
    assert AuditEntry.objects.get(action="ledger.set_credit_limit").decision_ref == "proposal:7"
    # What it did is kept untranslated and read in the reader's language, amounts in their format.
    spec, _sentence = actions.result_stored(done)
    with translation.override("es"):
        spanish = actions.result_shown(spec, "")
    with translation.override("en"):
        english = actions.result_shown(spec, "")
    assert spanish.startswith("Fijar los límites") and "-900,00" in spanish and "(máximo)" in spanish
    assert english.startswith("Set the limits") and "-900.00" in english and "2,000.00" in english
    with pytest.raises(InvalidInput):
        kind.validate(community, {"account": mara.pk, "lower": 5, "upper": 0})


def test_demurrage_is_charged_once_per_month_rounded_down(people: Any, community: Any) -> None:
    roots = CurrencyFactory.create(community=community, demurrage_basis_points=100)
    mara, cato = account_of(people["member"], roots), account_of(people["coordinator"], roots)
    services.transfer_make(debit=mara, credit=cato, amount=9_999)
    next_month = timezone.now() + timedelta(days=32)
    run = services.demurrage_charge(currency=roots, now=next_month)
    assert run is not None and run.total == 99  # 1% of 99.99, rounded down
    assert services.demurrage_charge(currency=roots, now=next_month) is None
    assert DemurrageRun.objects.count() == 1
    assert fresh(cato).balance == 9_900
    assert selectors.community_account(currency=roots).balance == 99  # type: ignore[union-attr]
    assert selectors.ledger_check().ok


def test_demurrage_waits_for_the_first_full_month(people: Any, community: Any) -> None:
    roots = CurrencyFactory.create(community=community, demurrage_basis_points=100)
    assert services.demurrage_charge(currency=roots, now=timezone.now()) is None


def test_statement_filters_by_dates_with_running_balances(mara: Account, cato: Account) -> None:
    services.transfer_make(debit=mara, credit=cato, amount=100)
    services.transfer_make(debit=cato, credit=mara, amount=30)
    st = selectors.statement(account=mara)
    assert [line.amount for line in st.lines] == [-100, 30] and st.closing == -70
    tomorrow = (timezone.now() + timedelta(days=1)).date()
    later = selectors.statement(account=mara, since=tomorrow)
    assert later.opening == -70 and later.lines == []


def test_the_summary_hides_balances_unless_opted_in(
    people: Any, roots: Any, mara: Account, cato: Account
) -> None:
    services.transfer_make(debit=mara, credit=cato, amount=100)
    assert selectors.summary(currency=roots).public_balances == []
    services.account_visibility_set(
        account=cato, balance_public=True, by=membership_of(people["coordinator"], roots.community)
    )
    assert selectors.summary(currency=roots).public_balances == [("Cato", 100)]


def test_the_check_finds_a_balance_that_does_not_match(mara: Account, cato: Account) -> None:
    services.transfer_make(debit=mara, credit=cato, amount=100)
    with balances_set_by_hand():
        Account.objects.filter(pk=cato.pk).update(balance=99, upper_limit=50_000)
    report = selectors.ledger_check()
    assert not report.ok and any("transfers say 100" in p for p in report.problems)


def test_time_bank_amounts_are_minutes(people: Any, hours: Any) -> None:
    a, b = account_of(people["member"], hours), account_of(people["coordinator"], hours)
    services.transfer_make(debit=a, credit=b, amount=units_of(hours, "1:30"))
    assert fresh(b).balance == 90 and hours.format(90) == "1:30 h"
    with pytest.raises(InvalidInput):
        units_of(hours, "0.01")


def test_a_request_beyond_the_payers_credit_is_refused_without_their_figures(
    mara: Account, cato: Account
) -> None:
    with pytest.raises(Conflict) as refused:
        services.invoice_create(payee=cato, payer=mara, amount=10_001)
    assert "100.00" not in refused.value.detail and "Mara" in refused.value.detail
    assert not Invoice.objects.exists() and fresh(mara).pending_debits == 0


def test_a_client_key_cannot_pose_as_a_generated_one(mara: Account, cato: Account) -> None:
    with pytest.raises(InvalidInput):
        services.transfer_make(debit=mara, credit=cato, amount=1, idempotency_key="~abc")
    assert not Transfer.objects.exists()


def test_idempotency_keys_are_scoped_to_the_payer(mara: Account, cato: Account) -> None:
    first = services.transfer_make(debit=mara, credit=cato, amount=10, idempotency_key="k")
    replay = services.transfer_make(debit=mara, credit=cato, amount=10, idempotency_key="k")
    theirs = services.transfer_make(debit=cato, credit=mara, amount=10, idempotency_key="k")
    assert replay.replayed and replay.transfer.pk == first.transfer.pk
    assert not theirs.replayed and theirs.transfer.pk != first.transfer.pk
    with pytest.raises(Conflict, match="already used"):
        services.transfer_make(debit=mara, credit=cato, amount=11, idempotency_key="k")
    # Payment requests: the key belongs to the account that asks.
    asked = services.invoice_create(payee=cato, payer=mara, amount=5, idempotency_key="q")
    mine = services.invoice_create(payee=mara, payer=cato, amount=5, idempotency_key="q")
    assert asked.pk != mine.pk
    assert services.invoice_create(payee=cato, payer=mara, amount=5, idempotency_key="q").pk == asked.pk


def test_a_correction_key_cannot_be_claimed_by_the_payee_beforehand(mara: Account, cato: Account) -> None:
    paid = services.transfer_make(debit=mara, credit=cato, amount=100).transfer
    services.transfer_make(debit=cato, credit=mara, amount=1, idempotency_key=f"correction-of-{paid.pk}")
    correction = services.transfer_correct(transfer=paid, by=None)
    assert correction.corrects_id == paid.pk and fresh(cato).balance == -1
    with pytest.raises(Conflict, match="already been corrected"):
        services.transfer_correct(transfer=paid, by=None)
