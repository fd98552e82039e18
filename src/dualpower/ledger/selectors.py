"""Reads about the ledger: currencies, accounts, statements, requests, summaries, the check.

``accounts_of`` is the interface other apps (cooperatives, land trust) use to find accounts.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, F, Max, Min, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.ledger.models import Account, Currency, Invoice, Transfer
from dualpower.members.models import Membership
from dualpower.web.prepared import Prepared

# The widest id both databases store (a signed 64-bit column): beyond it nothing is found.
MAX_ID = 2**63 - 1


def currencies_of(*, community: Community, include_inactive: bool = True) -> QuerySet[Currency]:
    qs = Currency.objects.filter(community=community)
    return qs if include_inactive else qs.filter(is_active=True)


def currency_get(*, community: Community, code: str) -> Currency:
    currency = Currency.objects.filter(community=community, code=code).select_related("community").first()
    if currency is None:
        raise NotFound(
            _("%(community)s has no currency “%(code)s”.") % {"community": community.name, "code": code}
        )
    return currency


def accounts_of(
    *,
    community: Community,
    owner_kind: str | None = None,
    owner_id: int | None = None,
    membership: Membership | None = None,
    currency: Currency | None = None,
    include_closed: bool = False,
) -> QuerySet[Account]:
    """The community's accounts, narrowed by owner and currency; open ones unless asked."""
    qs = Account.objects.filter(community=community).select_related("currency", "membership")
    if membership is not None:
        qs = qs.filter(owner_kind=Account.OwnerKind.MEMBER, owner_id=membership.pk)
    if owner_kind is not None:
        qs = qs.filter(owner_kind=owner_kind)
    if owner_id is not None:
        qs = qs.filter(owner_id=owner_id)
    if currency is not None:
        qs = qs.filter(currency=currency)
    if not include_closed:
        qs = qs.filter(status=Account.Status.OPEN)
    return qs.order_by("currency__name", "name", "pk")


_open_accounts_of_owner = Prepared(
    lambda community, kind, owner: (
        Account.objects.filter(
            community_id=community, owner_kind=kind, owner_id=owner, status=Account.Status.OPEN
        )
        .select_related("currency", "membership")
        .order_by("currency__name", "name", "pk")
    ),
    community=int,
    kind=str,
    owner=int,
)


def open_accounts_of_owner(*, community: Community, owner_kind: str, owner_id: int) -> list[Account]:
    """``accounts_of(community=…, owner_kind=…, owner_id=…)`` as a list, its SQL written once per
    process (a co-op's or a home's page reads it on every visit)."""
    found = _open_accounts_of_owner(community=community.pk, kind=owner_kind, owner=owner_id)
    for account in found:
        account.community = community
    return found


_account_by_pk = Prepared(
    lambda community, pk: Account.objects.filter(community_id=community, pk=pk).select_related(
        "currency", "membership"
    ),
    community=int,
    pk=int,
)


def account_get(*, community: Community, pk: int) -> Account:
    """One account of this community; another community's account is not found here. Its
    community (and its currency's, the same) is ``community`` itself, not read again."""
    found = _account_by_pk(community=community.pk, pk=pk) if -MAX_ID <= pk <= MAX_ID else []
    if not found:
        raise NotFound(_("There is no account %(id)s in this community.") % {"id": pk})
    account = found[0]
    account.community = community
    if account.currency.community_id == community.pk:
        account.currency.community = community
    return account


def community_account(*, currency: Currency) -> Account | None:
    return Account.objects.filter(
        currency=currency, owner_kind=Account.OwnerKind.COMMUNITY, status=Account.Status.OPEN
    ).first()


def member_accounts(*, currency: Currency, exclude: Account | None = None) -> QuerySet[Account]:
    """Whom one can pay or ask: the open accounts of members (and the community's own)."""
    qs = Account.objects.filter(currency=currency, status=Account.Status.OPEN).select_related("membership")
    qs = qs.filter(
        Q(owner_kind=Account.OwnerKind.MEMBER, membership__status=Membership.Status.ACTIVE)
        | ~Q(owner_kind=Account.OwnerKind.MEMBER)
    )
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.order_by("name", "pk")


def transfer_get(*, community: Community, pk: int) -> Transfer:
    transfer = (
        Transfer.objects.filter(community=community, pk=pk)
        .select_related("currency", "debit", "credit")
        .first()
    )
    if transfer is None:
        raise NotFound(_("There is no transfer %(id)s in this community.") % {"id": pk})
    return transfer


