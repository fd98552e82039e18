"""The pages of food distribution: from plan to plate (the priorities in force, the week's
allocations, the share cycles), an allocation with its reasons (adjusted and written by the food
group), and a share cycle (join, pledge, pay, this week's basket; run by the food group).
Parse → check → service → template."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.food.forms.plate import (
    WEEKDAYS,
    BasketForm,
    ComputeForm,
    CycleForm,
    PickupForm,
    PledgeForm,
    ShareForm,
)
from dualpower.food.models.growing import Unit
from dualpower.food.models.plate import Allocation, AllocationLine, PledgeRound, ShareCycle
from dualpower.food.plate_actions import tier_name
from dualpower.food.selectors import growing as growing_selectors
from dualpower.food.selectors import plate as selectors
from dualpower.food.services import plate_allocation as allocations
from dualpower.food.services import plate_shares as shares
from dualpower.food.views.common import GET, GET_POST, me_in
from dualpower.formatting import format_number
from dualpower.ledger import selectors as ledger_selectors
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, post_action
from dualpower.web.pages import page_of
from dualpower.web.permissions import check

SPLIT_WORDS = {
    "in_order": gettext_lazy("most urgent first, then the oldest"),
    "shared": gettext_lazy("shared in proportion to each basket"),
    "left_over": gettext_lazy("what the steps above left"),
}


def shown(quantity: Decimal) -> str:
    """A quantity without trailing zeros, in the reader's language: 2.500 → "2.5"."""
    trimmed = (
        quantity.quantize(Decimal(1)) if quantity == quantity.to_integral_value() else quantity.normalize()
    )
    return format_number(trimmed)


def reason_of(line: AllocationLine, count: int) -> str:
    return _("Step %(rank)d of %(count)d (%(tier)s): %(how)s.") % {
        "rank": line.rank,
        "count": count,
        "tier": tier_name(line.tier),
        "how": str(SPLIT_WORDS.get(line.split, line.split)),
    }


@require_http_methods(GET_POST)
@with_community
def plate(request: HttpRequest, community: Community) -> HttpResponse:
    """From plan to plate: the priorities in force, the share cycles, and for the food group the
    allocations of recent weeks and the form that computes one."""
    check(request, "food.view_plate", community)
    allocates = request.user.has_perm("food.allocate", community)
    settings = selectors.plate_settings(community=community)
    form = ComputeForm(
        request.POST if request.method == "POST" else None, initial={"week": timezone.localdate().isoformat()}
    )
    context: dict[str, Any] = {
        "priorities": [tier_name(key) for key in settings.priorities],
        "settings": settings,
        "cycles": list(selectors.cycles_of(community=community)[:20]),
        "allocations": list(selectors.allocations_of(community=community)[:12]) if allocates else [],
        "allocates": allocates,
        "manages_shares": request.user.has_perm("food.manage_shares", community),
    }
    if request.method == "POST":
        check(request, "food.allocate", community)
    if not allocates:
        return render(request, "food/plate/plate.html", {**context, "form": None})
    return form_action(
        request,
        form=form,
        run=lambda data: allocations.allocation_compute(
            community=community, week=data["week"], by=me_in(request, community)
        ),
        success=lambda a: reverse("food:plate_allocation", args=[community.slug, a.pk]),
        message=_("The week was computed: check it, adjust it if needed, then give it out."),
        template="food/plate/plate.html",
        context=context,
    )


