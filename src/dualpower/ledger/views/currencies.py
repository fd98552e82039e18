"""The money home page and a currency's page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.ledger import selectors
from dualpower.ledger.views._common import currency_of, member_of, my_account
from dualpower.web import charts
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD"])
@with_community
def money_home(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "ledger.view_money", community)
    me = member_of(request, community)
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
    currency = currency_of(request, community, code)
    summary = selectors.summary(currency=currency)
    chart = charts.histogram_of_counts(
        summary.distribution.counts,
        edges=summary.distribution.edges,
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
            "account": my_account(request, currency),
            "can_open": request.user.has_perm("ledger.open_account", community),
            "can_admin": request.user.has_perm("ledger.change_currency", currency),
        },
    )
