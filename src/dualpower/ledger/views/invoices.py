"""Payment requests: the list, one request, and answering it."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.ledger import selectors, services
from dualpower.ledger.models import Invoice
from dualpower.ledger.views._common import member_of
from dualpower.web.actions import post_action
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD"])
@with_community
def invoice_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "ledger.view_money", community)
    me = member_of(request, community)
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
    check(request, "ledger.view_money", community)
    invoice = selectors.invoice_get(community=community, pk=pk)
    check(request, "ledger.view_invoice", invoice)
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
    request: HttpRequest,
    community: Community,
    pk: int,
    perm: str,
    verb: Callable[..., Invoice],
    done: str,
) -> HttpResponse:
    check(request, "ledger.view_money", community)
    invoice = selectors.invoice_get(community=community, pk=pk)
    check(request, perm, invoice)
    me = member_of(request, community)
    return post_action(
        request,
        run=lambda: verb(invoice=invoice, by=me),
        back=reverse("ledger:invoice", args=[community.slug, invoice.pk]),
        message=done,
    )


@require_POST
@with_community
def invoice_accept(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _answer(request, community, pk, "ledger.answer_invoice", services.invoice_accept, _("Paid."))


@require_POST
@with_community
def invoice_reject(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    return _answer(
        request,
        community,
        pk,
        "ledger.answer_invoice",
        services.invoice_reject,
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
        services.invoice_cancel,
        _("You withdrew the request."),
    )
