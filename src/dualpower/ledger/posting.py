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
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
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


# On SQLite, postings made by the threads of one process queue here, in order, rather than on
# SQLite's lock, whose waiters poll and can starve under many simultaneous writers. Other
# processes (server workers) still queue on SQLite's lock, with its busy timeout.
_SQLITE_WRITERS = threading.Lock()


def busy_retry(work: Callable[[], T]) -> T:
    """Run ``work`` (one whole transaction), again if SQLite stayed busy past its timeout.

    With many writers at once SQLite's lock is not fair: a writer can wait its whole busy timeout
    and fail at BEGIN, before it wrote anything. Retrying then is safe and loses no payment. Inside
    a caller's transaction the lock is already held, so the error cannot arise there.
    """
    if connection.in_atomic_block or connection.vendor != "sqlite":
        return work()
    for attempt in range(BUSY_RETRIES):
        try:
            with _SQLITE_WRITERS:
                return work()
        except OperationalError as exc:
            if "locked" not in str(exc) or attempt == BUSY_RETRIES - 1:
                raise
            time.sleep(random.uniform(0.01, 0.1) * (attempt + 1))
    raise AssertionError("unreachable")  # pragma: no cover


# Keys the ledger makes itself start with "~", which a client's key may not: such a key cannot have
# been used before, so the posting skips the look-up for an earlier transfer.
GENERATED = "~"


def clean_key(key: str | None) -> str:
    key = (key or "").strip()
    if not key:
        return GENERATED + uuid.uuid4().hex
    if key.startswith(GENERATED):
        raise InvalidInput(_("An idempotency key may not start with “~”."), field="idempotency_key")
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
    marks = ", ".join(["%s"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT idempotency_key, debit_id, credit_id, amount FROM ledger_transfer "  # noqa: S608
            f"WHERE currency_id = %s AND idempotency_key IN ({marks})",
            [currency.pk, *keys],
        )
        found = {row[0]: row[1:] for row in cursor.fetchall()}
    if not found:
        return None
    same = len(found) == len(keys) and all(
        found.get(k) == (leg.debit, leg.credit, leg.amount) for k, leg in zip(keys, legs, strict=True)
    )
    if not same:
        raise Conflict(
            _("This idempotency key was already used for a different transfer."), field="idempotency_key"
        )
    by_key = {
        t.idempotency_key: t for t in Transfer.objects.filter(currency=currency, idempotency_key__in=keys)
    }
    replayed = [by_key[k] for k in keys]
    for transfer in replayed:
        transfer.replayed = True  # type: ignore[attr-defined]  # callers do not notify twice
    return replayed


@dataclass
class Locked:
    """An account row as the posting path reads it, under its lock (no ORM: this path is hot)."""

    pk: int
    community_id: int
    currency_id: int
    status: str
    name: str
    balance: int
    pending_debits: int
    pending_credits: int
    lower_limit: int
    upper_limit: int

    @property
    def is_open(self) -> bool:
        return self.status == Account.Status.OPEN

    @property
    def available(self) -> int:
        return self.balance - self.pending_debits - self.lower_limit


_LOCK_COLUMNS = (
    "id, community_id, currency_id, status, name, balance, pending_debits, pending_credits, "
    "lower_limit, upper_limit"
)


def _lock_rows(ids: Sequence[int]) -> dict[int, Locked]:
    """Lock the accounts in ascending id order (FOR UPDATE where the database has row locks)."""
    wanted = sorted(set(ids))
    marks = ", ".join(["%s"] * len(wanted))
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_LOCK_COLUMNS} FROM ledger_account WHERE id IN ({marks}) ORDER BY id{lock}",  # noqa: S608
            wanted,
        )
        return {row[0]: Locked(*row) for row in cursor.fetchall()}


def lock_accounts(ids: Sequence[int]) -> dict[int, Account]:
    """Lock the accounts in ascending id order and return them by id (missing ones are absent)."""
    rows = Account.objects.select_for_update().filter(pk__in=sorted(set(ids))).order_by("pk")
    return {a.pk: a for a in rows}


def usable(accounts: Mapping[int, Any], pk: int, currency: Currency, *, field: str) -> Any:
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


def over_limit(payer: Any, payee: Any, amount: int, currency: Currency) -> None:
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
    cases = " ".join("WHEN %s THEN %s" for _ in deltas)
    marks = ", ".join(["%s"] * len(deltas))
    params: list[int] = [x for pk, d in deltas.items() for x in (pk, d)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE ledger_account SET balance = balance + CASE id {cases} ELSE 0 END "  # noqa: S608
            f"WHERE id IN ({marks})",
            [*params, *deltas],
        )


