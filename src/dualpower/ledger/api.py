"""API for the ledger: parse → check rule → call service → schema.

Everything is inside one community, under /communities/{slug}/money/...; another community's
accounts are simply not found there. Amounts are integers in the smallest unit (or text such as
"12.50" on input). POST /transfers honours an ``Idempotency-Key`` header: the same key and body
twice make one transfer (the second answer is 200 instead of 201); the same key with another body
is a 409.
"""

import io
from datetime import date
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Header, Query, Router, Schema, Status

from dualpower.api_tools import AUTH_OPTIONAL, KeysetInput, keyset_cursor, next_link, paginate
from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.errors import InvalidInput, NotFound
from dualpower.ledger import selectors, services
from dualpower.ledger.models import Account, Currency, Invoice, Transfer
from dualpower.ledger.schemas import (
    AccountOpenIn,
    AccountPublicOut,
    CorrectionIn,
    CurrencyIn,
    CurrencyOut,
    CurrencyPatch,
    CurrencySummaryOut,
    InvoiceIn,
    InvoiceOut,
    LedgerAccountOut,
    LimitsIn,
    LinkedIn,
    StatementOut,
    TransferIn,
    TransferOut,
    VisibilityIn,
)
from dualpower.ledger.services import Leg
from dualpower.ledger.units import units_of
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.spreadsheet import csv_writer
from dualpower.web.permissions import check

router = Router(tags=["ledger"])

MONEY = "/communities/{slug}/money"
CURRENCY = MONEY + "/currencies/{code}"
ACCOUNTS = MONEY + "/accounts"
ACCOUNT = ACCOUNTS + "/{account_id}"
TRANSFERS = MONEY + "/transfers"
INVOICES = MONEY + "/invoices"
INVOICE = INVOICES + "/{invoice_id}"
IDEMPOTENCY = Header(None, alias="Idempotency-Key")


class StatementQuery(KeysetInput):
    since: date | None = None
    until: date | None = None


class InvoiceQuery(Schema):
    status: Invoice.Status | None = None


STATEMENT_QUERY = Query(...)
INVOICE_QUERY = Query(...)


def _community(request: HttpRequest, slug: str, perm: str = "ledger.view_money") -> Community:
    community = community_get(slug=slug)
    check(request, "ledger.view_money", community)
    if perm != "ledger.view_money":
        check(request, perm, community)
    return community


def _me(request: HttpRequest, community: Community) -> Membership | None:
    return membership_for(request.user, community)


def _currency(request: HttpRequest, slug: str, code: str, perm: str = "ledger.view_money") -> Currency:
    community = _community(request, slug)
    currency = selectors.currency_get(community=community, code=code)
    check(request, perm, currency)
    return currency


def _account(request: HttpRequest, slug: str, account_id: int, perm: str) -> Account:
    community = _community(request, slug)
    account = selectors.account_get(community=community, pk=account_id)
    check(request, perm, account)
    return account


# --- Currencies ------------------------------------------------------------------------


@router.get(MONEY + "/currencies", response=list[CurrencyOut], auth=AUTH_OPTIONAL)
@paginate
def currency_list(request: HttpRequest, slug: str) -> Any:
    return selectors.currencies_of(community=_community(request, slug))


@router.post(MONEY + "/currencies", response={201: CurrencyOut})
def currency_create(request: HttpRequest, slug: str, payload: CurrencyIn) -> Status[Currency]:
    community = _community(request, slug, "ledger.add_currency")
    data = payload.dict()
    for key in ("lowest_lower_limit", "highest_upper_limit"):
        if data[key] is None:
            del data[key]
    return Status(201, services.currency_create(community=community, by=_me(request, community), **data))


@router.get(CURRENCY, response=CurrencyOut, auth=AUTH_OPTIONAL)
def currency_detail(request: HttpRequest, slug: str, code: str) -> Currency:
    return _currency(request, slug, code)


