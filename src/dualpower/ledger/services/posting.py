"""Posting transfers: the part of the ledger that must never lose a unit.

Every posting goes through ``_post_legs`` in one transaction, and writes its transfers in one
INSERT; the database moves both balances of each transfer in the same statement (a trigger, see
migration ledger 0003), and the check constraints on Account refuse a limit passed or a closed
account. On PostgreSQL the accounts are locked first, in a fixed order (ascending id, so two
postings never wait on each other in a cycle): by the INSERT itself for a single transfer, and
beforehand for a linked set, whose legs are then checked in order. On SQLite the IMMEDIATE
transaction already holds the one write lock. A refusal by the database is explained afterwards
in a sentence (``_explain_refusal``), and nothing is written.

Idempotency: every transfer has a key, unique per paying account (the debit). The same payer's key
with the same content returns the transfer made the first time; with other content it is a 409.
Another payer's use of the same key is a different transfer.
"""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, TypeVar

from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models.base import ModelState
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.clean import MAX_AMOUNT, clean_text
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


@dataclass(frozen=True)
class Posted:
    """What a posting did: the transfers, in the order of the legs, and whether they were made
    now or by an earlier request with the same idempotency key (``replayed``: nothing was written,
    so nobody is notified again and the API answers 200 rather than 201)."""

    transfers: tuple[Transfer, ...]
    replayed: bool = False

    @property
    def transfer(self) -> Transfer:
        """The one transfer of a single payment (a linked set has several: use ``transfers``)."""
        (transfer,) = self.transfers
        return transfer


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
    return clean_text(text, field="description", label=_("A description"), limit=DESCRIPTION_MAX)


def check_amount(amount: object) -> int:
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise InvalidInput(_("The amount must be a whole number of the smallest unit."), field="amount")
    if amount <= 0:
        raise InvalidInput(_("The amount must be more than zero."), field="amount")
    if amount > MAX_AMOUNT:
        raise InvalidInput(_("This amount is too large."), field="amount")
    return amount


def _clean_leg(leg: Leg) -> Leg:
    check_amount(leg.amount)
    description = clean_description(leg.description)
    if description == leg.description and type(leg) is Leg:
        return leg  # already clean: a batch of linked legs is not copied
    return Leg(debit=leg.debit, credit=leg.credit, amount=leg.amount, description=description)


def _leg_keys(key: str, n: int, linked: bool) -> list[str]:
    return [f"{key}/{i}" for i in range(n)] if linked else [key]


def _replayed(currency: Currency, keys: list[str], legs: Sequence[Leg]) -> list[Transfer] | None:
    """The transfers an earlier request with these keys made, if it was this same request.

    Keys belong to the paying account: only transfers from each leg's own payer count, so another
    member's use of the same key is not seen here (and their key never blocks this one).
    """
    marks = ", ".join(["%s"] * len(keys))
    payers = sorted({leg.debit for leg in legs})
    payer_marks = ", ".join(["%s"] * len(payers))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT idempotency_key, debit_id, credit_id, amount, id FROM ledger_transfer "  # noqa: S608
            f"WHERE debit_id IN ({payer_marks}) AND idempotency_key IN ({marks})",
            [*payers, *keys],
        )
        rows = cursor.fetchall()
    payer_of = {k: leg.debit for k, leg in zip(keys, legs, strict=True)}
    found = {row[0]: row for row in rows if payer_of.get(row[0]) == row[1]}
    if not found:
        return None
    same = len(found) == len(keys) and all(
        found[k][1:4] == (leg.debit, leg.credit, leg.amount) for k, leg in zip(keys, legs, strict=True)
    )
    if not same:
        raise Conflict(
            _("This idempotency key was already used for a different transfer."), field="idempotency_key"
        )
    by_id = {t.pk: t for t in Transfer.objects.filter(pk__in=[found[k][4] for k in keys])}
    return [by_id[found[k][4]] for k in keys]


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


def _read_rows(legs: Sequence[Leg], *, lock: bool) -> dict[int, Locked]:
    """The legs' accounts by id, in ascending id order, locked (FOR UPDATE) if asked and possible."""
    wanted = sorted({pk for leg in legs for pk in (leg.debit, leg.credit)})
    marks = ", ".join(["%s"] * len(wanted))
    clause = " FOR UPDATE" if lock and connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {_LOCK_COLUMNS} FROM ledger_account WHERE id IN ({marks}) ORDER BY id{clause}",  # noqa: S608
            wanted,
        )
        return {row[0]: Locked(*row) for row in cursor.fetchall()}


