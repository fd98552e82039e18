"""A member's account: opening it, paying from it, asking to be paid into it, its statement.

Paying has a confirmation step that shows what is left of the payer's credit afterwards; the
form carries an idempotency key, so pressing "Pay" twice (or reloading) pays once.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError
from dualpower.formatting import format_money
from dualpower.ledger import selectors, services
from dualpower.ledger.forms import PayForm, RequestForm, StatementFilter
from dualpower.ledger.models import Account, Currency, Transfer
from dualpower.ledger.views._common import acting_member, currency_of, member_of, my_account
from dualpower.spreadsheet import csv_writer
from dualpower.web.actions import attach_error, post_action, render_form
from dualpower.web.fragments import Later
from dualpower.web.kept_forms import form_fields_html
from dualpower.web.moments import moment_texts
from dualpower.web.permissions import check, may


def _payer_account(request: HttpRequest, currency: Currency) -> Account:
    account = my_account(request, currency)
    if account is None:
        check(request, "ledger.open_account", currency.community)
        account = services.member_account(
            currency=currency, membership=acting_member(request, currency.community)
        )
    check(request, "ledger.pay_from", account)
    return account


@require_POST
@with_community
def account_open(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    currency = currency_of(request, community, code)
    check(request, "ledger.open_account", community)
    me = acting_member(request, community)
    return post_action(
        request,
        run=lambda: services.member_account(currency=currency, membership=me),
        back=reverse("ledger:currency", args=[community.slug, currency.code]),
        message=_("Your %(name)s account is open.") % {"name": currency.name},
    )


class _Later(Later):
    """A ``Later`` whose attributes are its value's (``page.lines``), for Python readers too."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self(), name)


def _statement_rows(lines: list[selectors.StatementLine], *, currency: Currency) -> SafeString:
    """The statement's ``<tr>`` rows, each with the whitespace the template's loop had: written here
    rather than through the template (a date filter, two money filters, a condition and five
    labels per row were most of the page's own CPU). The same HTML: the moment as
    ``|date:"DATETIME_FORMAT"`` writes it (web/moments.py), every value escaped as ``{{ }}`` does."""
    if not lines:
        return mark_safe("")
    labels = [escape(_(label)) for label in ("Date", "With", "What for", "Amount", "Balance")]
    rows = []
    for line in lines:
        transfer = line.transfer
        kind = ""
        if transfer.kind != Transfer.Kind.PAYMENT:
            kind = f" <small>({escape(transfer.get_kind_display())})</small>"
        when = escape(moment_texts(transfer.created_at)[1])
        rows.append(
            f'\n        <tr>\n          <td data-label="{labels[0]}">{when}</td>'
            f'\n          <td data-label="{labels[1]}">{escape(line.other.name)}</td>'
            f'\n          <td data-label="{labels[2]}">{escape(transfer.description)}{kind}</td>'
            f'\n          <td data-label="{labels[3]}">{escape(format_money(line.amount, currency))}</td>'
            f'\n          <td data-label="{labels[4]}">{escape(format_money(line.balance, currency))}</td>'
            "\n        </tr>\n      "
        )
    return mark_safe("".join(rows))  # noqa: S308  # every value escaped above


# A list of names longer than this gets a search box beside its picker (no JavaScript).
LONG_LIST = 30


def _find(request: HttpRequest) -> str:
    return (request.POST.get("find") or request.GET.get("find") or "").strip()[:80]