@router.patch(CURRENCY, response=CurrencyOut)
def currency_update(request: HttpRequest, slug: str, code: str, payload: CurrencyPatch) -> Currency:
    currency = _currency(request, slug, code, "ledger.change_currency")
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    return services.currency_update(currency=currency, by=_me(request, currency.community), **changes)


@router.get(CURRENCY + "/summary", response=CurrencySummaryOut, auth=AUTH_OPTIONAL)
def currency_summary(request: HttpRequest, slug: str, code: str) -> dict[str, Any]:
    currency = _currency(request, slug, code, "ledger.view_summary")
    s = selectors.summary(currency=currency)
    buckets = [{"from": low, "to": high, "accounts": n} for low, high, n in s.distribution.buckets()]
    return {
        "currency": currency.code,
        "accounts": s.accounts,
        "transfers": s.transfers,
        "volume": s.volume,
        "volume_30_days": s.volume_30_days,
        "distribution": buckets,
        "public_balances": [{"name": name, "balance": balance} for name, balance in s.public_balances],
    }


# --- Accounts --------------------------------------------------------------------------


@router.get(ACCOUNTS, response=list[LedgerAccountOut])
@paginate
def account_list(request: HttpRequest, slug: str) -> Any:
    """Your own accounts; coordinators see every account (balances and limits, not statements)."""
    community = _community(request, slug)
    if request.user.has_perm("ledger.view_accounts", community):
        return selectors.accounts_of(community=community, include_closed=True)
    me = _me(request, community)
    if me is None:
        return Account.objects.none()
    return selectors.accounts_of(community=community, membership=me, include_closed=True)


@router.get(CURRENCY + "/payees", response=list[AccountPublicOut])
@paginate
def payee_list(request: HttpRequest, slug: str, code: str) -> Any:
    """Whom one can pay in this currency: names and account ids, never balances."""
    currency = _currency(request, slug, code, "ledger.open_account")
    return selectors.member_accounts(currency=currency)


@router.post(ACCOUNTS, response={201: LedgerAccountOut, 200: LedgerAccountOut})
def account_open(request: HttpRequest, slug: str, payload: AccountOpenIn) -> Status[Account]:
    """Open my account in a currency (or get the one already open)."""
    community = _community(request, slug, "ledger.open_account")
    currency = selectors.currency_get(community=community, code=payload.currency)
    me = _me(request, community)
    assert me is not None
    existed = selectors.accounts_of(community=community, membership=me, currency=currency).exists()
    account = services.member_account(currency=currency, membership=me)
    return Status(200 if existed else 201, account)


@router.get(ACCOUNT, response=LedgerAccountOut)
def account_detail(request: HttpRequest, slug: str, account_id: int) -> Account:
    community = _community(request, slug)
    account = selectors.account_get(community=community, pk=account_id)
    if not request.user.has_perm("ledger.view_accounts", community):
        check(request, "ledger.view_statement", account)
    return account


@router.get(ACCOUNT + "/statement", response=StatementOut)
def account_statement(
    request: HttpRequest, slug: str, account_id: int, page: StatementQuery = STATEMENT_QUERY
) -> dict[str, Any]:
    """The account's transfers between two dates (inclusive), newest first, ``limit`` at a time,
    with the balance after each: ``next`` is the address of the older ones (``?before=<transfer>``),
    null on the last page, which has the ``opening`` balance."""
    account = _account(request, slug, account_id, "ledger.view_statement")
    if page.since and page.until and page.since > page.until:
        raise InvalidInput("The start date is after the end date.", field="since")
    found = selectors.statement_page(
        account=account,
        since=page.since,
        until=page.until,
        before=keyset_cursor(page.before),
        size=page.limit,
    )
    return {
        "items": [
            {
                "transfer": line.transfer.pk,
                "created_at": line.transfer.created_at,
                "amount": line.amount,
                "balance": line.balance,
                "other_account": line.other.pk,
                "other_name": line.other.name,
                "description": line.transfer.description,
                "kind": line.transfer.kind,
            }
            for line in found.lines
        ],
        "next": next_link(request, cursor="before", value=found.older),
        "opening": found.opening,
    }


