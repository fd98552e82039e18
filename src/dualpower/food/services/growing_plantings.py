"""Every write about plantings and their logs: a crop planned in a plot, what was done or seen
(seeding, one-tap harvests, rescue pickups), and a pending log marked done."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.clean import clean_choice, clean_int, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.core.food import forecast
from dualpower.errors import InvalidInput
from dualpower.food.models.growing import Crop, FoodSeries, Log, Planting, Plot
from dualpower.food.selectors.growing import crop_yield
from dualpower.food.services.growing_checks import (
    NAME_MAX,
    TEXT_MAX,
    area_of,
    checked_member_or_none,
    quantity_of,
    unit_of,
)
from dualpower.members.models import Membership


@transaction.atomic
def planting_create(
    *,
    plot: Plot,
    crop: Crop,
    seeding_date: dt.date,
    area_m2: object = None,
    harvest_weeks: object = 1,
    by: Membership | None,
) -> Planting:
    """Plan a crop in a plot: the expected harvest and yield come from the forecast (the crop's
    days to maturity, and its yield per m² as learned or set). A seeding log is left pending."""
    community = plot.community
    if crop.community_id != community.pk:
        raise InvalidInput(_("Choose a crop of this community."), field="crop")
    area = plot.area_m2 if area_m2 in (None, "") else area_of(area_m2)
    if area > plot.area_m2:
        raise InvalidInput(_("A planting cannot be larger than its plot."), field="area_m2")
    weeks = clean_int(harvest_weeks, field="harvest_weeks", label=_("Weeks of harvest"), low=1, high=52)
    rate = crop_yield(crop=crop)
    planting = Planting.objects.create(
        community=community,
        plot=plot,
        crop=crop,
        seeding_date=seeding_date,
        area_m2=area,
        harvest_weeks=weeks,
        expected_harvest=forecast.expected_harvest(seeding_date, crop.days_to_maturity),
        expected_quantity=forecast.expected_yield(area, rate.per_m2),
    )
    Log.objects.create(
        community=community,
        kind=Log.Kind.SEEDING,
        status=Log.Status.PENDING,
        planting=planting,
        crop=crop,
        name=_("Seed %(crop)s in %(plot)s") % {"crop": crop.name, "plot": plot.name},
        at=timezone.make_aware(dt.datetime.combine(seeding_date, dt.time(9))),
        by=by,
    )
    audit_record(
        community=community, actor=by, action="food.planting_create", target=planting, summary=str(planting)
    )
    return planting


def _seeded(planting: Planting) -> None:
    """A planting that grows was sown: its pending seeding log is done (one UPDATE by condition)."""
    Log.objects.filter(planting=planting, kind=Log.Kind.SEEDING, status=Log.Status.PENDING).update(
        status=Log.Status.DONE
    )


@transaction.atomic
def planting_set_status(*, planting: Planting, status: str, by: Membership | None) -> Planting:
    """Growing, finished (its harvests then teach the crop's yield) or failed."""
    planting.status = clean_choice(status, Planting.Status, field="status")
    planting.save(update_fields=["status"])
    if planting.status in (Planting.Status.GROWING, Planting.Status.FINISHED):
        _seeded(planting)
    audit_record(
        community=planting.community,
        actor=by,
        action="food.planting_status",
        target=planting,
        summary=str(planting),
        data={"status": planting.status},
    )
    return planting


# --- logs ----------------------------------------------------------------------------------------


@transaction.atomic
def log_create(
    *,
    community: Community,
    kind: str,
    by: Membership | None,
    at: dt.datetime | None = None,
    status: str = Log.Status.DONE,
    planting: Planting | None = None,
    crop: Crop | None = None,
    quantity: object = None,
    unit: str = "",
    lot: str = "",
    name: str = "",
    notes: str = "",
    source: str = "",
    round: FoodSeries | None = None,
) -> Log:
    """Record what was done or seen. A harvest or a rescue pickup needs a quantity and a unit;
    a log of a planting is of the planting's crop. Two people logging against one planting at
    the same moment each add a row: nothing is read and rewritten, so both are kept."""
    kind = clean_choice(kind, Log.Kind, field="kind")
    status = clean_choice(status, Log.Status, field="status")
    if planting is not None:
        if planting.community_id != community.pk:
            raise InvalidInput(_("Choose a planting of this community."), field="planting")
        if crop is not None and crop.pk != planting.crop_id:
            raise InvalidInput(_("A log of a planting is of the planting's crop."), field="crop")
        crop = planting.crop
    if crop is not None and crop.community_id != community.pk:
        raise InvalidInput(_("Choose a crop of this community."), field="crop")
    needs_quantity = kind in (Log.Kind.HARVEST, Log.Kind.RESCUE)
    amount = quantity_of(quantity, field="quantity", label=_("The quantity"), required=needs_quantity)
    if needs_quantity and amount is not None and amount <= 0 and status == Log.Status.DONE:
        raise InvalidInput(
            _("A harvest or a pickup of nothing is not logged: give what was weighed."), field="quantity"
        )
    if kind == Log.Kind.HARVEST and crop is None:
        raise InvalidInput(_("Say which crop was harvested."), field="crop")
    if amount is not None:
        unit = unit_of(unit or (crop.unit if crop else ""))
    elif unit:
        unit = unit_of(unit)
    log = Log.objects.create(
        community=community,
        kind=kind,
        status=status,
        planting=planting,
        crop=crop,
        quantity=amount,
        unit=unit,
        lot=clean_text(lot, field="lot", label=_("The lot"), limit=60),
        name=clean_text(name, field="name", label=_("A name"), limit=200),
        notes=clean_text(notes, field="notes", label=_("Notes"), limit=TEXT_MAX),
        source=clean_text(source, field="source", label=_("Where it was rescued from"), limit=NAME_MAX),
        round=round,
        at=at or timezone.now(),
        by=checked_member_or_none(community, by, field="by"),
    )
    audit_record(
        community=community,
        actor=by,
        action=f"food.log_{kind}",
        target=log,
        summary=crop.name if crop else log.source,
        data={"quantity": str(amount) if amount is not None else None, "unit": unit},
    )
    return log


@transaction.atomic
def harvest_log(
    *,
    planting: Planting,
    quantity: object,
    by: Membership,
    unit: str = "",
    lot: str = "",
    at: dt.datetime | None = None,
) -> Log:
    """One tap on a phone: what was just picked from a planting, in the crop's unit; a growing
    or planned planting becomes growing."""
    log = log_create(
        community=planting.community,
        kind=Log.Kind.HARVEST,
        by=by,
        at=at,
        planting=planting,
        quantity=quantity,
        unit=unit,
        lot=lot,
    )
    # A single UPDATE by condition: two harvests at once never overwrite each other.
    Planting.objects.filter(pk=planting.pk, status=Planting.Status.PLANNED).update(
        status=Planting.Status.GROWING
    )
    _seeded(planting)
    return log


@transaction.atomic
def log_set_status(*, log: Log, status: str, by: Membership | None) -> Log:
    """Mark a pending log done, or abandoned."""
    log.status = clean_choice(status, Log.Status, field="status")
    log.save(update_fields=["status"])
    audit_record(
        community=log.community, actor=by, action="food.log_status", target=log, data={"status": log.status}
    )
    return log