@require_http_methods(GET_POST)
@with_community
def allocation(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """A week's allocation, line by line with its reason; a draft can be adjusted (POST)."""
    check(request, "food.allocate", community)
    found = selectors.allocation_get(community=community, pk=pk)
    # A page of lines at a time (a week can give out thousands); the totals are summed by the
    # database, so the page costs the same whatever the week's size.
    page = page_of(
        lambda limit, offset: selectors.lines_page(allocation=found, limit=limit, offset=offset),
        raw=request.GET.get("page"),
    )
    lines = page.rows
    count = len(found.priorities)
    rows = [
        {
            "line": line,
            "quantity": shown(line.quantity),
            "computed": shown(line.computed_quantity),
            "reason": reason_of(line, count),
            "field": f"line-{line.pk}",
        }
        for line in lines
    ]
    error = ""
    if request.method == "POST":
        if found.status != Allocation.Status.DRAFT:
            error = _("This allocation was already written.")
        else:
            wanted = {
                line.pk: request.POST[f"line-{line.pk}"]
                for line in lines
                if f"line-{line.pk}" in request.POST
            }
            back = reverse("food:plate_allocation", args=[community.slug, found.pk])
            if page.number > 1:
                back += f"?page={page.number}"
            return post_action(
                request,
                run=lambda: allocations.allocation_adjust(
                    allocation=found, quantities=wanted, by=me_in(request, community)
                ),
                back=back,
                message=_("The allocation was adjusted."),
            )
    destinations = dict(AllocationLine.Destination.choices)
    units = dict(Unit.choices)
    totals = [
        (
            destinations.get(row["destination"], row["destination"]),
            row["crop__name"] or _("Rescued food"),
            shown(Decimal(str(row["total"]))),
            units.get(row["log__unit"], row["log__unit"]),
        )
        for row in selectors.allocation_totals(allocation=found)
    ]
    return render(
        request,
        "food/plate/allocation.html",
        {
            "allocation": found,
            "rows": rows,
            "totals": totals,
            "page": page,
            "priorities": [tier_name(key) for key in found.priorities],
            "error": error,
            "is_draft": found.status == Allocation.Status.DRAFT,
        },
    )


@require_POST
@with_community
def allocation_write(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.allocate", community)
    found = selectors.allocation_get(community=community, pk=pk)
    return post_action(
        request,
        run=lambda: allocations.allocation_write(allocation=found, by=me_in(request, community)),
        back=reverse("food:plate_allocation", args=[community.slug, found.pk]),
        message=_("The harvest was given out: the pantry's stock and the requests were updated."),
    )


@require_POST
@with_community
def allocation_discard(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.allocate", community)
    found = selectors.allocation_get(community=community, pk=pk)
    return post_action(
        request,
        run=lambda: allocations.allocation_discard(allocation=found, by=me_in(request, community)),
        back=reverse("food:plate_allocation", args=[community.slug, found.pk]),
        success=lambda _result: reverse("food:plate", args=[community.slug]),
        message=_("The draft was discarded."),
    )


def _currencies(community: Community) -> list[tuple[int, str]]:
    return [
        (c.pk, c.name) for c in ledger_selectors.currencies_of(community=community, include_inactive=False)
    ]


@require_http_methods(GET_POST)
@with_community
def cycles(request: HttpRequest, community: Community) -> HttpResponse:
    """The share cycles; the food group starts one here."""
    check(request, "food.view_plate", community)
    manages = request.user.has_perm("food.manage_shares", community)
    context = {"cycles": list(selectors.cycles_of(community=community)[:50]), "manages": manages}
    if not manages:
        return render(request, "food/plate/cycles.html", {**context, "form": None})
    if request.method == "POST":
        check(request, "food.manage_shares", community)
    currencies = _currencies(community)
    form = CycleForm(request.POST if request.method == "POST" else None, currencies=currencies)

    def run(data: dict[str, Any]) -> ShareCycle:
        chosen = None
        if data["currency"] is not None:
            chosen = next(
                (c for c in ledger_selectors.currencies_of(community=community) if c.pk == data["currency"]),
                None,
            )
        return shares.cycle_create(
            community=community,
            by=me_in(request, community),
            name=data["name"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            budget=data["budget"] or "0",
            currency=chosen,
        )

    return form_action(
        request,
        form=form,
        run=run,
        success=lambda c: reverse("food:plate_cycle", args=[community.slug, c.pk]),
        message=_("The share cycle was started: add its pickup points and its basket."),
        template="food/plate/cycles.html",
        context=context,
    )


def _week_now() -> dt.date:
    return selectors.monday(timezone.localdate())


@require_http_methods(GET)
@with_community
def cycle(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """A share cycle: its pickup points and basket; my share, my pledge and this week's basket;
    for the food group, every share and the forms that run the cycle."""
    check(request, "food.view_plate", community)
    found = selectors.cycle_get(community=community, pk=pk)
    me = membership_for(request.user, community)
    mine = selectors.share_of(cycle=found, membership=me)
    manages = request.user.has_perm("food.manage_shares", community)
    open_round = selectors.open_round(cycle=found)
    last_round = open_round or selectors.last_round(cycle=found)
    my_pledge = selectors.pledge_of(round=last_round, share=mine)
    points = list(found.pickup_points.all())
    basket = list(found.basket_lines.select_related("crop"))
    week = _week_now()
    my_basket = selectors.basket_of(share=mine, week=week) if mine else []
    context: dict[str, Any] = {
        "cycle": found,
        "points": [(p, str(dict(WEEKDAYS).get(p.weekday, ""))) for p in points],
        "basket": [(line, shown(line.quantity)) for line in basket],
        "mine": mine,
        "my_size": shown(mine.size) if mine else "",
        "my_basket": [(line, shown(line.quantity)) for line in my_basket],
        "week": week,
        "manages": manages,
        "can_join": request.user.has_perm("food.join_share", community)
        and mine is None
        and found.status != ShareCycle.Status.CLOSED
        and bool(points),
        "open_round": open_round,
        "last_round": last_round,
        "my_pledge": my_pledge,
        "suggested": selectors.suggested_pledge(cycle=found, share=mine) if mine else 0,
        "can_pay": bool(
            mine
            and my_pledge
            and my_pledge.paid_at is None
            and my_pledge.amount
            and last_round
            and last_round.status == PledgeRound.Status.REACHED
            and found.currency_id
        ),
        "pledged_total": selectors.pledges_total(round=last_round) if last_round else 0,
        "share_form": ShareForm(points=[(p.pk, p.name) for p in points]),
        "household_form": ShareForm(points=[(p.pk, p.name) for p in points], prefix="household"),
        "pledge_form": PledgeForm(),
        "next_status": _next_status(found),
    }
    if manages:
        # The cycle's shares, a page at a time: a season can have thousands.
        page = page_of(
            lambda limit, offset: selectors.shares_page(cycle=found, limit=limit, offset=offset),
            raw=request.GET.get("page"),
        )
        context["shares_page"] = page
        context["shares"] = [(s, shown(s.size)) for s in page.rows]
        units = dict(Unit.choices)
        context["packing"] = [
            {
                "point": row["share__pickup_point__name"],
                "crop": row["crop__name"],
                "total": shown(Decimal(str(row["total"]))),
                "unit": units.get(str(row["log__unit"]), row["log__unit"]),
                "shares": row["shares"],
            }
            for row in selectors.packing_list(cycle=found, week=week)
        ]
        context["pickup_form"] = PickupForm()
        context["basket_form"] = BasketForm(
            crops=[(c.pk, c.name) for c in growing_selectors.crops_of(community=community)]
        )
    return render(request, "food/plate/cycle.html", context)


def _next_status(found: ShareCycle) -> tuple[str, str] | None:
    steps = {
        ShareCycle.Status.PLANNING: (ShareCycle.Status.PLEDGING, _("Open pledging")),
        ShareCycle.Status.PLEDGING: (ShareCycle.Status.RUNNING, _("Start the season")),
        ShareCycle.Status.RUNNING: (ShareCycle.Status.CLOSED, _("Close the cycle")),
    }
    return steps.get(ShareCycle.Status(found.status))


def _cycle_page(community: Community, found: ShareCycle) -> str:
    return reverse("food:plate_cycle", args=[community.slug, found.pk])


def _cycle_form(
    request: HttpRequest, community: Community, found: ShareCycle, form: Any, run: Any, message: str
) -> HttpResponse:
    """A form posted from the cycle's page: on success back there; on a refusal, the form again
    with the sentence on its field."""
    return form_action(
        request,
        form=form,
        run=run,
        success=_cycle_page(community, found),
        message=message,
        template="food/plate/cycle_form.html",
        context={"cycle": found},
    )


@require_POST
@with_community
def cycle_join(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.join_share", community)
    found = selectors.cycle_get(community=community, pk=pk)
    form = ShareForm(request.POST, points=[(p.pk, p.name) for p in found.pickup_points.all()])
    me = me_in(request, community)

    def run(data: dict[str, Any]) -> Any:
        point = found.pickup_points.filter(pk=data["pickup_point"]).first()
        if point is None:
            raise InvalidInput(_("Choose one of this cycle's pickup points."), field="pickup_point")
        return shares.share_add(
            cycle=found, pickup_point=point, by=me, holder=me, size=data["size"], free=data["free"]
        )

    return _cycle_form(request, community, found, form, run, _("You have a share: welcome to the season."))


@require_POST
@with_community
def cycle_add_household(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_shares", community)
    found = selectors.cycle_get(community=community, pk=pk)
    form = ShareForm(
        request.POST, points=[(p.pk, p.name) for p in found.pickup_points.all()], prefix="household"
    )

    def run(data: dict[str, Any]) -> Any:
        point = found.pickup_points.filter(pk=data["pickup_point"]).first()
        if point is None:
            raise InvalidInput(_("Choose one of this cycle's pickup points."), field="pickup_point")
        return shares.share_add(
            cycle=found,
            pickup_point=point,
            by=me_in(request, community),
            size=data["size"],
            free=data["free"],
        )

    return _cycle_form(request, community, found, form, run, _("The household's share was added."))


@require_POST
@with_community
def cycle_pickup(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_shares", community)
    found = selectors.cycle_get(community=community, pk=pk)
    return _cycle_form(
        request,
        community,
        found,
        PickupForm(request.POST),
        lambda data: shares.pickup_point_add(cycle=found, by=me_in(request, community), **data),
        _("The pickup point was added."),
    )


@require_POST
@with_community
def cycle_basket(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_shares", community)
    found = selectors.cycle_get(community=community, pk=pk)
    crops = {c.pk: c for c in growing_selectors.crops_of(community=community)}
    form = BasketForm(request.POST, crops=[(pk_, c.name) for pk_, c in crops.items()])
    return _cycle_form(
        request,
        community,
        found,
        form,
        lambda data: shares.basket_line_set(
            cycle=found, crop=crops[data["crop"]], quantity=data["quantity"], by=me_in(request, community)
        ),
        _("The basket was changed."),
    )


@require_POST
@with_community
def cycle_status(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_shares", community)
    found = selectors.cycle_get(community=community, pk=pk)
    return post_action(
        request,
        run=lambda: shares.cycle_status_set(
            cycle=found, status=request.POST.get("status", ""), by=me_in(request, community)
        ),
        back=_cycle_page(community, found),
        message=_("The share cycle moved on."),
    )


@require_POST
@with_community
def cycle_round(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """Count the open round, or open another one after a round fell short."""
    check(request, "food.manage_shares", community)
    found = selectors.cycle_get(community=community, pk=pk)
    me = me_in(request, community)
    current = selectors.open_round(cycle=found)

    def run() -> PledgeRound:
        if current is not None:
            return shares.round_close(round=current, by=me)
        return shares.round_open(cycle=found, by=me)

    return post_action(
        request,
        run=run,
        back=_cycle_page(community, found),
        message=lambda r: (
            _("The pledges reached the budget: the season runs.")
            if r.status == PledgeRound.Status.REACHED
            else (
                _("The pledges fell short of the budget.")
                if r.closed_at
                else _("A new pledging round is open.")
            )
        ),
    )


@require_POST
@with_community
def cycle_pledge(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    found = selectors.cycle_get(community=community, pk=pk)
    mine = selectors.share_of(cycle=found, membership=membership_for(request.user, community))
    check(request, "food.pledge", mine)
    assert mine is not None
    current = selectors.open_round(cycle=found)
    form = PledgeForm(request.POST)

    def run(data: dict[str, Any]) -> Any:
        if current is None:
            raise InvalidInput(_("No pledging round is open."), field="amount")
        return shares.pledge_set(
            round=current, share=mine, amount=data["amount"], by=me_in(request, community)
        )

    return _cycle_form(request, community, found, form, run, _("Your pledge was recorded. Thank you."))


@require_POST
@with_community
def cycle_pay(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    found = selectors.cycle_get(community=community, pk=pk)
    mine = selectors.share_of(cycle=found, membership=membership_for(request.user, community))
    check(request, "food.pledge", mine)
    pledge = selectors.pledge_of(round=selectors.last_round(cycle=found), share=mine)

    def run() -> Any:
        if pledge is None:
            raise InvalidInput(_("There is no pledge to pay."))
        return shares.pledge_pay(pledge=pledge, by=me_in(request, community))

    return post_action(
        request, run=run, back=_cycle_page(community, found), message=_("Your pledge was paid.")
    )