@router.put(ACCOUNT + "/limits", response=LedgerAccountOut)
def account_limits(request: HttpRequest, slug: str, account_id: int, payload: LimitsIn) -> Account:
    account = _account(request, slug, account_id, "ledger.set_limit")
    return services.account_limits_set(
        account=account,
        lower_limit=payload.lower_limit,
        upper_limit=payload.upper_limit,
        by=_me(request, account.community),
    )


@router.put(ACCOUNT + "/visibility", response=LedgerAccountOut)
def account_visibility(request: HttpRequest, slug: str, account_id: int, payload: VisibilityIn) -> Account:
    account = _account(request, slug, account_id, "ledger.change_visibility")
    me = _me(request, account.community)
    assert me is not None
    return services.account_visibility_set(account=account, balance_public=payload.balance_public, by=me)


@router.post(ACCOUNT + "/close", response=LedgerAccountOut)
def account_close(request: HttpRequest, slug: str, account_id: int) -> Account:
    account = _account(request, slug, account_id, "ledger.close_account")
    return services.account_close(account=account, by=_me(request, account.community))


# --- Transfers -------------------------------------------------------------------------


def _payer(request: HttpRequest, slug: str, account_id: int) -> Account:
    community = _community(request, slug)
    account = selectors.account_get(community=community, pk=account_id)
    check(request, "ledger.pay_from", account)
    return account


def _other(community: Community, account_id: int, field: str) -> Account:
    try:
        return selectors.account_get(community=community, pk=account_id)
    except NotFound:
        raise InvalidInput(f"There is no account {account_id} in this community.", field=field) from None


@router.post(TRANSFERS, response={201: TransferOut, 200: TransferOut})
def transfer_create(
    request: HttpRequest, slug: str, payload: TransferIn, idempotency_key: str | None = IDEMPOTENCY
) -> Status[Transfer]:
    debit = _payer(request, slug, payload.debit)
    credit = _other(debit.community, payload.credit, "credit")
    amount = units_of(debit.currency, payload.amount)
    posted = services.transfer_make(
        debit=debit,
        credit=credit,
        amount=amount,
        description=payload.description,
        idempotency_key=idempotency_key,
        by=_me(request, debit.community),
    )
    return Status(200 if posted.replayed else 201, posted.transfer)


@router.post(TRANSFERS + "/linked", response={201: list[TransferOut], 200: list[TransferOut]})
def transfer_linked(
    request: HttpRequest, slug: str, payload: LinkedIn, idempotency_key: str | None = IDEMPOTENCY
) -> Status[list[Transfer]]:
    """Several payments from one of your accounts, all or nothing."""
    debit = _payer(request, slug, payload.debit)
    legs = []
    for i, leg in enumerate(payload.legs):
        credit = _other(debit.community, leg.credit, f"legs.{i}.credit")
        legs.append(
            Leg(
                debit=debit.pk,
                credit=credit.pk,
                amount=units_of(debit.currency, leg.amount, field=f"legs.{i}.amount"),
                description=leg.description,
            )
        )
    posted = services.transfers_link(
        currency=debit.currency, legs=legs, idempotency_key=idempotency_key, by=_me(request, debit.community)
    )
    return Status(200 if posted.replayed else 201, list(posted.transfers))


@router.get(TRANSFERS + "/{transfer_id}", response=TransferOut)
def transfer_detail(request: HttpRequest, slug: str, transfer_id: int) -> Transfer:
    community = _community(request, slug)
    transfer = selectors.transfer_get(community=community, pk=transfer_id)
    # Its two holders; coordinators only when it touches an account the community holds itself.
    check(request, "ledger.view_transfer", transfer)
    return transfer