def invoice_get(*, community: Community, pk: int) -> Invoice:
    invoice = (
        Invoice.objects.filter(community=community, pk=pk)
        .select_related("currency__community", "payer__membership", "payee__membership", "transfer")
        .first()
    )
    if invoice is None:
        raise NotFound(_("There is no payment request %(id)s in this community.") % {"id": pk})
    return invoice


def invoices_for(*, membership: Membership, status: str | None = None) -> QuerySet[Invoice]:
    """Requests to or from the member's accounts, newest first."""
    mine = Account.objects.filter(owner_kind=Account.OwnerKind.MEMBER, owner_id=membership.pk).values("pk")
    qs = Invoice.objects.filter(Q(payer_id__in=mine) | Q(payee_id__in=mine)).select_related(
        "currency", "payer", "payee"
    )
    if status is not None:
        qs = qs.filter(status=status)
    return qs


def invoices_to_answer(*, membership: Membership) -> QuerySet[Invoice]:
    mine = Account.objects.filter(owner_kind=Account.OwnerKind.MEMBER, owner_id=membership.pk).values("pk")
    return Invoice.objects.filter(payer_id__in=mine, status=Invoice.Status.PENDING).select_related(
        "currency", "payer", "payee"
    )


# --- Statements ------------------------------------------------------------------------


@dataclass(frozen=True)
class StatementLine:
    transfer: Transfer
    amount: int  # + received, - paid
    balance: int  # after this transfer
    other: Account


@dataclass(frozen=True)
class Statement:
    account: Account
    since: date | None
    until: date | None
    opening: int
    closing: int
    received: int
    paid: int
    lines: list[StatementLine] = field(default_factory=list)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def statement(*, account: Account, since: date | None = None, until: date | None = None) -> Statement:
    """The account's transfers between two dates (inclusive), oldest first, with running balances."""
    involved = Transfer.objects.filter(Q(debit=account) | Q(credit=account))
    before = involved
    if since is not None:
        before = involved.filter(created_at__lt=_day_start(since))
        opening = _net(before, account)
    else:
        opening = 0
    rows = involved
    if since is not None:
        rows = rows.filter(created_at__gte=_day_start(since))
    if until is not None:
        rows = rows.filter(created_at__lt=_day_start(until + timedelta(days=1)))
    rows = rows.select_related("debit", "credit").order_by("created_at", "pk")
    lines = []
    balance = opening
    received = paid = 0
    for transfer in rows:
        if transfer.credit_id == account.pk:
            amount, other = transfer.amount, transfer.debit
            received += amount
        else:
            amount, other = -transfer.amount, transfer.credit
            paid += transfer.amount
        balance += amount
        lines.append(StatementLine(transfer=transfer, amount=amount, balance=balance, other=other))
    return Statement(
        account=account,
        since=since,
        until=until,
        opening=opening,
        closing=balance,
        received=received,
        paid=paid,
        lines=lines,
    )


PAGE_SIZE = 50


@dataclass(frozen=True)
class StatementPage:
    """One page of a statement, newest first, found by keyset (``before``: a transfer's id).

    A new transfer never moves the lines of a page already linked to: pages are "older than
    transfer N", not "page 3". ``older`` is the cursor of the next page (None on the last one),
    where the opening balance is shown.
    """

    account: Account
    since: date | None
    until: date | None
    lines: list[StatementLine]
    older: int | None
    newest: bool  # the first page (no cursor)
    opening: int | None  # the balance before the period, on the last page only


def _side_page(side: str, since: bool, until: bool, before: bool, limit: int) -> Prepared[Transfer]:
    """The newest ``limit`` transfers of an account on one ``side`` (debit or credit), with the
    other account, narrowed by the filters present (their SQL written once per process and shape;
    the limit is part of the text, so that a page is read by keyset alone, with no OFFSET)."""
    counterpart = "credit" if side == "debit" else "debit"

    def build(account: int, **values: Any) -> QuerySet[Transfer]:
        qs = Transfer.objects.filter(**{f"{side}_id": account})
        if since:
            qs = qs.filter(created_at__gte=values["since"])
        if until:
            qs = qs.filter(created_at__lt=values["until"])
        if before:
            qs = qs.filter(pk__lt=values["before"])
        return qs.select_related(counterpart).order_by("-pk")[:limit]

    kinds: dict[str, type] = {"account": int}
    kinds.update({name: datetime for name, present in (("since", since), ("until", until)) if present})
    if before:
        kinds["before"] = int
    return Prepared(build, **kinds)  # type: ignore[arg-type]  # values' names, never "window"