def _check_legs(accounts: Mapping[int, Locked], currency: Currency, legs: Sequence[Leg]) -> None:
    """Refuse, with a sentence, the first leg that cannot happen: an unusable account anywhere
    first, then the legs in order, so no state in between passes a limit either."""
    for leg in legs:
        usable(accounts, leg.debit, currency, field="debit")
        usable(accounts, leg.credit, currency, field="credit")
    for leg in legs:
        payer, payee = accounts[leg.debit], accounts[leg.credit]
        over_limit(payer, payee, leg.amount, currency)
        payer.balance -= leg.amount
        payee.balance += leg.amount


def lock_accounts(ids: Sequence[int]) -> dict[int, Account]:
    """Lock the accounts in ascending id order and return them by id (missing ones are absent)."""
    rows = Account.objects.select_for_update().filter(pk__in=sorted(set(ids))).order_by("pk")
    return {a.pk: a for a in rows}


class AccountState(Protocol):
    """What the limit checks read of an account: an Account, or a Locked row of the posting path."""

    @property
    def pk(self) -> int: ...
    @property
    def community_id(self) -> int: ...
    @property
    def currency_id(self) -> int: ...
    @property
    def name(self) -> str: ...
    @property
    def is_open(self) -> bool: ...
    @property
    def balance(self) -> int: ...
    @property
    def pending_debits(self) -> int: ...
    @property
    def pending_credits(self) -> int: ...
    @property
    def lower_limit(self) -> int: ...
    @property
    def upper_limit(self) -> int: ...
    @property
    def available(self) -> int: ...


A = TypeVar("A", bound=AccountState)


def usable(accounts: Mapping[int, A], pk: int, currency: Currency, *, field: str) -> A:
    """The account ``pk`` of ``accounts``, if a posting in ``currency`` may use it; else a refusal."""
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


def over_limit(payer: AccountState, payee: AccountState, amount: int, currency: Currency) -> None:
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


# The columns the posting writes, in the order of the values of a row (see _post_legs): every
# concrete column of Transfer but its id (test_posting checks that no field is forgotten).
INSERT_COLUMNS = (
    "community_id", "currency_id", "debit_id", "credit_id", "amount", "kind", "description",
    "idempotency_key", "batch", "corrects_id", "created_by_id", "decision_ref", "created_at",
)  # fmt: skip
_KEY_AT = INSERT_COLUMNS.index("idempotency_key")
_COLUMNS = f"INSERT INTO ledger_transfer ({', '.join(INSERT_COLUMNS)}) "
_ROW = "(" + ", ".join(["%s"] * len(INSERT_COLUMNS)) + ")"
# One statement that first locks both accounts in id order, then takes the transfer's id and
# writes it (the plan runs the lock as an InitPlan, before the row and its nextval): ids follow the
# order in which postings held an account, so a statement's running balance is one that existed.
_LOCKED_INSERT = f"""
    WITH locked AS MATERIALIZED (
        SELECT id FROM ledger_account WHERE id IN (%s, %s) ORDER BY id FOR UPDATE
    )
    {_COLUMNS}
    SELECT {_ROW[1:-1]} WHERE (SELECT count(*) FROM locked) = 2
    RETURNING id
"""  # noqa: S608  (built from the constants above only)


