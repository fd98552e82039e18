"""Demurrage: a monthly charge on positive balances, paid to the community account.

Money that sits still costs a little, so credit keeps circulating (Silvio Gesell's "rusting
money", used by the Wörgl scrip and the Chiemgauer). Set per currency in basis points a month
(100 = 1%). Charged once per calendar month, on the first clock tick of the month: the unique
(currency, period) run record and the per-account idempotency keys make a second run a no-op.
The fee is rounded down, so it never takes more than the rate.
"""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from dualpower.errors import Conflict
from dualpower.ledger.models import Account, Currency, DemurrageRun, Transfer
from dualpower.ledger.services.posting import Leg, lock_accounts, post


def period_of(now: datetime) -> str:
    return f"{now.year:04d}-{now.month:02d}"


def demurrage_fee(balance: int, basis_points: int) -> int:
    """The charge on one balance: rounded down, never negative."""
    if balance <= 0 or basis_points <= 0:
        return 0
    return balance * basis_points // 10_000


def demurrage_charge(*, currency: Currency, now: datetime) -> DemurrageRun | None:
    """Charge this month's demurrage once; None if it was already charged or is not due."""
    period = period_of(now)
    if currency.demurrage_basis_points <= 0 or not currency.is_active:
        return None
    # A currency started this month is first charged next month.
    if period_of(currency.created_at) == period:
        return None
    if DemurrageRun.objects.filter(currency=currency, period=period).exists():
        return None
    community_account = Account.objects.filter(
        currency=currency, owner_kind=Account.OwnerKind.COMMUNITY, status=Account.Status.OPEN
    ).first()
    if community_account is None:
        return None
    try:
        with transaction.atomic():
            run = DemurrageRun.objects.create(
                currency=currency, period=period, basis_points=currency.demurrage_basis_points
            )
            legs = []
            holder_ids = list(
                Account.objects.filter(currency=currency, status=Account.Status.OPEN, balance__gt=0)
                .exclude(pk=community_account.pk)
                .values_list("pk", flat=True)
            )
            # Every account this run will touch is locked now, in ascending id order like every
            # posting, and held to the end: locking each payer only when its turn came, while
            # holding the community account, could deadlock with a payment between the two.
            locked = lock_accounts([community_account.pk, *holder_ids])
            for pk in sorted(holder_ids):
                account = locked[pk]
                fee = min(demurrage_fee(account.balance, run.basis_points), max(0, account.available))
                if fee > 0:
                    legs.append((account, fee))
            charged = []
            for account, fee in legs:
                try:
                    post(
                        currency=currency,
                        legs=[
                            Leg(
                                account.pk,
                                community_account.pk,
                                fee,
                                _("Demurrage %(period)s (%(rate)s%%)")
                                % {"period": period, "rate": f"{run.basis_points / 100:g}"},
                            )
                        ],
                        idempotency_key=f"demurrage-{period}-{account.pk}",
                        kind=Transfer.Kind.DEMURRAGE,
                    )
                except Conflict:  # spent or reserved meanwhile: this account is skipped this month
                    continue
                charged.append(fee)
            run.accounts_charged = len(charged)
            run.total = sum(charged)
            # The run record is written before the transfers to claim the period; its totals after.
            DemurrageRun.objects.filter(pk=run.pk).update(
                accounts_charged=run.accounts_charged, total=run.total
            )
            return run
    except IntegrityError:  # another worker claimed this period first
        return None


def demurrage_charge_all(*, now: datetime) -> list[DemurrageRun]:
    runs = []
    for currency in Currency.objects.filter(is_active=True, demurrage_basis_points__gt=0).select_related(
        "community"
    ):
        run = demurrage_charge(currency=currency, now=now)
        if run is not None:
            runs.append(run)
    return runs