# One per side, filters present and page size (the API's limit goes to 200): bounded all the same.
_SIDES_MAX = 500
_sides: dict[tuple[str, bool, bool, bool, int], Prepared[Transfer]] = {}


_BALANCE_AFTER = (
    "SELECT a.balance - COALESCE((SELECT SUM(CASE WHEN t.credit_id = %s THEN t.amount ELSE -t.amount END)"
    " FROM {transfer} t WHERE (t.debit_id = %s OR t.credit_id = %s) AND t.id > %s), 0)"
    " FROM {account} a WHERE a.id = %s"
)


def _balance_after(*, account: Account, transfer: int) -> int:
    """The account's balance just after ``transfer``: its balance now less what the transfers
    after it moved, read in one statement (one snapshot: a transfer written meanwhile is in both
    or in neither). Balances move only with transfers (a trigger, migration 0003), so this is the
    sum of every transfer up to it, without reading them: the newest page reads none."""
    t, a = (connection.ops.quote_name(m._meta.db_table) for m in (Transfer, Account))
    # Only the tables' names are put into the text; every value is a parameter.
    sql = _BALANCE_AFTER.format(transfer=t, account=a)
    with connection.cursor() as cursor:
        cursor.execute(sql, [account.pk, account.pk, account.pk, transfer, account.pk])
        row = cursor.fetchone()
    return int(row[0])


def statement_page(
    *,
    account: Account,
    since: date | None = None,
    until: date | None = None,
    before: int | None = None,
    size: int = PAGE_SIZE,
) -> StatementPage:
    """A page of the account's transfers between two dates (inclusive), newest first, with the
    balance after each one. In a bounded number of queries, whatever the account's history: the
    newest ``size + 1`` transfers on each side (debit, credit) by index, merged, and one sum for
    the balance after the newest line (every transfer up to it: transfers are never changed)."""
    sides: list[Transfer] = []
    for side in ("debit", "credit"):
        shape = (side, since is not None, until is not None, before is not None, size + 1)
        read = _sides.get(shape)
        if read is None:
            if len(_sides) >= _SIDES_MAX:
                _sides.clear()
            read = _sides.setdefault(shape, _side_page(*shape))
        values: dict[str, Any] = {"account": account.pk}
        if since is not None:
            values["since"] = _day_start(since)
        if until is not None:
            values["until"] = _day_start(until + timedelta(days=1))
        if before is not None:
            values["before"] = min(before, MAX_ID)  # no id is beyond it
        sides.extend(read(**values))
    rows = sorted({t.pk: t for t in sides}.values(), key=lambda t: t.pk, reverse=True)
    more = len(rows) > size
    rows = rows[:size]
    lines: list[StatementLine] = []
    last_opening = 0
    if rows:
        balance = _balance_after(account=account, transfer=rows[0].pk)
        for transfer in rows:
            if transfer.credit_id == account.pk:
                amount, other = transfer.amount, transfer.debit
            else:
                amount, other = -transfer.amount, transfer.credit
            lines.append(StatementLine(transfer=transfer, amount=amount, balance=balance, other=other))
            balance -= amount
        last_opening = balance
    opening: int | None = None
    if not more:
        if lines:
            opening = last_opening
        elif since is not None:
            opening = _net(
                Transfer.objects.filter(
                    Q(debit=account) | Q(credit=account), created_at__lt=_day_start(since)
                ),
                account,
            )
        else:
            opening = 0
    return StatementPage(
        account=account,
        since=since,
        until=until,
        lines=lines,
        older=rows[-1].pk if more else None,
        newest=before is None,
        opening=opening,
    )


def _net(qs: QuerySet[Transfer], account: Account) -> int:
    got = qs.filter(credit=account).aggregate(s=Sum("amount"))["s"] or 0
    gave = qs.filter(debit=account).aggregate(s=Sum("amount"))["s"] or 0
    return int(got - gave)