@router.post(TRANSFERS + "/{transfer_id}/correct", response={201: TransferOut})
def transfer_correct(
    request: HttpRequest, slug: str, transfer_id: int, payload: CorrectionIn
) -> Status[Transfer]:
    community = _community(request, slug, "ledger.correct_transfer")
    transfer = selectors.transfer_get(community=community, pk=transfer_id)
    return Status(
        201, services.transfer_correct(transfer=transfer, by=_me(request, community), reason=payload.reason)
    )


@router.get(MONEY + "/export.csv", auth=AUTH_OPTIONAL)
def transfers_export(request: HttpRequest, slug: str) -> HttpResponse:
    """The community's own books: every transfer that touches an account the community holds
    itself (its own, a working group's, a co-operative's). Transfers between two members are not
    in it: they are for those two members alone (their statements)."""
    community = _community(request, slug, "ledger.export")
    out = io.StringIO()
    writer = csv_writer(out)
    for row in selectors.export_rows(community=community, common_only=True):
        writer.writerow(row)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{community.slug}-transfers.csv"'
    return response


# --- Payment requests ------------------------------------------------------------------


@router.get(INVOICES, response=list[InvoiceOut])
@paginate
def invoice_list(request: HttpRequest, slug: str, filters: InvoiceQuery = INVOICE_QUERY) -> Any:
    """Requests to and from your accounts."""
    community = _community(request, slug)
    me = _me(request, community)
    if me is None:
        return Invoice.objects.none()
    return selectors.invoices_for(membership=me, status=filters.status)


@router.post(INVOICES, response={201: InvoiceOut, 200: InvoiceOut})
def invoice_create(
    request: HttpRequest, slug: str, payload: InvoiceIn, idempotency_key: str | None = IDEMPOTENCY
) -> Status[Invoice]:
    community = _community(request, slug)
    payee = selectors.account_get(community=community, pk=payload.payee)
    check(request, "ledger.request_to", payee)
    payer = _other(community, payload.payer, "payer")
    amount = units_of(payee.currency, payload.amount)
    key = (idempotency_key or "").strip() or None
    existed = bool(key) and Invoice.objects.filter(currency=payee.currency, idempotency_key=key).exists()
    invoice = services.invoice_create(
        payee=payee,
        payer=payer,
        amount=amount,
        description=payload.description,
        idempotency_key=key,
        by=_me(request, community),
    )
    return Status(200 if existed else 201, selectors.invoice_get(community=community, pk=invoice.pk))


def _invoice(request: HttpRequest, slug: str, invoice_id: int, perm: str) -> Invoice:
    community = _community(request, slug)
    invoice = selectors.invoice_get(community=community, pk=invoice_id)
    check(request, perm, invoice)
    return invoice


@router.get(INVOICE, response=InvoiceOut)
def invoice_detail(request: HttpRequest, slug: str, invoice_id: int) -> Invoice:
    return _invoice(request, slug, invoice_id, "ledger.view_invoice")


@router.post(INVOICE + "/accept", response=InvoiceOut)
def invoice_accept(request: HttpRequest, slug: str, invoice_id: int) -> Invoice:
    invoice = _invoice(request, slug, invoice_id, "ledger.answer_invoice")
    services.invoice_accept(invoice=invoice, by=_me(request, invoice.community))
    return selectors.invoice_get(community=invoice.community, pk=invoice.pk)


@router.post(INVOICE + "/reject", response=InvoiceOut)
def invoice_reject(request: HttpRequest, slug: str, invoice_id: int) -> Invoice:
    invoice = _invoice(request, slug, invoice_id, "ledger.answer_invoice")
    services.invoice_reject(invoice=invoice, by=_me(request, invoice.community))
    return selectors.invoice_get(community=invoice.community, pk=invoice.pk)


@router.post(INVOICE + "/cancel", response=InvoiceOut)
def invoice_cancel(request: HttpRequest, slug: str, invoice_id: int) -> Invoice:
    invoice = _invoice(request, slug, invoice_id, "ledger.cancel_invoice")
    services.invoice_cancel(invoice=invoice, by=_me(request, invoice.community))
    return selectors.invoice_get(community=invoice.community, pk=invoice.pk)
