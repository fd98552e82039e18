"""Changing and removing a share cycle and its pickup points (the food group's:
``food.manage_shares``). A cycle with shares, or a point shares pick up at, stays: removing it is
refused with a sentence. Parse → check → service → template."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.food.forms.plate import CycleEditForm, PickupForm
from dualpower.food.selectors import plate as selectors
from dualpower.food.services import plate_shares as shares
from dualpower.food.views.common import GET_POST, change_page, fields_of, food_url, me_in, remover
from dualpower.web.permissions import check

CYCLE_FORM = "food/plate/cycle_form.html"


@require_http_methods(GET_POST)
@with_community
def cycle_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_shares", community)
    found, me = selectors.cycle_get(community=community, pk=pk), me_in(request, community)
    # A budget in a currency is left empty: the budget stays unless a new one is typed.
    budget = str(found.budget) if found.currency is None else ""
    initial = {
        "name": found.name,
        "starts_on": found.starts_on.isoformat(),
        "ends_on": found.ends_on.isoformat(),
    }
    return change_page(
        request,
        community,
        found,
        form=CycleEditForm(request.POST or None, initial={**initial, "budget": budget}),
        run=lambda data: shares.cycle_update(cycle=found, by=me, **data),
        success=food_url("plate_cycle", community, found.pk),
        remove="plate_cycle_remove",
        template=CYCLE_FORM,
        context={"cycle": found},
    )


@require_http_methods(GET_POST)
@with_community
def pickup_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_shares", community)
    point, me = selectors.pickup_point_get(community=community, pk=pk), me_in(request, community)
    return change_page(
        request,
        community,
        point,
        form=PickupForm(request.POST or None, initial=fields_of(point, "name", "place", "weekday", "hours")),
        run=lambda data: shares.pickup_point_update(point=point, by=me, **data),
        success=food_url("plate_cycle", community, point.cycle_id),
        remove="plate_pickup_remove",
        template=CYCLE_FORM,
        context={"cycle": point.cycle},
    )


SHARES = "food.manage_shares"
removers = {
    "cycle": remover(
        SHARES, selectors.cycle_get, shares.cycle_remove, "cycle", "plate_cycles", edit="plate_cycle_edit"
    ),
    "pickup": remover(
        SHARES,
        selectors.pickup_point_get,
        shares.pickup_point_remove,
        "point",
        "plate_cycle",
        "cycle_id",
        edit="plate_pickup_edit",
    ),
}