def _narrow(accounts: list[Account], find: str, keep: object = None) -> list[Account]:
    """The accounts whose name holds ``find`` (and the one already chosen, ``keep``)."""
    if not find:
        return accounts
    needle = find.casefold()
    return [a for a in accounts if needle in a.name.casefold() or str(a.pk) == str(keep)]


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def pay(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    """Step 1: the form. Step 2 (``confirm`` absent): review with the credit left. Step 3: pay.

    "Search" (a long list of payees) and "Change" (from the review) show the form again with what
    was typed; an amount beyond the payer's credit is an error on the form, never a review whose
    button cannot work.
    """
    currency = currency_of(request, community, code)
    account: Account | None
    again = request.method == "POST" and ("search" in request.POST or "edit" in request.POST)
    if request.method == "POST" and not again:
        account = _payer_account(request, currency)
    else:
        account = my_account(request, currency)
        if account is None:
            check(request, "ledger.open_account", community)
        else:
            check(request, "ledger.pay_from", account)
    payees = list(selectors.member_accounts(currency=currency, exclude=account))
    find = _find(request)
    context: dict[str, Any] = {
        "currency": currency,
        "account": account,
        "searchable": len(payees) > LONG_LIST,
        "find": find,
    }
    if request.method != "POST" or again:
        # The form (again): what was typed is kept, nothing is checked yet.
        initial: dict[str, Any] = {"idempotency_key": uuid.uuid4().hex}
        if again:
            initial.update(
                {k: request.POST.get(k, "") for k in ("to", "amount", "description", "idempotency_key")}
            )
        elif request.GET.get("to", "").isdigit():
            initial["to"] = int(request.GET["to"])
        shown = _narrow(payees, find, initial.get("to"))
        form = PayForm(initial=initial, currency=currency, payees=shown)
        if find and not shown:
            context["nobody"] = True
        return render_form(request, "ledger/pay.html", form, context)
    form = PayForm(request.POST, currency=currency, payees=payees)
    context["form"] = form
    if form.is_valid() and form.cleaned_data["units"] is not None:
        assert account is not None
        data = form.cleaned_data
        payee = next(a for a in payees if a.pk == data["to"])
        left = account.available - data["units"]
        if left < 0:
            form.add_error(
                "amount",
                _("This is more than your credit allows: you can pay up to %(left)s.")
                % {"left": currency.format(max(account.available, 0))},
            )
        elif request.POST.get("confirm") != "1":
            context.update(review=True, payee=payee, units=data["units"], left=left)
            return render(request, "ledger/pay.html", context)
        else:
            try:
                services.transfer_make(
                    debit=account,
                    credit=payee,
                    amount=data["units"],
                    description=data["description"],
                    idempotency_key=data["idempotency_key"],
                    by=member_of(request, community),
                )
            except DomainError as exc:
                attach_error(form, exc)
            else:
                messages.success(
                    request,
                    _("You paid %(amount)s to %(name)s.")
                    % {"amount": currency.format(data["units"]), "name": payee.name},
                )
                return redirect("ledger:statement", community.slug, account.pk)
    return render_form(request, "ledger/pay.html", form, context)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def request_payment(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    currency = currency_of(request, community, code)
    account: Account | None
    if request.method == "POST" and "search" not in request.POST:
        account = _payer_account(request, currency)
        check(request, "ledger.request_to", account)
    else:
        account = my_account(request, currency)
        if account is None:
            check(request, "ledger.open_account", community)
        else:
            check(request, "ledger.request_to", account)
    payers = [
        a
        for a in selectors.member_accounts(currency=currency, exclude=account)
        if a.owner_kind == Account.OwnerKind.MEMBER
    ]
    find = _find(request)
    context: dict[str, Any] = {
        "currency": currency,
        "account": account,
        "searchable": len(payers) > LONG_LIST,
        "find": find,
    }
    if request.method != "POST" or "search" in request.POST:
        initial: dict[str, Any] = {"idempotency_key": uuid.uuid4().hex}
        if request.method == "POST":
            initial.update(
                {k: request.POST.get(k, "") for k in ("payer", "amount", "description", "idempotency_key")}
            )
        shown = _narrow(payers, find, initial.get("payer"))
        form = RequestForm(initial=initial, currency=currency, payers=shown)
        if find and not shown:
            context["nobody"] = True
        return render_form(request, "ledger/request.html", form, context)
    form = RequestForm(request.POST, currency=currency, payers=payers)
    if form.is_valid() and form.cleaned_data["units"] is not None:
        assert account is not None
        data = form.cleaned_data
        payer = next(a for a in payers if a.pk == data["payer"])
        try:
            invoice = services.invoice_create(
                payee=account,
                payer=payer,
                amount=data["units"],
                description=data["description"],
                idempotency_key=data["idempotency_key"],
                by=member_of(request, community),
            )
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, _("Your request was sent to %(name)s.") % {"name": payer.name})
            return redirect("ledger:invoice", community.slug, invoice.pk)
    return render_form(request, "ledger/request.html", form, context)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def statement(request: HttpRequest, community: Community, pk: int, csv_file: bool = False) -> HttpResponse:
    """The account's statement, a page at a time, newest first (``?before=<transfer>`` for older
    ones); as CSV (``statement.csv``, or ``?format=csv``) every transfer of the period, oldest first."""
    check(request, "ledger.view_money", community)
    account = selectors.account_get(community=community, pk=pk)
    check(request, "ledger.view_statement", account)
    if request.method == "POST":  # the holder shows or hides their balance
        check(request, "ledger.change_visibility", account)
        services.account_visibility_set(
            account=account,
            balance_public=request.POST.get("balance_public") == "1",
            by=acting_member(request, community),
        )
        messages.success(request, _("Saved."))
        return redirect("ledger:statement", community.slug, account.pk)
    # Bound even to no data (nothing is required): its fields' HTML is then kept per process.
    filters = StatementFilter(request.GET)
    since = until = None
    if filters.is_valid():
        since, until = filters.cleaned_data.get("since"), filters.cleaned_data.get("until")
    if csv_file or request.GET.get("format") == "csv":
        st = selectors.statement(account=account, since=since, until=until)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="statement-{account.currency.code}-{account.pk}.csv"'
        )
        writer = csv_writer(response)
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
    cursor = request.GET.get("before", "")
    before = int(cursor) if cursor.isdigit() else None
    period = request.GET.copy()
    for name in ("before", "format"):
        period.pop(name, None)
    # The transfers are a kept fragment (templates/ledger/statement.html), keyed by the account (its
    # holder's alone: view_statement admits no one else), the visitor, the period and the cursor:
    # the page and its rows are read only when the fragment is rendered.
    page = _Later(selectors.statement_page, account=account, since=since, until=until, before=before)
    return render(
        request,
        "ledger/statement.html",
        {
            "account": account,
            "currency": account.currency,
            "page": page,
            "rows": _Later(lambda: _statement_rows(page.lines, currency=account.currency)),
            "can_hide": may(request.user, "ledger.change_visibility", account),
            "filters": filters,
            "filter_fields": form_fields_html(filters, depends_on="ledger.statement"),
            "query": period.urlencode(),
            "before": before,
            "viewer": request.user.pk,
        },
        status=400 if filters.errors else 200,
    )
