"""Pages for co-ops: parse → check rule → call service → template.

Every action is a plain form post answered with a redirect and a message, so the pages work
without JavaScript on any phone.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.coops import selectors, services
from dualpower.coops.forms import CoopEditForm, CoopForm, OperationForm, PatronageForm
from dualpower.coops.models import Cooperative, CoopMember
from dualpower.coops.rules import place_for, remember_place
from dualpower.errors import DomainError, NotFound, PermissionDenied
from dualpower.formatting import format_amount
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web import charts
from dualpower.web.actions import attach_error, form_action, post_action, render_form
from dualpower.web.fragments import Later
from dualpower.web.pages import page_number, page_of
from dualpower.web.permissions import check, may

GET = ["GET", "HEAD"]
GET_POST = ["GET", "HEAD", "POST"]


def _coop(request: HttpRequest, community: Community, slug: str, perm: str) -> Cooperative:
    check(request, "coops.list_coops", community)
    coop = selectors.coop_get(community=community, slug=slug)
    check(request, perm, coop)
    return coop


def _me(request: HttpRequest, community: Community) -> Membership:
    """The member acting, asked for after a rule that admits only members of the community."""
    me = membership_for(request.user, community)
    if me is None:
        raise PermissionDenied()
    return me


@require_http_methods(GET)
@with_community
def coop_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "coops.list_coops", community)
    me = membership_for(request.user, community)
    places = {p.coop_id: p for p in CoopMember.objects.filter(membership=me)} if me else {}
    coops = page_of(
        lambda limit, offset: selectors.coops_page(community=community, limit=limit, offset=offset),
        raw=request.GET.get("page"),
    )
    rows = [{"coop": c, "place": places.get(c.pk)} for c in coops.rows]
    return render(
        request,
        "coops/list.html",
        {"rows": rows, "page": coops, "can_add": request.user.has_perm("coops.add_coop", community)},
    )


@require_http_methods(GET_POST)
@with_community
def coop_create(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "coops.add_coop", community)
    me = membership_for(request.user, community)
    return form_action(
        request,
        form=CoopForm(request.POST or None),
        run=lambda data: services.coop_create(community=community, founder=me, by=me, **data),
        success=lambda coop: reverse("coops:detail", args=[community.slug, coop.slug]),
        message=lambda coop: _("The co-op “%(name)s” is registered.") % {"name": coop.name},
        template="coops/form.html",
        context={"coop": None},
    )


@require_http_methods(GET_POST)
@with_community
def coop_edit(request: HttpRequest, community: Community, coop: str) -> HttpResponse:
    co = _coop(request, community, coop, "coops.change_coop")
    fields = ("name", "purpose", "status", "share_price", "min_shares", "max_shares", "min_cash_percent")
    me = membership_for(request.user, community)
    return form_action(
        request,
        form=CoopEditForm(request.POST or None, initial={f: getattr(co, f) for f in fields}),
        run=lambda data: services.coop_update(coop=co, by=me, **data),
        success=reverse("coops:detail", args=[community.slug, co.slug]),
        message=_("Saved."),
        template="coops/form.html",
        context={"coop": co},
    )


@require_http_methods(GET)
@with_community
def coop_detail(request: HttpRequest, community: Community, coop: str) -> HttpResponse:
    user = request.user
    check(request, "coops.list_coops", community)
    me = membership_for(user, community)
    if me is None:
        co = selectors.coop_get(community=community, slug=coop)
    else:  # the visitor's place read with the co-op, for the rules below
        co, mine = selectors.coop_and_place_get(community=community, slug=coop, membership=me)
        remember_place(user, co, mine)
    check(request, "coops.view_coop", co)
    is_board = may(user, "coops.decide_requests", co)
    can_view_capital = may(user, "coops.view_capital", co)
    can_change = may(user, "coops.change_coop", co)
    # The co-op's own parts are kept fragments (templates/coops/detail.html), keyed by the co-op,
    # the visitor's answers that change them and the page of each list: their reads are ``Later``,
    # made only when a fragment is rendered. Two lists on one page, each paged by its own
    # parameter (web.pages).
    members_no = page_number(request.GET.get("members"))
    requests_no = page_number(request.GET.get("requests"))
    return render(
        request,
        "coops/detail.html",
        {
            "coop": co,
            "place": place_for(user, co),
            "members_no": members_no,
            "members_page": Later(
                page_of,
                lambda limit, offset: selectors.coop_members_page(coop=co, limit=limit, offset=offset),
                raw=str(members_no),
            ),
            "requests_no": requests_no,
            "requests_page": Later(
                page_of,
                lambda limit, offset: selectors.coop_members_page(
                    coop=co, limit=limit, offset=offset, status=CoopMember.Status.PENDING
                ),
                raw=str(requests_no),
            )
            if is_board
            else None,
            "is_board": is_board,
            "can_join": may(user, "coops.join_coop", co),
            "can_leave": may(user, "coops.leave_coop", co),
            "can_change": can_change,
            "can_set_board": may(user, "coops.set_board", co),
            "can_view_capital": can_view_capital,
            "accounts": Later(selectors.ledger_accounts, coop=co) if can_view_capital or can_change else [],
        },
    )


@require_POST
@with_community
def accounts_open(request: HttpRequest, community: Community, coop: str) -> HttpResponse:
    co = _coop(request, community, coop, "coops.change_coop")
    me = _me(request, community)
    done = _("The co-op has an account in each of the community's currencies.")
    return post_action(
        request,
        run=lambda: services.coop_accounts_open(coop=co, by=me),
        back=reverse("coops:detail", args=[community.slug, co.slug]),
        message=done,
    )


@require_POST
@with_community
def coop_join(request: HttpRequest, community: Community, coop: str) -> HttpResponse:
    co = _coop(request, community, coop, "coops.join_coop")
    me = _me(request, community)
    done = _("You asked to join; the board will answer.")
    return post_action(
        request,
        run=lambda: services.coop_join(coop=co, membership=me),
        back=reverse("coops:detail", args=[community.slug, co.slug]),
        message=done,
    )


@require_POST
@with_community
def coop_leave(request: HttpRequest, community: Community, coop: str) -> HttpResponse:
    co = _coop(request, community, coop, "coops.leave_coop")
    me = _me(request, community)
    place = selectors.place_of(coop=co, membership=me)
    if place is None:
        raise NotFound(_("You are not a member of this co-op."))
    return post_action(
        request,
        run=lambda: services.coop_leave(place=place, by=me),
        back=reverse("coops:detail", args=[community.slug, co.slug]),
        message=_("You left the co-op."),
    )


def _member_action(
    request: HttpRequest, community: Community, coop: str, pk: int, perm: str
) -> tuple[Cooperative, CoopMember, Membership]:
    co = _coop(request, community, coop, perm)
    return co, selectors.coop_member_get(coop=co, pk=pk), _me(request, community)


@require_POST
@with_community
def request_approve(request: HttpRequest, community: Community, coop: str, pk: int) -> HttpResponse:
    co, place, me = _member_action(request, community, coop, pk, "coops.decide_requests")
    done = _("%(name)s is now a member.") % {"name": place.membership.display_name}
    return post_action(
        request,
        run=lambda: services.coop_request_approve(place=place, by=me),
        back=reverse("coops:detail", args=[community.slug, co.slug]),
        message=done,
    )


@require_POST
@with_community
def request_decline(request: HttpRequest, community: Community, coop: str, pk: int) -> HttpResponse:
    co, place, me = _member_action(request, community, coop, pk, "coops.decide_requests")
    done = _("The request was declined.")
    return post_action(
        request,
        run=lambda: services.coop_request_decline(place=place, by=me),
        back=reverse("coops:detail", args=[community.slug, co.slug]),
        message=done,
    )


@require_POST
@with_community
def board_set(request: HttpRequest, community: Community, coop: str, pk: int) -> HttpResponse:
    co, place, me = _member_action(request, community, coop, pk, "coops.set_board")
    is_board = request.POST.get("is_board") == "1"
    return post_action(
        request,
        run=lambda: services.coop_board_set(place=place, is_board=is_board, by=me),
        back=reverse("coops:detail", args=[community.slug, co.slug]),
        message=_("The board was updated."),
    )


def _operation_form(request: HttpRequest, co: Cooperative, data: Any = None) -> OperationForm:
    return OperationForm(
        data,
        members=list(selectors.coop_members(coop=co)),
        is_board=request.user.has_perm("coops.decide_operation", co),
    )


@require_http_methods(GET_POST)
@with_community
def capital_page(request: HttpRequest, community: Community, coop: str) -> HttpResponse:
    co = _coop(request, community, coop, "coops.view_capital")
    me = membership_for(request.user, community)
    form = _operation_form(request, co, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        check(request, "coops.propose_operation", co)
        if form.is_valid():
            data = form.cleaned_data
            try:
                member_id = data.get("member")
                member = (
                    selectors.coop_member_get(coop=co, pk=member_id)
                    if member_id
                    else selectors.place_of(coop=co, membership=me)
                )
                if member is None:
                    raise NotFound(_("You are not a member of this co-op."))
                to_id = data.get("to_member")
                to_member = selectors.coop_member_get(coop=co, pk=to_id) if to_id else None
                services.capital_operation_create(
                    coop=co,
                    kind=data["kind"],
                    member=member,
                    shares=data["shares"],
                    to_member=to_member,
                    note=data["note"],
                    by=_me(request, community),
                )
            except DomainError as exc:
                attach_error(form, exc)
            else:
                messages.success(request, _("The operation is drafted; the board will review it."))
                return redirect("coops:capital", community.slug, co.slug)
    accounts = selectors.capital_of(coop=co)
    chart = charts.bar_chart(
        [(a.member.membership.display_name, a.amount) for a in accounts if a.shares or a.amount],
        title=_("Capital held by each member"),
        label_header=_("Member"),
        value_label=_("Capital"),
        format_value=lambda v: format_amount(int(v)),
    )
    return render_form(
        request,
        "coops/capital.html",
        form,
        {
            "coop": co,
            "chart": chart,
            "accounts": accounts,
            "totals": selectors.coop_totals(coop=co),
            "operations": list(selectors.operations_of(coop=co)[:200]),
            "register": list(selectors.register_of(coop=co).order_by("-created_at", "-id")[:200]),
            "is_board": request.user.has_perm("coops.decide_operation", co),
        },
    )


OPERATION_VERBS = {
    "approve": (services.capital_operation_approve, "coops.decide_operation"),
    "complete": (services.capital_operation_complete, "coops.decide_operation"),
    "cancel": (services.capital_operation_cancel, "coops.propose_operation"),
}


@require_POST
@with_community
def operation_action(
    request: HttpRequest, community: Community, coop: str, pk: int, verb: str
) -> HttpResponse:
    if verb not in OPERATION_VERBS:
        raise NotFound()
    service, perm = OPERATION_VERBS[verb]
    co = _coop(request, community, coop, perm)
    op = selectors.operation_get(coop=co, pk=pk)
    me = _me(request, community)
    done = {
        "approve": _("Approved."),
        "complete": _("Done: written to the register."),
        "cancel": _("Cancelled."),
    }[verb]
    return post_action(
        request,
        run=lambda: service(operation=op, by=me),
        back=reverse("coops:capital", args=[community.slug, co.slug]),
        message=done,
    )


@require_http_methods(GET_POST)
@with_community
def patronage_page(request: HttpRequest, community: Community, coop: str) -> HttpResponse:
    co = _coop(request, community, coop, "coops.view_patronage")
    can_propose = request.user.has_perm("coops.propose_patronage", co)
    members = list(selectors.coop_members(coop=co))
    form = PatronageForm(
        request.POST if request.method == "POST" else None,
        members=members,
        initial={
            "cash_percent": co.min_cash_percent,
            "measure": "hours" if co.kind == "worker" else "purchases",
        },
    )
    if request.method == "POST":
        check(request, "coops.propose_patronage", co)
        if form.is_valid():
            try:
                services.patronage_propose(
                    coop=co,
                    year=form.cleaned_data["year"],
                    surplus=form.cleaned_data["surplus"],
                    measure=form.cleaned_data["measure"],
                    cash_percent=form.cleaned_data["cash_percent"],
                    patronage=form.patronage(),
                    by=_me(request, community),
                )
            except DomainError as exc:
                attach_error(form, exc)
            else:
                messages.success(request, _("The allocation is proposed; check it, then adopt it."))
                return redirect("coops:patronage", community.slug, co.slug)
    allocations = list(selectors.allocations_of(coop=co).prefetch_related("lines__member__membership"))
    measures = dict(PatronageForm.base_fields["measure"].choices)  # type: ignore[attr-defined]
    for allocation in allocations:
        # The measure is stored as a code ("hours"): the reader reads it in their language.
        allocation.measure_shown = measures.get(allocation.measure, allocation.measure)  # type: ignore[attr-defined]
        allocation.split_chart = charts.share_bar(  # type: ignore[attr-defined]  # for the template only
            [
                (_("Paid in cash"), allocation.total_cash),
                (_("Retained in capital accounts"), allocation.total_retained),
            ],
            title=_("How the %(year)s surplus is split") % {"year": allocation.year},
            format_value=lambda v: format_amount(int(v)),
        )
    context = {
        "coop": co,
        "allocations": allocations,
        "can_adopt": request.user.has_perm("coops.adopt_patronage", co),
    }
    if not can_propose:
        return render(request, "coops/patronage.html", {**context, "form": None})
    return render_form(request, "coops/patronage.html", form, context)


@require_POST
@with_community
def patronage_adopt(request: HttpRequest, community: Community, coop: str, pk: int) -> HttpResponse:
    co = _coop(request, community, coop, "coops.adopt_patronage")
    allocation = selectors.allocation_get(coop=co, pk=pk)
    me = _me(request, community)
    done = _("Adopted: the retained parts are in the capital accounts.")
    return post_action(
        request,
        run=lambda: services.patronage_adopt(allocation=allocation, by=me),
        back=reverse("coops:patronage", args=[community.slug, co.slug]),
        message=done,
    )
