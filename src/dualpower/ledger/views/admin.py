"""Currency administration pages (coordinators): starting a currency, its policy, account limits."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.formatting import format_amount, format_minutes
from dualpower.ledger import selectors, services
from dualpower.ledger.forms import CurrencyForm, LimitsForm
from dualpower.ledger.models import Currency
from dualpower.ledger.views._common import currency_of, member_of
from dualpower.web.actions import form_action
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def currency_create(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "ledger.add_currency", community)
    me = member_of(request, community)
    return form_action(
        request,
        form=CurrencyForm(request.POST or None),
        run=lambda data: services.currency_create(community=community, by=me, **data["policy"]),
        success=lambda currency: reverse("ledger:currency", args=[community.slug, currency.code]),
        message=lambda currency: _("%(name)s has started.") % {"name": currency.name},
        template="ledger/currency_form.html",
        context={"currency": None},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def currency_admin(request: HttpRequest, community: Community, code: str) -> HttpResponse:
    currency = currency_of(request, community, code)
    check(request, "ledger.change_currency", currency)
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
    me = member_of(request, community)
    return form_action(
        request,
        form=CurrencyForm(request.POST or None, initial=initial, currency=currency),
        run=lambda data: services.currency_update(currency=currency, by=me, **data["policy"]),
        success=reverse("ledger:admin", args=[community.slug, currency.code]),
        message=_("Saved."),
        template="ledger/admin.html",
        context={
            "currency": currency,
            "accounts": list(
                selectors.accounts_of(community=community, currency=currency, include_closed=True)
            ),
        },
    )


def _plain(currency: Currency, units: int) -> str:
    """An amount as a form's initial value: without grouping, so it reads back in every language."""
    if currency.is_time_bank:
        return format_minutes(units, grouping=False)
    return format_amount(units, decimals=currency.decimals, grouping=False)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def account_limits(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "ledger.view_money", community)
    account = selectors.account_get(community=community, pk=pk)
    check(request, "ledger.set_limit", account)
    currency = account.currency
    initial = {
        "credit": _plain(currency, -account.lower_limit),
        "upper": _plain(currency, account.upper_limit),
    }
    me = member_of(request, community)
    return form_action(
        request,
        form=LimitsForm(request.POST or None, initial=initial, currency=currency),
        run=lambda data: services.account_limits_set(
            account=account, lower_limit=data["lower_limit"], upper_limit=data["upper_limit"], by=me
        ),
        success=reverse("ledger:admin", args=[community.slug, currency.code]),
        message=_("The limits of %(name)s were changed.") % {"name": account.name},
        template="ledger/limits.html",
        context={"account": account, "currency": currency},
    )
