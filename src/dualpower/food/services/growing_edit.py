"""Changing and removing what the gardens keep: sites, plots, crops, plantings and seed lots.

Nothing that has a history is removed: a site with plots, a plot or planting with logs, a crop
that was planted, logged, put in a basket or given out, a seed lot that was lent or that saved
seed came from are refused with a sentence (their logs and allocations must stay true). A
planting's expected harvest and yield are forecast again when its seeding date or area changes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.clean import clean_choice, clean_date, clean_int, clean_int_or_none, clean_text
from dualpower.community.services import audit_record
from dualpower.core.food import forecast
from dualpower.errors import Conflict, InvalidInput
from dualpower.food.models.growing import Crop, Log, Planting, Plot, SeedLot, Site, Unit
from dualpower.food.models.plate import AllocationLine, BasketLine
from dualpower.food.selectors.growing import crop_yield
from dualpower.food.services.growing_checks import NAME_MAX, area_of, quantity_of
from dualpower.food.services.growing_sites import plot_update, site_values
from dualpower.land.models import Parcel
from dualpower.members.models import Membership

# A planting's own pending seeding log (written when it was planned) is not history.
NOT_HISTORY = Q(kind=Log.Kind.SEEDING, status=Log.Status.PENDING)


def _name_free(qs: QuerySet[Any], name: str, sentence: str) -> None:
    if qs.filter(name__iexact=name).exists():
        raise Conflict(sentence % {"name": name}, field="name")


def _audit_change(
    obj: Site | Plot | Crop | Planting | SeedLot, action: str, by: Membership | None, summary: str
) -> None:
    audit_record(community=obj.community, actor=by, action=action, target=obj, summary=summary)


# --- sites ---------------------------------------------------------------------------------------


@transaction.atomic
def site_update(
    *,
    site: Site,
    name: str,
    place: str = "",
    description: str = "",
    parcel: Parcel | None = None,
    by: Membership | None,
) -> Site:
    values = site_values(
        community=site.community, name=name, description=description, place=place, parcel=parcel, site=site
    )
    for field, value in values.items():
        setattr(site, field, value)
    site.save(update_fields=["name", "place", "description", "parcel"])
    _audit_change(site, "food.site_update", by, site.name)
    return site


@transaction.atomic
def site_remove(*, site: Site, by: Membership | None) -> None:
    """Remove a site that has no plots (a site's plots keep its history)."""
    if site.plots.exists():
        raise Conflict(_("This site has plots: remove them first (a plot with logs stays)."))
    _audit_change(site, "food.site_remove", by, site.name)
    site.delete()


# --- plots ---------------------------------------------------------------------------------------


@transaction.atomic
def plot_edit(*, plot: Plot, name: str, area_m2: object, season: str = "", by: Membership | None) -> Plot:
    """Rename a plot, or change its area or season (its people: ``plot_update``)."""
    name = clean_text(name, field="name", label=_("A name"), limit=NAME_MAX, required=True)
    _name_free(
        Plot.objects.filter(site=plot.site_id).exclude(pk=plot.pk),
        name,
        _("This site already has a plot called “%(name)s”."),
    )
    plot.name = name
    return plot_update(plot=plot, by=by, area_m2=area_m2, season=season)


@transaction.atomic
def plot_remove(*, plot: Plot, by: Membership | None) -> None:
    """Remove a plot whose plantings have no logs but their pending seeding (removed with them)."""
    logs = Log.objects.filter(planting__plot=plot)
    if logs.exclude(NOT_HISTORY).exists():
        raise Conflict(_("This plot has logs: it stays, so its history stays true."))
    logs.delete()
    _audit_change(plot, "food.plot_remove", by, plot.name)
    plot.delete()


# --- crops ---------------------------------------------------------------------------------------


@transaction.atomic
def crop_update(
    *,
    crop: Crop,
    name: str,
    days_to_maturity: object,
    unit: str,
    family: str = "",
    by: Membership | None,
) -> Crop:
    """Rename a crop, or change its family, days to maturity or unit (not once it has logs: their
    quantities were counted in the old unit)."""
    name = clean_text(name, field="name", label=_("A name"), limit=80, required=True)
    _name_free(
        Crop.objects.filter(community=crop.community_id).exclude(pk=crop.pk),
        name,
        _("There is already a crop called “%(name)s”."),
    )
    unit = clean_choice(unit, Unit, field="unit")
    if unit != crop.unit and crop.logs.exists():
        raise Conflict(
            _("This crop's harvests were counted in %(unit)s: its unit stays.")
            % {"unit": crop.get_unit_display()},
            field="unit",
        )
    crop.name = name
    crop.family = clean_text(family, field="family", label=_("The family"), limit=80)
    crop.days_to_maturity = clean_int(
        days_to_maturity, field="days_to_maturity", label=_("Days to maturity"), low=1, high=1000
    )
    crop.unit = unit
    crop.save(update_fields=["name", "family", "days_to_maturity", "unit"])
    _audit_change(crop, "food.crop_update", by, name)
    return crop


@transaction.atomic
def crop_remove(*, crop: Crop, by: Membership | None) -> None:
    """Remove a crop nobody planted, logged, put in a basket or gave out."""
    used = (
        crop.plantings.exists()
        or crop.logs.exists()
        or BasketLine.objects.filter(crop=crop).exists()
        or AllocationLine.objects.filter(crop=crop).exists()
    )
    if used:
        raise Conflict(_("This crop was planted, logged or shared: it stays, so the records stay true."))
    _audit_change(crop, "food.crop_remove", by, crop.name)
    crop.delete()


# --- plantings -----------------------------------------------------------------------------------


@transaction.atomic
def planting_update(
    *,
    planting: Planting,
    seeding_date: object,
    area_m2: object = None,
    harvest_weeks: object = 1,
    by: Membership | None,
) -> Planting:
    """Change when a planting is sown, on how much of its plot, over how many weeks it is picked:
    its expected harvest and yield are forecast again, its pending seeding log moves with it."""
    plot, crop = planting.plot, planting.crop
    seeded = clean_date(seeding_date, field="seeding_date", label=_("The seeding date"))
    area = plot.area_m2 if area_m2 in (None, "") else area_of(area_m2)
    if area > plot.area_m2:
        raise InvalidInput(_("A planting cannot be larger than its plot."), field="area_m2")
    planting.seeding_date = seeded
    planting.area_m2 = area
    planting.harvest_weeks = clean_int(
        harvest_weeks, field="harvest_weeks", label=_("Weeks of harvest"), low=1, high=52
    )
    planting.expected_harvest = forecast.expected_harvest(seeded, crop.days_to_maturity)
    planting.expected_quantity = forecast.expected_yield(area, crop_yield(crop=crop).per_m2)
    planting.save(
        update_fields=["seeding_date", "area_m2", "harvest_weeks", "expected_harvest", "expected_quantity"]
    )
    planting.logs.filter(NOT_HISTORY).update(at=timezone.make_aware(dt.datetime.combine(seeded, dt.time(9))))
    _audit_change(planting, "food.planting_update", by, str(planting))
    return planting


@transaction.atomic
def planting_remove(*, planting: Planting, by: Membership | None) -> None:
    """Remove a planting planned by mistake: refused once it has logs but its pending seeding."""
    if planting.logs.exclude(NOT_HISTORY).exists():
        raise Conflict(_("This planting has logs: mark it failed or finished instead."))
    planting.logs.all().delete()
    _audit_change(planting, "food.planting_remove", by, str(planting))
    planting.delete()


# --- seed lots -----------------------------------------------------------------------------------


@transaction.atomic
def seed_lot_update(
    *,
    lot: SeedLot,
    variety: str,
    quantity: object,
    crop: Crop | None = None,
    saved_from: str = "",
    saved_on: dt.date | None = None,
    germination_rate: object = None,
    by: Membership | None,
) -> SeedLot:
    """Correct a lot: its variety, crop, origin, germination rate, or the quantity counted."""
    if crop is not None and crop.community_id != lot.community_id:
        raise InvalidInput(_("Choose a crop of this community."), field="crop")
    locked = SeedLot.objects.select_for_update().get(pk=lot.pk)
    amount = quantity_of(quantity, field="quantity", label=_("The quantity"))
    assert amount is not None
    locked.variety = clean_text(
        variety, field="variety", label=_("The variety"), limit=NAME_MAX, required=True
    )
    locked.crop = crop
    locked.saved_from = clean_text(
        saved_from, field="saved_from", label=_("Where it was saved from"), limit=200
    )
    locked.saved_on = saved_on
    locked.germination_rate = clean_int_or_none(
        germination_rate, field="germination_rate", label=_("The germination rate"), low=0, high=100
    )
    locked.quantity = amount
    locked.save(update_fields=["variety", "crop", "saved_from", "saved_on", "germination_rate", "quantity"])
    _audit_change(locked, "food.seed_lot_update", by, locked.variety)
    return locked


@transaction.atomic
def seed_lot_remove(*, lot: SeedLot, by: Membership | None) -> None:
    """Remove a lot that was never lent and that no saved seed came from."""
    if lot.loans.exists() or lot.saved_lots.exists():
        raise Conflict(_("This seed was lent or saved seed came from it: it stays in the library's history."))
    _audit_change(lot, "food.seed_lot_remove", by, lot.variety)
    lot.delete()
