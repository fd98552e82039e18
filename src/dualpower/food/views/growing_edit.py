"""Changing and removing what the gardens keep: sites, plots, crops, plantings and seed lots. Kept
by coordinators and the food working group (``food.manage_gardens``; seed lots
``food.manage_seeds``). Each page changes one thing and has a Remove button; removing something
with a history is refused with a sentence (see services/growing_edit.py).
Parse → check → service → template."""

from __future__ import annotations

from typing import Any

from dualpower.food.forms.growing import (
    CropEditForm,
    PlantingEditForm,
    PlotEditForm,
    SeedLotEditForm,
    SiteForm,
)
from dualpower.food.selectors import growing as selectors
from dualpower.food.services import growing_edit as edits
from dualpower.food.views.common import changer, fields_of, remover
from dualpower.formatting import format_decimal
from dualpower.land import selectors as land


def _decimal(value: Any, places: int = 2) -> str:
    return "" if value is None else format_decimal(value, decimals=places)


KEEP, SEEDS = "food.manage_gardens", "food.manage_seeds"

site_edit = changer(
    KEEP,
    selectors.site_get,
    edits.site_update,
    "site",
    form=SiteForm,
    initial=lambda site: fields_of(site, "name", "place", "description", parcel=site.parcel_id),
    choices=("parcel", "parcels", lambda community: land.parcels_of(community=community)),
    done="growing_home",
    remove="growing_site_remove",
)
plot_edit = changer(
    KEEP,
    selectors.plot_get,
    edits.plot_edit,
    "plot",
    form=PlotEditForm,
    initial=lambda plot: fields_of(plot, "name", "season", area_m2=_decimal(plot.area_m2)),
    done="growing_plot",
    done_on="pk",
    remove="growing_plot_remove",
)
crop_edit = changer(
    KEEP,
    selectors.crop_get,
    edits.crop_update,
    "crop",
    form=CropEditForm,
    initial=lambda crop: fields_of(crop, "name", "family", "days_to_maturity", "unit"),
    done="growing_crops",
    remove="growing_crop_remove",
)
planting_edit = changer(
    KEEP,
    selectors.planting_get,
    edits.planting_update,
    "planting",
    form=PlantingEditForm,
    initial=lambda planting: fields_of(
        planting, "seeding_date", "harvest_weeks", area_m2=_decimal(planting.area_m2)
    ),
    done="growing_plot",
    done_on="plot_id",
    remove="growing_planting_remove",
)
seed_edit = changer(
    SEEDS,
    selectors.seed_lot_get,
    edits.seed_lot_update,
    "lot",
    form=SeedLotEditForm,
    initial=lambda lot: fields_of(
        lot,
        "variety",
        "saved_from",
        "saved_on",
        "germination_rate",
        crop=lot.crop_id,
        quantity=_decimal(lot.quantity, 3),
    ),
    choices=("crop", "crops", lambda community: selectors.crops_of(community=community)),
    done="growing_seeds",
    remove="growing_seed_remove",
)


# --- the Remove buttons --------------------------------------------------------------------------

REMOVE: dict[str, tuple[str, Any, Any, str, str, str]] = {
    # the page's name: (permission, find it, remove it, as which keyword, then go to, of which attribute)
    "site": (KEEP, selectors.site_get, edits.site_remove, "site", "growing_home", ""),
    "plot": (KEEP, selectors.plot_get, edits.plot_remove, "plot", "growing_home", ""),
    "crop": (KEEP, selectors.crop_get, edits.crop_remove, "crop", "growing_crops", ""),
    "planting": (KEEP, selectors.planting_get, edits.planting_remove, "planting", "growing_plot", "plot_id"),
    "seed": (SEEDS, selectors.seed_lot_get, edits.seed_lot_remove, "lot", "growing_seeds", ""),
}
removers = {name: remover(*spec, edit=f"growing_{name}_edit") for name, spec in REMOVE.items()}