_INSERT = (
    "INSERT INTO ledger_transfer (community_id, currency_id, debit_id, credit_id, amount, kind, description, "
    "idempotency_key, batch, corrects_id, created_by_id, decision_ref, created_at) "
    "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
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
) -> list[Transfer]:
    if not keys[0].startswith(GENERATED):
        replay = _replayed(currency, keys, legs)
        if replay is not None:
            return replay
    if len(legs) == 1 and connection.vendor == "sqlite":
        return _post_one_on_sqlite(
            currency=currency,
            leg=legs[0],
            key=keys[0],
            kind=kind,
            by=by,
            corrects=corrects,
            decision_ref=decision_ref,
        )
    accounts = _lock_rows([pk for leg in legs for pk in (leg.debit, leg.credit)])
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
    now = timezone.now()
    stored_now = connection.ops.adapt_datetimefield_value(now)
    by_id = by.pk if by is not None else None
    corrects_id = corrects.pk if corrects is not None else None
    rows = [
        (
            currency.community_id,
            currency.pk,
            leg.debit,
            leg.credit,
            leg.amount,
            kind,
            leg.description,
            key,
            batch,
            corrects_id,
            by_id,
            decision_ref,
            stored_now,
        )
        for leg, key in zip(legs, keys, strict=True)
    ]
    with connection.cursor() as cursor:
        if len(rows) == 1:
            cursor.execute(_INSERT + " RETURNING id", rows[0])
            ids = [cursor.fetchone()[0]]
        else:
            cursor.executemany(_INSERT, rows)
            marks = ", ".join(["%s"] * len(keys))
            cursor.execute(
                f"SELECT idempotency_key, id FROM ledger_transfer WHERE currency_id = %s "  # noqa: S608
                f"AND idempotency_key IN ({marks})",
                [currency.pk, *keys],
            )
            id_of = dict(cursor.fetchall())
            ids = [id_of[k] for k in keys]
    _move_balances(deltas)
    transfers = [_as_transfer((pk, *row[:12], now), currency) for pk, row in zip(ids, rows, strict=True)]
    return transfers


_FIELDS = [f.attname for f in Transfer._meta.concrete_fields]


def _as_transfer(row: tuple[Any, ...], currency: Currency) -> Transfer:
    """A Transfer from the values just written, in the model's column order (as a query would)."""
    transfer = Transfer.from_db(None, _FIELDS, row)
    transfer._state.fields_cache["currency"] = currency
    return transfer


def _post_one_on_sqlite(
    *,
    currency: Currency,
    leg: Leg,
    key: str,
    kind: str,
    by: Membership | None,
    corrects: Transfer | None,
    decision_ref: str,
) -> list[Transfer]:
    """One transfer in two statements, for SQLite, where the IMMEDIATE transaction already holds
    the database's single write lock: move both balances (the check constraints refuse a limit
    passed, as an IntegrityError that ``post`` explains) and read the rows back to validate them,
    then write the transfer. Anything wrong raises, and the whole transaction is undone."""
    if leg.debit == leg.credit:
        raise InvalidInput(_("An account cannot pay itself."), field="credit")
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE ledger_account SET balance = balance + CASE id WHEN %s THEN %s WHEN %s THEN %s "  # noqa: S608
            f"ELSE 0 END WHERE id IN (%s, %s) RETURNING {_LOCK_COLUMNS}",
            [leg.debit, -leg.amount, leg.credit, leg.amount, leg.debit, leg.credit],
        )
        accounts = {row[0]: Locked(*row) for row in cursor.fetchall()}
        usable(accounts, leg.debit, currency, field="debit")
        usable(accounts, leg.credit, currency, field="credit")
        now = timezone.now()
        cursor.execute(
            _INSERT + " RETURNING id",
            (
                currency.community_id,
                currency.pk,
                leg.debit,
                leg.credit,
                leg.amount,
                kind,
                leg.description,
                key,
                "",
                corrects.pk if corrects else None,
                by.pk if by else None,
                decision_ref,
                connection.ops.adapt_datetimefield_value(now),
            ),
        )
        pk = cursor.fetchone()[0]
    row = (
        pk, currency.community_id, currency.pk, leg.debit, leg.credit, leg.amount, kind, leg.description, key,
        "", corrects.pk if corrects else None, by.pk if by else None, decision_ref, now,
    )  # fmt: skip
    transfer = _as_transfer(row, currency)
    return [transfer]


def _explain_refusal(currency: Currency, legs: Sequence[Leg]) -> None:
    """After the database refused a posting, say why in a sentence (the same checks, read afresh)."""
    ids = sorted({pk for leg in legs for pk in (leg.debit, leg.credit)})
    marks = ", ".join(["%s"] * len(ids))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {_LOCK_COLUMNS} FROM ledger_account WHERE id IN ({marks})", ids)  # noqa: S608
        accounts = {row[0]: Locked(*row) for row in cursor.fetchall()}
    for leg in legs:
        payer = usable(accounts, leg.debit, currency, field="debit")
        payee = usable(accounts, leg.credit, currency, field="credit")
        over_limit(payer, payee, leg.amount, currency)
        payer.balance -= leg.amount
        payee.balance += leg.amount
    raise Conflict(_("The accounts changed while this payment was made; please try again."))


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
    inside: Callable[[list[Transfer]], None] | None = None,
) -> list[Transfer]:
    """Post ``legs`` all or nothing, in their own transaction (a savepoint inside a caller's).

    ``inside`` runs in the same transaction after a posting (not after a replay): notifications.
    """
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
    # The services clean a client's key first; one they generated passes through as it is.
    generated = bool(idempotency_key) and str(idempotency_key).startswith(GENERATED)
    key = str(idempotency_key) if generated else clean_key(idempotency_key)
    keys = _leg_keys(key, len(clean), linked or len(clean) > 1)
    batch = key if (linked or len(clean) > 1) else ""
    try:
        with transaction.atomic():
            transfers = _post_legs(
                currency=currency,
                legs=clean,
                keys=keys,
                batch=batch,
                kind=kind,
                by=by,
                corrects=corrects,
                decision_ref=decision_ref,
            )
            if inside is not None and not getattr(transfers[0], "replayed", False):
                inside(transfers)
            return transfers
    except IntegrityError:
        # Two identical requests raced past the first look-up (PostgreSQL): the loser finds the
        # winner's transfers now, or learns that its key was taken by different content.
        replay = _replayed(currency, keys, clean)
        if replay is not None:
            return replay
        # Otherwise a check constraint refused it (a limit, a closed account): say which.
        _explain_refusal(currency, clean)
        raise
