"""Currency administration pages (coordinators): starting a currency, its policy, account limits.

Parse → check rule → call service → template, like views.py.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualpower.community.models import Community
from dualpower.errors import DomainError
from dualpower.ledger import selectors, services
from dualpower.ledger.forms import CurrencyForm, LimitsForm
from dualpower.ledger.models import Currency
from dualpower.ledger.views import _currency, _error_status, _me
from dualpower.web.community import require_perm, with_community


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def currency_create(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "ledger.add_currency", community)
    form = CurrencyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        values = form.policy()
        if values:
            try:
                currency = services.currency_create(community=community, by=_me(request, community), **values)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
            else:
                messages.success(request, _("%(name)s has started.") % {"name": currency.name})
                return redirect("ledger:currency", community.slug, currency.code)
    return render(
        request, "ledger/currency_form.html", {"form": form, "currency": None}, status=_error_status(form)
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def currency_admin(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    currency = _currency(request, community, code)
    require_perm(request, "ledger.change_currency", currency)
    initial = {
        "name": currency.name,
        "symbol": currency.symbol,
        "description": currency.description,
        "default_credit": _plain(currency, -currency.default_lower_limit),
        "default_upper": _plain(currency, currency.default_upper_limit),
        "max_credit": _plain(currency, -currency.lowest_lower_limit),
        "max_upper": _plain(currency, currency.highest_upper_limit),
        "demurrage_basis_points": currency.demurrage_basis_points,
        "invoice_days": currency.invoice_days,
        "is_active": currency.is_active,
    }
    form = CurrencyForm(request.POST or None, initial=initial, currency=currency)
    if request.method == "POST" and form.is_valid():
        values = form.policy()
        if values:
            try:
                services.currency_update(currency=currency, by=_me(request, community), **values)
            except DomainError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
            else:
                messages.success(request, _("Saved."))
                return redirect("ledger:admin", community.slug, currency.code)
    accounts = list(selectors.accounts_of(community=community, currency=currency, include_closed=True))
    return render(
        request,
        "ledger/admin.html",
        {"currency": currency, "form": form, "accounts": accounts},
        status=_error_status(form),
    )


def _plain(currency: Currency, units: int) -> str:
    from dualpower.ledger.amounts import format_amount, format_minutes

    if currency.is_time_bank:
        return format_minutes(units)
    return format_amount(units, currency.decimals).replace(",", "")


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def account_limits(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    require_perm(request, "ledger.view_money", community)
    account = selectors.account_get(community=community, pk=pk)
    require_perm(request, "ledger.set_limit", account)
    currency = account.currency
    initial = {
        "credit": _plain(currency, -account.lower_limit),
        "upper": _plain(currency, account.upper_limit),
    }
    form = LimitsForm(request.POST or None, initial=initial, currency=currency)
    if request.method == "POST" and form.is_valid():
        limits = form.limits()
        if limits is not None:
            try:
                services.account_limits_set(
                    account=account, lower_limit=limits[0], upper_limit=limits[1], by=_me(request, community)
                )
            except DomainError as exc:
                form.add_error(None, exc.detail)
            else:
                messages.success(request, _("The limits of %(name)s were changed.") % {"name": account.name})
                return redirect("ledger:admin", community.slug, currency.code)
    return render(
        request,
        "ledger/limits.html",
        {"account": account, "currency": currency, "form": form},
        status=_error_status(form),
    )