def _insert(rows: list[tuple[Any, ...]]) -> list[int]:
    """Write the transfers in one statement; the database moves the balances (its trigger).

    Returns no ids when an account of a single transfer does not exist (PostgreSQL).
    """
    with connection.cursor() as cursor:
        if len(rows) > 1:
            # RETURNING does not promise the rows' order: match them up by their keys.
            cursor.execute(
                _COLUMNS + "VALUES " + ", ".join([_ROW] * len(rows)) + " RETURNING idempotency_key, id",
                [value for row in rows for value in row],
            )
            id_of = dict(cursor.fetchall())
            return [id_of[row[_KEY_AT]] for row in rows]
        if connection.features.has_select_for_update:
            (row,) = rows
            cursor.execute(_LOCKED_INSERT, [row[2], row[3], *row])
        else:
            # SQLite: the IMMEDIATE transaction already holds the database's one write lock.
            cursor.execute(_COLUMNS + "VALUES " + _ROW + " RETURNING id", rows[0])
        return [pk for (pk,) in cursor.fetchall()]


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
) -> Posted:
    if not keys[0].startswith(GENERATED):
        replay = _replayed(currency, keys, legs)
        if replay is not None:
            return Posted(tuple(replay), replayed=True)
    if any(leg.debit == leg.credit for leg in legs):
        raise InvalidInput(_("An account cannot pay itself."), field="credit")
    if len(legs) > 1 and connection.features.has_select_for_update:
        # PostgreSQL runs postings side by side and its trigger takes a linked set as one
        # statement: lock the accounts (ascending id) and check the states in between here. A
        # single transfer's INSERT locks its accounts itself (_LOCKED_INSERT), and SQLite's
        # per-row trigger checks every leg with the one write lock held; a refusal by the
        # database is explained afterwards (_explain_refusal).
        _check_legs(_read_rows(legs, lock=True), currency, legs)
    now = timezone.now()
    stored_now = connection.ops.adapt_datetimefield_value(now)
    by_id = by.pk if by is not None else None
    corrects_id = corrects.pk if corrects is not None else None
    community_id, currency_id = currency.community_id, currency.pk
    rows = [  # in INSERT_COLUMNS order
        (community_id, currency_id, leg.debit, leg.credit, leg.amount, kind, leg.description, key, batch,
         corrects_id, by_id, decision_ref, stored_now)
        for leg, key in zip(legs, keys, strict=True)
    ]  # fmt: skip
    ids = _insert(rows)
    if not ids:
        _explain_refusal(currency, legs)
    alias = connection.alias
    return Posted(
        tuple(_as_transfer(pk, row, now, currency, alias) for pk, row in zip(ids, rows, strict=True))
    )


def _as_transfer(pk: int, row: tuple[Any, ...], now: datetime, currency: Currency, alias: str) -> Transfer:
    """A Transfer from the values just written (``row``, in INSERT_COLUMNS order), as a query makes it.

    Filled in directly rather than through Model.__init__, whose per-field work costs more than the
    write itself for a batch of linked transfers. That is safe while Transfer has no post_init
    receivers and no deferred fields (test_balances_in_the_database checks it equals a fresh read).
    """
    transfer = Transfer.__new__(Transfer)
    transfer.__dict__.update(zip(INSERT_COLUMNS, row, strict=True))
    transfer.__dict__.update(id=pk, created_at=now)  # the id given, the time as Python holds it
    state = transfer._state = ModelState()
    state.adding = False
    state.db = alias
    state.fields_cache["currency"] = currency
    return transfer


def _explain_refusal(currency: Currency, legs: Sequence[Leg]) -> None:
    """After the database refused a posting, say why in a sentence (the same checks, read afresh)."""
    _check_legs(_read_rows(legs, lock=False), currency, legs)
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
    inside: Callable[[Sequence[Transfer]], None] | None = None,
) -> Posted:
    """Post ``legs`` all or nothing, in their own transaction (a savepoint inside a caller's).

    Returns the transfers and whether they were a replay of an earlier request with the same key.
    ``inside`` runs in the same transaction after a posting (not after a replay): notifications.
    """
    if not legs:
        raise InvalidInput(_("Give at least one transfer."), field="transfers")
    if len(legs) > 500:
        raise InvalidInput(_("At most 500 linked transfers at once."), field="transfers")
    clean = [_clean_leg(leg) for leg in legs]
    # The services clean a client's key first; one they generated passes through as it is.
    generated = bool(idempotency_key) and str(idempotency_key).startswith(GENERATED)
    key = str(idempotency_key) if generated else clean_key(idempotency_key)
    keys = _leg_keys(key, len(clean), linked or len(clean) > 1)
    batch = key if (linked or len(clean) > 1) else ""
    try:
        with transaction.atomic():
            posted = _post_legs(
                currency=currency,
                legs=clean,
                keys=keys,
                batch=batch,
                kind=kind,
                by=by,
                corrects=corrects,
                decision_ref=decision_ref,
            )
            if inside is not None and not posted.replayed:
                inside(posted.transfers)
            return posted
    except IntegrityError:
        # Two identical requests raced past the first look-up (PostgreSQL): the loser finds the
        # winner's transfers now, or learns that its key was taken by different content.
        replay = _replayed(currency, keys, clean)
        if replay is not None:
            return Posted(tuple(replay), replayed=True)
        # Otherwise a check constraint refused it (a limit, a closed account): say which.
        _explain_refusal(currency, clean)
        raise