# --- Summary ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """How many member accounts hold how much, without any one balance: ``counts[i]`` accounts
    hold from ``edges[i]`` to just under ``edges[i + 1]`` (``distribution_edges``)."""

    edges: list[int]
    counts: list[int]

    def buckets(self) -> list[tuple[int, int, int]]:
        """(from, to, accounts) for each bucket."""
        return [(low, high, n) for (low, high), n in zip(pairwise(self.edges), self.counts, strict=True)]


@dataclass(frozen=True)
class Summary:
    currency: Currency
    accounts: int
    transfers: int
    volume: int
    volume_30_days: int
    distribution: Distribution  # member accounts only, anonymous: for the distribution chart
    public_balances: list[tuple[str, int]]  # holders who opted in


# Transfers older than this are settled: no transaction still open can give one a smaller id.
SETTLED = timedelta(minutes=5)


def _totals_key(currency: Currency) -> str:
    # The currency's creation time too: a test database (or a restore) may reuse an id.
    return f"ledger:totals:{currency.pk}:{currency.created_at.timestamp() if currency.created_at else 0}"


def running_totals(*, currency: Currency, now: datetime | None = None) -> tuple[int, int]:
    """How many transfers a currency has had and their volume, in one query that reads only the
    transfers since the last count (transfers are append-only: a count once made stays true).

    The count of settled transfers is kept in the process's cache with the id of the last one
    counted; each call adds the transfers after it (by the index on currency and id).
    """
    now = now or timezone.now()
    key = _totals_key(currency)
    last, count, volume = cache.get(key) or (0, 0, 0)
    if last and not Transfer.objects.filter(pk=last, currency=currency).exists():
        last, count, volume = 0, 0, 0  # the database was restored to before the last count: recount
    settled = Q(created_at__lt=now - SETTLED)
    new = Transfer.objects.filter(currency=currency, pk__gt=last).aggregate(
        n_settled=Count("pk", filter=settled),
        v_settled=Sum("amount", filter=settled),
        top_settled=Max("pk", filter=settled),
        n_recent=Count("pk", filter=~settled),
        v_recent=Sum("amount", filter=~settled),
        low_recent=Min("pk", filter=~settled),
    )
    count += new["n_settled"] or 0
    volume += int(new["v_settled"] or 0)
    if new["top_settled"] and (new["low_recent"] is None or new["low_recent"] > new["top_settled"]):
        cache.set(key, (new["top_settled"], count, volume), None)
    return count + (new["n_recent"] or 0), volume + int(new["v_recent"] or 0)


def summary(*, currency: Currency, now: datetime | None = None) -> Summary:
    """What anyone admitted may know about a currency: no individual balance unless opted in.

    Does not read every transfer: the all-time totals are kept up to date by ``running_totals``
    and the last 30 days are read by the index on the transfers' time. Nor every balance: the
    histogram is counted by the database (``_distribution``), in the same queries for ten
    accounts or fifty thousand.
    """
    now = now or timezone.now()
    count, volume = running_totals(currency=currency, now=now)
    recent = Transfer.objects.filter(currency=currency, created_at__gte=now - timedelta(days=30)).aggregate(
        v=Sum("amount")
    )
    open_accounts = Account.objects.filter(currency=currency, status=Account.Status.OPEN)
    member = Q(owner_kind=Account.OwnerKind.MEMBER)
    counted = open_accounts.aggregate(
        accounts=Count("pk"), low=Min("balance", filter=member), high=Max("balance", filter=member)
    )
    members = open_accounts.filter(member)
    return Summary(
        currency=currency,
        accounts=counted["accounts"],
        transfers=count,
        volume=volume,
        volume_30_days=int(recent["v"] or 0),
        distribution=_distribution(members, low=counted["low"] or 0, high=counted["high"] or 0),
        public_balances=list(
            members.filter(balance_public=True).order_by("name").values_list("name", "balance")
        ),
    )


def _distribution(accounts: QuerySet[Account], *, low: int, high: int) -> Distribution:
    """The accounts counted into the buckets between ``low`` and ``high`` by the database, in one
    query (one conditional count per bucket), whatever the number of accounts. The last edge is
    above ``high``, so every bucket is half-open."""
    edges = distribution_edges(low=low, high=high)
    bounds = list(pairwise(edges))
    counted = accounts.aggregate(
        **{f"b{i}": Count("pk", filter=Q(balance__gte=a, balance__lt=b)) for i, (a, b) in enumerate(bounds)}
    )
    return Distribution(edges=edges, counts=[int(counted[f"b{i}"]) for i in range(len(bounds))])


def distribution_edges(*, low: int, high: int, buckets: int = 6) -> list[int]:
    """Round bucket edges from ``low`` to ``high`` (always including zero), for the histogram.

    Edges are multiples of a round step (1, 2 or 5 × 10ⁿ units), never a balance itself: the
    chart must not reveal the largest or smallest balance.
    """
    low, high = min(0, low), max(0, high)
    span = max(1, high - low)
    step = 1
    while step * buckets < span:
        for factor in (2, 5 / 2, 2):  # 1 → 2 → 5 → 10 → 20 ...
            step = int(step * factor)
            if step * buckets >= span:
                break
    start = (low // step) * step
    edges = [start]
    while edges[-1] <= high:
        edges.append(edges[-1] + step)
    return edges


# --- The consistency check ---------------------------------------------------------------


@dataclass
class CheckReport:
    currencies: int = 0
    accounts: int = 0
    transfers: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _sums(column: str) -> dict[int, int]:
    return {
        row[column]: int(row["s"] or 0)
        for row in Transfer.objects.values(column).annotate(s=Sum("amount")).order_by()
    }


def ledger_check() -> CheckReport:
    """Recompute every balance from the transfers, and every pending amount from open requests.

    Reports each difference, each currency whose balances do not sum to zero, each transfer
    whose accounts are not in its currency, and each account past a limit.
    """
    report = CheckReport()
    report.currencies = Currency.objects.count()
    report.transfers = Transfer.objects.count()
    credits, debits = _sums("credit_id"), _sums("debit_id")
    pending_out = {
        r["payer_id"]: int(r["s"])
        for r in Invoice.objects.filter(status=Invoice.Status.PENDING)
        .values("payer_id")
        .annotate(s=Sum("amount"))
        .order_by()
    }
    pending_in = {
        r["payee_id"]: int(r["s"])
        for r in Invoice.objects.filter(status=Invoice.Status.PENDING)
        .values("payee_id")
        .annotate(s=Sum("amount"))
        .order_by()
    }
    totals: dict[int, int] = {}
    for account in Account.objects.select_related("currency").order_by("pk").iterator():
        report.accounts += 1
        expected = credits.get(account.pk, 0) - debits.get(account.pk, 0)
        totals[account.currency_id] = totals.get(account.currency_id, 0) + account.balance
        if account.balance != expected:
            report.problems.append(
                f"account {account.pk} ({account.name}, {account.currency.code}): balance {account.balance}, "
                f"transfers say {expected}"
            )
        if account.pending_debits != pending_out.get(
            account.pk, 0
        ) or account.pending_credits != pending_in.get(account.pk, 0):
            report.problems.append(
                f"account {account.pk} ({account.name}): "
                f"pending {account.pending_debits}/{account.pending_credits}, "
                f"open requests say {pending_out.get(account.pk, 0)}/{pending_in.get(account.pk, 0)}"
            )
        if not account.lower_limit <= expected <= account.upper_limit:
            report.problems.append(
                f"account {account.pk} ({account.name}): balance {expected} outside its limits "
                f"{account.lower_limit}…{account.upper_limit}"
            )
    for currency_id, total in sorted(totals.items()):
        if total != 0:
            report.problems.append(f"currency {currency_id}: balances sum to {total}, not 0")
    mismatched = Transfer.objects.exclude(debit__currency_id=F("currency_id")) | Transfer.objects.exclude(
        credit__currency_id=F("currency_id")
    )
    for transfer in mismatched.order_by("pk")[:100]:
        report.problems.append(f"transfer {transfer.pk}: an account is not in the transfer's currency")
    return report


def export_rows(
    *, currency: Currency | None = None, community: Community | None = None, common_only: bool = False
) -> Iterator[list[Any]]:
    """Every transfer as CSV rows, oldest first (header first).

    ``common_only``: only the transfers that touch an account the community holds itself (its own,
    a working group's, a co-operative's): what coordinators may read (ledger/rules.py). The
    operator's ``dualpower ledger export`` writes every transfer.
    """
    yield [
        "id",
        "created_at",
        "community",
        "currency",
        "kind",
        "debit_account",
        "debit_name",
        "credit_account",
        "credit_name",
        "amount",
        "amount_text",
        "description",
        "idempotency_key",
        "batch",
        "corrects",
        "decision_ref",
    ]
    qs = Transfer.objects.select_related("community", "currency", "debit", "credit").order_by("pk")
    if currency is not None:
        qs = qs.filter(currency=currency)
    if community is not None:
        qs = qs.filter(community=community)
    if common_only:
        member = Account.OwnerKind.MEMBER
        qs = qs.filter(~Q(debit__owner_kind=member) | ~Q(credit__owner_kind=member))
    for t in qs.iterator(chunk_size=2000):
        yield [
            t.pk,
            t.created_at.isoformat(),
            t.community.slug,
            t.currency.code,
            t.kind,
            t.debit_id,
            t.debit.name,
            t.credit_id,
            t.credit.name,
            t.amount,
            t.currency.format(t.amount),
            t.description,
            t.idempotency_key,
            t.batch,
            t.corrects_id or "",
            t.decision_ref,
        ]
