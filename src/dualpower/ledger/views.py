"""Money pages: parse → check rule → call service → template. Every form works without JavaScript.

Paying has a confirmation step that shows what is left of the payer's credit afterwards; the
form carries an idempotency key, so pressing "Pay" twice (or reloading) pays once.
"""

from __future__ import annotations

import csv
import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.models import Community
from dualpower.errors import DomainError
from dualpower.ledger import invoicing, selectors, services
from dualpower.ledger.forms import PayForm, RequestForm, StatementFilter
from dualpower.ledger.models import Account, Currency
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web import charts
from dualpower.web.community import require_perm, with_community


def _me(request: HttpRequest, community: Community) -> Membership | None:
    return membership_for(request.user, community)


def _currency(request: HttpRequest, community: Community, code: str) -> Currency:
    require_perm(request, "ledger.view_money", community)
    return selectors.currency_get(community=community, code=code)


def _my_account(request: HttpRequest, currency: Currency) -> Account | None:
    me = _me(request, currency.community)
    if me is None:
        return None
    return selectors.accounts_of(community=currency.community, membership=me, currency=currency).first()


def _error_status(form: Any) -> int:
    return 400 if form.errors else 200


@require_http_methods(["GET", "HEAD"])
@with_community
def money_home(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "ledger.view_money", community)
    me = _me(request, community)
    mine = {a.currency_id: a for a in selectors.accounts_of(community=community, membership=me)} if me else {}
    rows = [
        {"currency": c, "account": mine.get(c.pk)}
        for c in selectors.currencies_of(community=community)
        if c.is_active or c.pk in mine
    ]
    return render(
        request,
        "ledger/home.html",
        {
            "rows": rows,
            "waiting": list(selectors.invoices_to_answer(membership=me)) if me else [],
            "can_open": request.user.has_perm("ledger.open_account", community),
            "can_add": request.user.has_perm("ledger.add_currency", community),
        },
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def currency_detail(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    currency = _currency(request, community, code)
    summary = selectors.summary(currency=currency)
    chart = charts.histogram(
        summary.balances,
        edges=selectors.distribution_edges(summary.balances),
        title=_("How many member accounts hold how much"),
        format_value=lambda v: currency.format(int(v)),
    )
    return render(
        request,
        "ledger/currency.html",
        {
            "currency": currency,
            "summary": summary,
            "chart": chart,
            "account": _my_account(request, currency),
            "can_open": request.user.has_perm("ledger.open_account", community),
            "can_admin": request.user.has_perm("ledger.change_currency", currency),
        },
    )


@require_POST
@with_community
def account_open(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    currency = _currency(request, community, code)
    require_perm(request, "ledger.open_account", community)
    me = _me(request, community)
    try:
        services.member_account(currency=currency, membership=me)  # type: ignore[arg-type]
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("Your %(name)s account is open.") % {"name": currency.name})
    return redirect("ledger:currency", community.slug, currency.code)


def _payer_account(request: HttpRequest, currency: Currency) -> Account:
    account = _my_account(request, currency)
    if account is None:
        require_perm(request, "ledger.open_account", currency.community)
        account = services.member_account(currency=currency, membership=_me(request, currency.community))  # type: ignore[arg-type]
    require_perm(request, "ledger.pay_from", account)
    return account


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def pay(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    """Step 1: the form. Step 2 (``confirm`` absent): review with the credit left. Step 3: pay."""
    currency = _currency(request, community, code)
    if request.method == "POST":
        account = _payer_account(request, currency)
    else:
        account = _my_account(request, currency)
        if account is None:
            require_perm(request, "ledger.open_account", community)
        else:
            require_perm(request, "ledger.pay_from", account)
    payees = list(selectors.member_accounts(currency=currency, exclude=account))
    initial = {"idempotency_key": uuid.uuid4().hex}
    if request.GET.get("to", "").isdigit():
        initial["to"] = int(request.GET["to"])
    form = PayForm(request.POST or None, initial=initial, currency=currency, payees=payees)
    context: dict[str, Any] = {"form": form, "currency": currency, "account": account}
    if request.method == "POST" and form.is_valid() and form.cleaned_data["units"] is not None:
        assert account is not None
        data = form.cleaned_data
        payee = next(a for a in payees if a.pk == data["to"])
        if request.POST.get("confirm") != "1":
            context.update(
                review=True, payee=payee, units=data["units"], left=account.available - data["units"]
            )
            return render(request, "ledger/pay.html", context)
        try:
            services.transfer_make(
                debit=account,
                credit=payee,
                amount=data["units"],
                description=data["description"],
                idempotency_key=data["idempotency_key"],
                by=_me(request, community),
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(
                request,
                _("You paid %(amount)s to %(name)s.")
                % {"amount": currency.format(data["units"]), "name": payee.name},
            )
            return redirect("ledger:statement", community.slug, account.pk)
    return render(request, "ledger/pay.html", context, status=_error_status(form))


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def request_payment(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    currency = _currency(request, community, code)
    if request.method == "POST":
        account = _payer_account(request, currency)
        require_perm(request, "ledger.request_to", account)
    else:
        account = _my_account(request, currency)
        if account is None:
            require_perm(request, "ledger.open_account", community)
        else:
            require_perm(request, "ledger.request_to", account)
    payers = [
        a
        for a in selectors.member_accounts(currency=currency, exclude=account)
        if a.owner_kind == Account.OwnerKind.MEMBER
    ]
    form = RequestForm(
        request.POST or None, initial={"idempotency_key": uuid.uuid4().hex}, currency=currency, payers=payers
    )
    if request.method == "POST" and form.is_valid() and form.cleaned_data["units"] is not None:
        assert account is not None
        data = form.cleaned_data
        payer = next(a for a in payers if a.pk == data["payer"])
        try:
            invoice = invoicing.invoice_create(
                payee=account,
                payer=payer,
                amount=data["units"],
                description=data["description"],
                idempotency_key=data["idempotency_key"],
                by=_me(request, community),
            )
        except DomainError as exc:
            form.add_error(None, exc.detail)
        else:
            messages.success(request, _("Your request was sent to %(name)s.") % {"name": payer.name})
            return redirect("ledger:invoice", community.slug, invoice.pk)
    return render(
        request,
        "ledger/request.html",
        {"form": form, "currency": currency, "account": account},
        status=_error_status(form),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def statement(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    require_perm(request, "ledger.view_money", community)
    account = selectors.account_get(community=community, pk=pk)
    require_perm(request, "ledger.view_statement", account)
    if request.method == "POST":  # the holder shows or hides their balance
        require_perm(request, "ledger.change_visibility", account)
        services.account_visibility_set(
            account=account,
            balance_public=request.POST.get("balance_public") == "1",
            by=_me(request, community),  # type: ignore[arg-type]
        )
        messages.success(request, _("Saved."))
        return redirect("ledger:statement", community.slug, account.pk)
    filters = StatementFilter(request.GET or None)
    since = until = None
    if filters.is_valid():
        since, until = filters.cleaned_data.get("since"), filters.cleaned_data.get("until")
    st = selectors.statement(account=account, since=since, until=until)
    if request.GET.get("format") == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="statement-{account.currency.code}-{account.pk}.csv"'
        )
        writer = csv.writer(response)
        writer.writerow(
            [
                "date",
                "transfer",
                "with",
                "description",
                "kind",
                "amount",
                "balance",
                "amount_units",
                "balance_units",
            ]
        )
        for line in st.lines:
            writer.writerow(
                [
                    line.transfer.created_at.isoformat(),
                    line.transfer.pk,
                    line.other.name,
                    line.transfer.description,
                    line.transfer.kind,
                    account.currency.format(line.amount),
                    account.currency.format(line.balance),
                    line.amount,
                    line.balance,
                ]
            )
        return response
    return render(
        request,
        "ledger/statement.html",
        {
            "account": account,
            "currency": account.currency,
            "statement": st,
            "filters": filters,
            "query": request.GET.urlencode(),
        },
        status=400 if filters.errors else 200,
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def invoice_list(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "ledger.view_money", community)
    me = _me(request, community)
    invoices = list(selectors.invoices_for(membership=me)[:200]) if me else []
    mine = (
        {a.pk for a in selectors.accounts_of(community=community, membership=me, include_closed=True)}
        if me
        else set()
    )
    return render(
        request,
        "ledger/invoices.html",
        {
            "to_pay": [i for i in invoices if i.payer_id in mine],
            "asked": [i for i in invoices if i.payee_id in mine],
        },
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def invoice_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    require_perm(request, "ledger.view_money", community)
    invoice = selectors.invoice_get(community=community, pk=pk)
    require_perm(request, "ledger.view_invoice", invoice)
    payer = invoice.payer
    return render(
        request,
        "ledger/invoice.html",
        {
            "invoice": invoice,
            "currency": invoice.currency,
            "can_answer": invoice.is_pending and request.user.has_perm("ledger.answer_invoice", invoice),
            "can_cancel": invoice.is_pending and request.user.has_perm("ledger.cancel_invoice", invoice),
            # The payer sees what their credit will be after paying; the payee never sees it.
            "left": payer.available if request.user.has_perm("ledger.answer_invoice", invoice) else None,
        },
    )


def _answer(
    request: HttpRequest, community: Community, pk: int, perm: str, verb: Any, done: str
) -> HttpResponse:
    require_perm(request, "ledger.view_money", community)
    invoice = selectors.invoice_get(community=community, pk=pk)
    require_perm(request, perm, invoice)
    try:
        verb(invoice=invoice, by=_me(request, community))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, done)
    return redirect("ledger:invoice", community.slug, invoice.pk)


@require_POST
@with_community
def invoice_accept(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _answer(request, community, pk, "ledger.answer_invoice", invoicing.invoice_accept, _("Paid."))


@require_POST
@with_community
def invoice_reject(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _answer(
        request,
        community,
        pk,
        "ledger.answer_invoice",
        invoicing.invoice_reject,
        _("You declined the request."),
    )


@require_POST
@with_community
def invoice_cancel(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _answer(
        request,
        community,
        pk,
        "ledger.cancel_invoice",
        invoicing.invoice_cancel,
        _("You withdrew the request."),
    )
