"""Changing and removing what the gardens keep: sites, plots, crops, plantings and seed lots. Kept
by coordinators and the food working group (``food.manage_gardens``; seed lots
``food.manage_seeds``). Each page changes one thing and has a Remove button; removing something
with a history is refused with a sentence (see services/growing_edit.py).
Parse → check → service → template."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.food.forms.growing import (
    CropEditForm,
    PlantingEditForm,
    PlotEditForm,
    SeedLotEditForm,
    SiteForm,
)
from dualpower.food.selectors import growing as selectors
from dualpower.food.services import growing_edit as edits
from dualpower.food.views.common import GET_POST, change_page, fields_of, food_url, me_in, pick, remover
from dualpower.formatting import format_decimal
from dualpower.land import selectors as land
from dualpower.web.permissions import check


def _decimal(value: Any, places: int = 2) -> str:
    return "" if value is None else format_decimal(value, decimals=places)


@require_http_methods(GET_POST)
@with_community
def site_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_gardens", community)
    site, me = selectors.site_get(community=community, pk=pk), me_in(request, community)
    parcels = list(land.parcels_of(community=community))
    initial = fields_of(site, "name", "place", "description", parcel=site.parcel_id)
    return change_page(
        request,
        community,
        site,
        form=SiteForm(request.POST or None, parcels=parcels, initial=initial),
        run=lambda data: edits.site_update(
            site=site, by=me, **{**data, "parcel": pick(parcels, data["parcel"])}
        ),
        success=food_url("growing_home", community),
        remove="growing_site_remove",
    )


@require_http_methods(GET_POST)
@with_community
def plot_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_gardens", community)
    plot, me = selectors.plot_get(community=community, pk=pk), me_in(request, community)
    initial = fields_of(plot, "name", "season", area_m2=_decimal(plot.area_m2))
    return change_page(
        request,
        community,
        plot,
        form=PlotEditForm(request.POST or None, initial=initial),
        run=lambda data: edits.plot_edit(plot=plot, by=me, **data),
        success=food_url("growing_plot", community, plot.pk),
        remove="growing_plot_remove",
    )


@require_http_methods(GET_POST)
@with_community
def crop_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_gardens", community)
    crop, me = selectors.crop_get(community=community, pk=pk), me_in(request, community)
    return change_page(
        request,
        community,
        crop,
        form=CropEditForm(
            request.POST or None, initial=fields_of(crop, "name", "family", "days_to_maturity", "unit")
        ),
        run=lambda data: edits.crop_update(crop=crop, by=me, **data),
        success=food_url("growing_crops", community),
        remove="growing_crop_remove",
    )


@require_http_methods(GET_POST)
@with_community
def planting_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_gardens", community)
    planting, me = selectors.planting_get(community=community, pk=pk), me_in(request, community)
    initial = fields_of(planting, "seeding_date", "harvest_weeks", area_m2=_decimal(planting.area_m2))
    return change_page(
        request,
        community,
        planting,
        form=PlantingEditForm(request.POST or None, initial=initial),
        run=lambda data: edits.planting_update(planting=planting, by=me, **data),
        success=food_url("growing_plot", community, planting.plot_id),
        remove="growing_planting_remove",
    )


@require_http_methods(GET_POST)
@with_community
def seed_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_seeds", community)
    lot, me = selectors.seed_lot_get(community=community, pk=pk), me_in(request, community)
    crops = list(selectors.crops_of(community=community))
    initial = fields_of(
        lot,
        "variety",
        "saved_from",
        "saved_on",
        "germination_rate",
        crop=lot.crop_id,
        quantity=_decimal(lot.quantity, 3),
    )
    return change_page(
        request,
        community,
        lot,
        form=SeedLotEditForm(request.POST or None, crops=crops, initial=initial),
        run=lambda data: edits.seed_lot_update(lot=lot, by=me, **{**data, "crop": pick(crops, data["crop"])}),
        success=food_url("growing_seeds", community),
        remove="growing_seed_remove",
    )


# --- the Remove buttons --------------------------------------------------------------------------

KEEP, SEEDS = "food.manage_gardens", "food.manage_seeds"
REMOVE: dict[str, tuple[str, Any, Any, str, str, str]] = {
    # the page's name: (permission, find it, remove it, as which keyword, then go to, of which attribute)
    "site": (KEEP, selectors.site_get, edits.site_remove, "site", "growing_home", ""),
    "plot": (KEEP, selectors.plot_get, edits.plot_remove, "plot", "growing_home", ""),
    "crop": (KEEP, selectors.crop_get, edits.crop_remove, "crop", "growing_crops", ""),
    "planting": (KEEP, selectors.planting_get, edits.planting_remove, "planting", "growing_plot", "plot_id"),
    "seed": (SEEDS, selectors.seed_lot_get, edits.seed_lot_remove, "lot", "growing_seeds", ""),
}
removers = {name: remover(*spec, edit=f"growing_{name}_edit") for name, spec in REMOVE.items()}
