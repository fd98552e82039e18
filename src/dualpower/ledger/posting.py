"""Posting transfers: the part of the ledger that must never lose a unit.

Every posting goes through ``_post_legs``: in one transaction it locks the accounts involved in a
fixed order (ascending id, so two postings never wait on each other in a cycle; on PostgreSQL with
SELECT ... FOR UPDATE, on SQLite the IMMEDIATE transaction already holds the one write lock),
checks each account's limits against its locked balance, writes the transfers and moves the
balances. The check constraints on Account refuse a limit passed even if this code were wrong.

Idempotency: every transfer has a key, unique per currency. The same key with the same content
returns the transfer made the first time; with other content it is a 409.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext as _

from dualpower.errors import Conflict, InvalidInput, NotFound
from dualpower.ledger.models import Account, Currency, Transfer
from dualpower.members.models import Membership

KEY_MAX = 100
BUSY_RETRIES = 8
T = TypeVar("T")
DESCRIPTION_MAX = 200


@dataclass(frozen=True)
class Leg:
    """One movement of a linked set: ``amount`` from ``debit`` to ``credit`` (account ids)."""

    debit: int
    credit: int
    amount: int
    description: str = ""


def busy_retry(work: Callable[[], T]) -> T:
    """Run ``work`` (one whole transaction), again if SQLite stayed busy past its timeout.

    With many writers at once SQLite's lock is not fair: a writer can wait its whole busy timeout
    and fail at BEGIN, before it wrote anything. Retrying then is safe and loses no payment. Inside
    a caller's transaction the lock is already held, so the error cannot arise there.
    """
    for attempt in range(BUSY_RETRIES):
        try:
            return work()
        except OperationalError as exc:
            if connection.in_atomic_block or "locked" not in str(exc) or attempt == BUSY_RETRIES - 1:
                raise
            time.sleep(random.uniform(0.01, 0.1) * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


def clean_key(key: str | None) -> str:
    key = (key or "").strip()
    if not key:
        return uuid.uuid4().hex
    if len(key) > KEY_MAX - 4:  # room for the "/<n>" suffix of linked legs
        raise InvalidInput(_("An idempotency key has at most 96 characters."), field="idempotency_key")
    return key


def clean_description(text: str | None) -> str:
    text = (text or "").strip()
    if len(text) > DESCRIPTION_MAX:
        raise InvalidInput(
            _("A description has at most %(n)d characters.") % {"n": DESCRIPTION_MAX}, field="description"
        )
    return text


def check_amount(amount: object) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidInput(_("The amount must be a whole number of the smallest unit."), field="amount")
    if amount <= 0:
        raise InvalidInput(_("The amount must be more than zero."), field="amount")
    from dualpower.ledger.amounts import MAX_AMOUNT

    if amount > MAX_AMOUNT:
        raise InvalidInput(_("This amount is too large."), field="amount")
    return amount


def _leg_keys(key: str, n: int, linked: bool) -> list[str]:
    return [f"{key}/{i}" for i in range(n)] if linked else [key]


def _replayed(currency: Currency, keys: list[str], legs: Sequence[Leg]) -> list[Transfer] | None:
    """The transfers an earlier request with these keys made, if it was this same request."""
    found = {
        t.idempotency_key: t for t in Transfer.objects.filter(currency=currency, idempotency_key__in=keys)
    }
    if not found:
        return None
    same = len(found) == len(keys) and all(
        (t := found.get(k)) is not None
        and (t.debit_id, t.credit_id, t.amount) == (leg.debit, leg.credit, leg.amount)
        for k, leg in zip(keys, legs, strict=True)
    )
    if not same:
        raise Conflict(
            _("This idempotency key was already used for a different transfer."), field="idempotency_key"
        )
    replayed = [found[k] for k in keys]
    for transfer in replayed:
        transfer.replayed = True  # type: ignore[attr-defined]  # callers do not notify twice
    return replayed


def lock_accounts(ids: Sequence[int]) -> dict[int, Account]:
    """Lock the accounts in ascending id order and return them by id (missing ones are absent)."""
    rows = Account.objects.select_for_update().filter(pk__in=sorted(set(ids))).order_by("pk")
    return {a.pk: a for a in rows}


def usable(accounts: dict[int, Account], pk: int, currency: Currency, *, field: str) -> Account:
    account = accounts.get(pk)
    if account is None or account.community_id != currency.community_id:
        # Another community's account is "not found" here: nothing about it is revealed.
        raise NotFound(_("There is no account %(id)s in this community.") % {"id": pk})
    if account.currency_id != currency.pk:
        raise InvalidInput(
            _("Account %(name)s holds another currency, not %(currency)s.")
            % {"name": account.name, "currency": currency.name},
            field=field,
        )
    if not account.is_open:
        raise Conflict(_("The account %(name)s is closed.") % {"name": account.name})
    return account


def over_limit(payer: Account, payee: Account, amount: int, currency: Currency) -> None:
    """Refuse, with a sentence, a movement that would take either account past a limit."""
    if payer.balance - payer.pending_debits - amount < payer.lower_limit:
        can = max(0, payer.available)
        raise Conflict(
            _("This would take %(name)s past its credit limit: it can pay at most %(can)s now.")
            % {"name": payer.name, "can": currency.format(can)}
        )
    if payee.balance + payee.pending_credits + amount > payee.upper_limit:
        # The payee's own balance is private: say that it cannot receive, not how much it holds.
        raise Conflict(
            _("%(name)s's account cannot receive this much now (it would pass its upper limit).")
            % {"name": payee.name}
        )


def _move_balances(deltas: dict[int, int]) -> None:
    deltas = {pk: d for pk, d in deltas.items() if d}
    if not deltas:
        return
    Account.objects.filter(pk__in=list(deltas)).update(
        balance=F("balance")
        + Case(*(When(pk=pk, then=Value(d)) for pk, d in deltas.items()), default=Value(0))
    )


def _post_legs(
    *,
    currency: Currency,
    legs: Sequence[Leg],
    keys: list[str],
    batch: str,
    kind: str,
    by: Membership | None,
    corrects: Transfer | None,
    decision_ref: str,
    skip_limits: frozenset[int] = frozenset(),
) -> list[Transfer]:
    replay = _replayed(currency, keys, legs)
    if replay is not None:
        return replay
    accounts = lock_accounts([pk for leg in legs for pk in (leg.debit, leg.credit)])
    for leg in legs:
        usable(accounts, leg.debit, currency, field="debit")
        usable(accounts, leg.credit, currency, field="credit")
        if leg.debit == leg.credit:
            raise InvalidInput(_("An account cannot pay itself."), field="credit")
    # Apply the legs one after another to the locked balances: a linked set is checked as a whole,
    # in order, so no intermediate state passes a limit either.
    deltas: dict[int, int] = dict.fromkeys(accounts, 0)
    for leg in legs:
        payer, payee = accounts[leg.debit], accounts[leg.credit]
        over_limit(payer, payee, leg.amount, currency)
        payer.balance -= leg.amount
        payee.balance += leg.amount
        deltas[payer.pk] -= leg.amount
        deltas[payee.pk] += leg.amount
    transfers = [
        Transfer(
            community_id=currency.community_id,
            currency=currency,
            debit_id=leg.debit,
            credit_id=leg.credit,
            amount=leg.amount,
            kind=kind,
            description=leg.description,
            idempotency_key=key,
            batch=batch,
            corrects=corrects,
            created_by=by,
            decision_ref=decision_ref,
        )
        for leg, key in zip(legs, keys, strict=True)
    ]
    if len(transfers) == 1:
        transfers[0].save(force_insert=True)
    else:
        transfers = Transfer.objects.bulk_create(transfers)
        if any(t.pk is None for t in transfers):  # pragma: no cover - every supported DB returns ids
            transfers = list(
                Transfer.objects.filter(currency=currency, idempotency_key__in=keys).order_by("pk")
            )
    _move_balances(deltas)
    return transfers


def post(
    *,
    currency: Currency,
    legs: Sequence[Leg],
    idempotency_key: str | None = None,
    kind: str = Transfer.Kind.PAYMENT,
    by: Membership | None = None,
    corrects: Transfer | None = None,
    decision_ref: str = "",
    linked: bool = False,
) -> list[Transfer]:
    """Post ``legs`` all or nothing, in their own transaction (a savepoint inside a caller's)."""
    if not legs:
        raise InvalidInput(_("Give at least one transfer."), field="transfers")
    if len(legs) > 500:
        raise InvalidInput(_("At most 500 linked transfers at once."), field="transfers")
    clean = [
        Leg(
            debit=leg.debit,
            credit=leg.credit,
            amount=check_amount(leg.amount),
            description=clean_description(leg.description),
        )
        for leg in legs
    ]
    key = clean_key(idempotency_key)
    keys = _leg_keys(key, len(clean), linked or len(clean) > 1)
    batch = key if (linked or len(clean) > 1) else ""
    try:
        with transaction.atomic():
            return _post_legs(
                currency=currency,
                legs=clean,
                keys=keys,
                batch=batch,
                kind=kind,
                by=by,
                corrects=corrects,
                decision_ref=decision_ref,
            )
    except IntegrityError:
        # Two identical requests raced past the first look-up (PostgreSQL): the loser finds the
        # winner's transfers now, or learns that its key was taken by different content.
        replay = _replayed(currency, keys, clean)
        if replay is not None:
            return replay
        raise
