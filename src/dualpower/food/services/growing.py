"""Every write about growing: sites, plots and their gardeners, crops, plantings, logs (one-tap
harvests and rescue pickups included), work-day and rescue series, and the seed library.

Quantities are Decimals with at most three places (kilograms to the gram); what people type is
read through ``dualpower.clean`` in the active language (``"2,5"`` in Spanish).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.activities import services as activities
from dualpower.activities.models import Series
from dualpower.clean import (
    clean_amount,
    clean_choice,
    clean_date,
    clean_int,
    clean_int_or_none,
    clean_text,
)
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.core.food import forecast
from dualpower.errors import Conflict, InvalidInput
from dualpower.food.models.growing import (
    Crop,
    FoodSeries,
    Log,
    Planting,
    Plot,
    SeedLoan,
    SeedLot,
    Site,
    Unit,
)
from dualpower.food.selectors.growing import crop_yield
from dualpower.formatting import format_number
from dualpower.land.models import Parcel
from dualpower.members.models import Membership
from dualpower.notifications.services import notification_send
from dualpower.notifications.text import text as notice_text

TEXT_MAX = 5000
NAME_MAX = 120
MAX_QUANTITY = Decimal("1000000")  # a million kilograms in one log is a typing mistake
MAX_AREA = Decimal("10000000")  # ten square kilometres
LOAN_DAYS = 182  # seed lent without a day to bring it back is due a season later
LOAN_DAYS_MAX = 731
REMIND_DAYS = 7  # the borrower is reminded this many days before the day to bring seed back


def quantity_of(value: object, *, field: str, label: str, required: bool = True) -> Decimal | None:
    """A quantity typed or given: text in the active language ("2.5" / "2,5"), an int or a
    Decimal; zero or more, at most three decimal places, at most a million."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(_("%(label)s is needed.") % {"label": label}, field=field)
        return None
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InvalidInput(_("%(label)s must be a number.") % {"label": label}, field=field)
        try:
            thousandths = value.scaleb(3)
            whole = thousandths == thousandths.to_integral_value()
        except InvalidOperation:
            whole = False
        if not whole:
            raise InvalidInput(_("%(label)s has at most 3 decimal places.") % {"label": label}, field=field)
        result = value
    else:
        units = clean_amount(value, field=field, label=label, decimals=3)
        result = Decimal(units).scaleb(-3)
    if result < 0:
        raise InvalidInput(_("%(what)s cannot be negative.") % {"what": label}, field=field)
    if result > MAX_QUANTITY:
        raise InvalidInput(_("%(what)s is too large.") % {"what": label}, field=field)
    return result.quantize(forecast.PLACES)


def _required_quantity(value: object) -> Decimal:
    amount = quantity_of(value, field="quantity", label=_("The quantity"))
    assert amount is not None  # required
    return amount


def area_of(value: object, *, field: str = "area_m2", label: str | None = None) -> Decimal:
    label = label or _("The area")
    area = quantity_of(value, field=field, label=label)
    assert area is not None
    if area <= 0:
        raise InvalidInput(_("%(what)s must be more than zero.") % {"what": label}, field=field)
    if area > MAX_AREA:
        raise InvalidInput(_("%(what)s is too large.") % {"what": label}, field=field)
    if area != area.quantize(Decimal("0.01")):
        raise InvalidInput(_("%(label)s has at most 2 decimal places.") % {"label": label}, field=field)
    return area


def _unit(value: object, *, field: str = "unit") -> str:
    return clean_choice(value, Unit, field=field)


def _member_here(community: Community, membership: Membership | None, *, field: str) -> Membership | None:
    if membership is None:
        return None
    return _member(community, membership, field=field)


def _member(community: Community, membership: Membership, *, field: str) -> Membership:
    if membership.community_id != community.pk or not membership.is_active:
        raise InvalidInput(_("Choose a member of this community."), field=field)
    return membership


# --- sites and plots ---------------------------------------------------------------------------


@transaction.atomic
def site_create(
    *,
    community: Community,
    name: str,
    description: str = "",
    place: str = "",
    parcel: Parcel | None = None,
    by: Membership | None,
) -> Site:
    """A garden or a farm, optionally on one of the land trust's parcels."""
    values = site_values(community=community, name=name, description=description, place=place, parcel=parcel)
    site = Site.objects.create(community=community, **values)
    audit_record(community=community, actor=by, action="food.site_create", target=site, summary=site.name)
    return site


def site_values(
    *,
    community: Community,
    name: str,
    description: str,
    place: str,
    parcel: Parcel | None,
    site: Site | None = None,
) -> dict[str, Any]:
    """A site's fields as given, checked: a name no other site of the community has, a parcel of
    the community's land trust."""
    name = clean_text(name, field="name", label=_("A name"), limit=NAME_MAX, required=True)
    if parcel is not None and parcel.community_id != community.pk:
        raise InvalidInput(_("Choose a parcel of this community's land trust."), field="parcel")
    others = Site.objects.filter(community=community)
    if site is not None:
        others = others.exclude(pk=site.pk)
    if others.filter(name__iexact=name).exists():
        raise Conflict(_("There is already a site called “%(name)s”.") % {"name": name}, field="name")
    return {
        "name": name,
        "description": clean_text(description, field="description", label=_("A description"), limit=TEXT_MAX),
        "place": clean_text(place, field="place", label=_("The place"), limit=NAME_MAX),
        "parcel": parcel,
    }


@transaction.atomic
def plot_create(
    *,
    site: Site,
    name: str,
    area_m2: object,
    season: str = "",
    steward: Membership | None = None,
    gardeners: Sequence[Membership] = (),
    by: Membership | None,
) -> Plot:
    """A bed or a field on ``site``, with its steward and gardeners for the season."""
    community = site.community
    name = clean_text(name, field="name", label=_("A name"), limit=NAME_MAX, required=True)
    if site.plots.filter(name__iexact=name).exists():
        raise Conflict(_("This site already has a plot called “%(name)s”.") % {"name": name}, field="name")
    plot = Plot.objects.create(
        community=community,
        site=site,
        name=name,
        area_m2=area_of(area_m2),
        season=clean_text(season, field="season", label=_("The season"), limit=40),
        steward=_member_here(community, steward, field="steward"),
    )
    plot.gardeners.set([_member(community, g, field="gardeners") for g in gardeners])
    audit_record(community=community, actor=by, action="food.plot_create", target=plot, summary=name)
    return plot


@transaction.atomic
def plot_update(
    *,
    plot: Plot,
    by: Membership | None,
    steward: Membership | None = None,
    gardeners: Sequence[Membership] | None = None,
    season: str | None = None,
    area_m2: object = None,
) -> Plot:
    """Change a plot's steward, gardeners, season or area (what is given changes)."""
    community = plot.community
    if steward is not None:
        plot.steward = _member_here(community, steward, field="steward")
    if season is not None:
        plot.season = clean_text(season, field="season", label=_("The season"), limit=40)
    if area_m2 is not None:
        plot.area_m2 = area_of(area_m2)
    plot.save()
    if gardeners is not None:
        plot.gardeners.set([_member(community, g, field="gardeners") for g in gardeners])
    audit_record(community=community, actor=by, action="food.plot_update", target=plot, summary=plot.name)
    return plot


# --- crops ---------------------------------------------------------------------------------------


@transaction.atomic
def crop_create(
    *,
    community: Community,
    name: str,
    days_to_maturity: object,
    unit: str = Unit.KG,
    family: str = "",
    yield_per_m2: object = None,
    by: Membership | None,
) -> Crop:
    """A crop the gardens grow; its yield per m² is the community's to set (or leave blank)."""
    name = clean_text(name, field="name", label=_("A name"), limit=80, required=True)
    if Crop.objects.filter(community=community, name__iexact=name).exists():
        raise Conflict(_("There is already a crop called “%(name)s”.") % {"name": name}, field="name")
    crop = Crop.objects.create(
        community=community,
        name=name,
        family=clean_text(family, field="family", label=_("The family"), limit=80),
        days_to_maturity=clean_int(
            days_to_maturity, field="days_to_maturity", label=_("Days to maturity"), low=1, high=1000
        ),
        unit=_unit(unit),
        yield_per_m2=quantity_of(
            yield_per_m2, field="yield_per_m2", label=_("The yield per m²"), required=False
        ),
    )
    audit_record(community=community, actor=by, action="food.crop_create", target=crop, summary=name)
    return crop


@transaction.atomic
def crop_set_numbers(
    *,
    crop: Crop,
    yield_per_m2: object,
    weekly_need: object,
    by: Membership | None,
    household_portion: object = None,
) -> Crop:
    """The community sets (or clears, with an empty value) the crop's yield per m², its weekly
    need for the pantry and food aid, and the portion a household asking for food is given."""
    crop.yield_per_m2 = quantity_of(
        yield_per_m2, field="yield_per_m2", label=_("The yield per m²"), required=False
    )
    crop.weekly_need = quantity_of(
        weekly_need, field="weekly_need", label=_("The weekly need"), required=False
    )
    crop.household_portion = quantity_of(
        household_portion, field="household_portion", label=_("The portion"), required=False
    )
    crop.save(update_fields=["yield_per_m2", "weekly_need", "household_portion"])
    audit_record(
        community=crop.community,
        actor=by,
        action="food.crop_set_numbers",
        target=crop,
        summary=crop.name,
        data={
            "yield_per_m2": str(crop.yield_per_m2) if crop.yield_per_m2 is not None else None,
            "weekly_need": str(crop.weekly_need) if crop.weekly_need is not None else None,
            "household_portion": str(crop.household_portion) if crop.household_portion is not None else None,
        },
    )
    return crop


# --- plantings -----------------------------------------------------------------------------------


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
        unit = _unit(unit or (crop.unit if crop else ""))
    elif unit:
        unit = _unit(unit)
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
        by=_member_here(community, by, field="by"),
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


# --- work days and rescue pickups ----------------------------------------------------------------


@transaction.atomic
def food_series_create(
    *,
    community: Community,
    kind: str,
    by: Membership,
    title: str,
    starts_on: dt.date,
    start_time: dt.time,
    shifts: Sequence[tuple[str, int]],
    site: Site | None = None,
    source: str = "",
    place: str = "",
    weekdays: Sequence[int] = (),
    duration_minutes: int = 120,
) -> FoodSeries:
    """A work day at a site, or a round of rescue pickups, as an activities series whose slots are
    the shifts people sign up for. Weekly when ``weekdays`` are given, else once."""
    kind = clean_choice(kind, FoodSeries.Kind, field="kind")
    if site is not None and site.community_id != community.pk:
        raise InvalidInput(_("Choose a site of this community."), field="site")
    source = clean_text(source, field="source", label=_("Where it is rescued from"), limit=NAME_MAX)
    if kind == FoodSeries.Kind.RESCUE and not source:
        raise InvalidInput(_("Say where the food is rescued from (a shop, a market)."), field="source")
    series = activities.series_create(
        community=community,
        by=by,
        title=title,
        starts_on=starts_on,
        start_time=start_time,
        slots=[activities.SlotSpec(label=label, capacity=capacity) for label, capacity in shifts],
        place=place or (site.place if site else ""),
        repeat=Series.Repeat.WEEKLY if weekdays else Series.Repeat.ONCE,
        weekdays=list(weekdays),
        duration_minutes=duration_minutes,
    )
    link = FoodSeries.objects.create(community=community, series=series, kind=kind, site=site, source=source)
    audit_record(
        community=community, actor=by, action="food.series_create", target=link, summary=series.title
    )
    return link


def rescue_log(
    *,
    food_series: FoodSeries,
    quantity: object,
    by: Membership,
    at: dt.datetime | None = None,
    notes: str = "",
) -> Log:
    """The weight saved at a rescue pickup, in kilograms."""
    if food_series.kind != FoodSeries.Kind.RESCUE:
        raise InvalidInput(_("Only a rescue pickup logs the weight saved."))
    return log_create(
        community=food_series.community,
        kind=Log.Kind.RESCUE,
        by=by,
        at=at,
        quantity=quantity,
        unit=Unit.KG,
        source=food_series.source,
        name=food_series.series.title,
        round=food_series,
        notes=notes,
    )


# --- seed library --------------------------------------------------------------------------------


@transaction.atomic
def seed_lot_create(
    *,
    community: Community,
    variety: str,
    quantity: object,
    unit: str = Unit.G,
    crop: Crop | None = None,
    saved_from: str = "",
    saved_on: dt.date | None = None,
    germination_rate: object = None,
    parent: SeedLot | None = None,
    by: Membership | None,
) -> SeedLot:
    """Seed put in the library: its variety, where it was saved from, how well it germinates."""
    if crop is not None and crop.community_id != community.pk:
        raise InvalidInput(_("Choose a crop of this community."), field="crop")
    lot = SeedLot.objects.create(
        community=community,
        crop=crop,
        variety=clean_text(variety, field="variety", label=_("The variety"), limit=NAME_MAX, required=True),
        saved_from=clean_text(saved_from, field="saved_from", label=_("Where it was saved from"), limit=200),
        saved_on=saved_on,
        germination_rate=clean_int_or_none(
            germination_rate, field="germination_rate", label=_("The germination rate"), low=0, high=100
        ),
        quantity=_required_quantity(quantity),
        unit=_unit(unit),
        parent=parent,
    )
    audit_record(
        community=community, actor=by, action="food.seed_lot_create", target=lot, summary=lot.variety
    )
    return lot


def loan_due_on(value: object, *, today: dt.date | None = None) -> dt.date:
    """The day seed lent today is to be brought back: a date after today, within two years;
    empty means a season from now (``LOAN_DAYS``)."""
    today = today or timezone.localdate()
    if value is None or (isinstance(value, str) and not value.strip()):
        return today + dt.timedelta(days=LOAN_DAYS)
    due = clean_date(value, field="due_on", label=_("The day to bring it back"))
    if due <= today:
        raise InvalidInput(_("The day to bring seed back must be after today."), field="due_on")
    if due > today + dt.timedelta(days=LOAN_DAYS_MAX):
        raise InvalidInput(_("Bring seed back within two years."), field="due_on")
    return due


@transaction.atomic
def seed_lend(
    *,
    lot: SeedLot,
    borrower: Membership,
    quantity: object,
    by: Membership | None,
    due_on: object = None,
) -> SeedLoan:
    """Lend seed from a lot until ``due_on`` (a season from now if not given). The lot is locked,
    so two loans at once never take more than it holds."""
    community = lot.community
    _member_here(community, borrower, field="borrower")
    due = loan_due_on(due_on)
    amount = quantity_of(quantity, field="quantity", label=_("The quantity"))
    assert amount is not None
    if amount <= 0:
        raise InvalidInput(_("Lend some seed: the quantity must be more than zero."), field="quantity")
    locked = SeedLot.objects.select_for_update().get(pk=lot.pk)
    if amount > locked.quantity:
        raise Conflict(
            _("The library holds only %(left)s %(unit)s of this seed.")
            % {"left": format_number(locked.quantity.normalize()), "unit": locked.get_unit_display()},
            field="quantity",
        )
    locked.quantity -= amount
    locked.save(update_fields=["quantity"])
    loan = SeedLoan.objects.create(
        community=community,
        lot=locked,
        borrower=borrower,
        quantity=amount,
        lent_at=timezone.now(),
        due_on=due,
    )
    audit_record(community=community, actor=by, action="food.seed_lend", target=loan, summary=locked.variety)
    return loan


@transaction.atomic
def seed_return(
    *,
    loan: SeedLoan,
    quantity: object,
    by: Membership | None,
    saved_from: str = "",
    germination_rate: object = None,
) -> SeedLoan:
    """The borrower brings back seed they saved: a new lot in the library, child of the lent one."""
    locked = SeedLoan.objects.select_for_update().select_related("lot").get(pk=loan.pk)
    if locked.status != SeedLoan.Status.OUT:
        raise Conflict(_("This loan was already closed."))
    lent = locked.lot
    saved = seed_lot_create(
        community=locked.community,
        variety=lent.variety,
        quantity=quantity,
        unit=lent.unit,
        crop=lent.crop,
        saved_from=saved_from or _("Saved by a gardener from the library's seed"),
        saved_on=timezone.localdate(),
        germination_rate=germination_rate,
        parent=lent,
        by=by,
    )
    locked.status = SeedLoan.Status.RETURNED
    locked.returned_at = timezone.now()
    locked.returned_lot = saved
    locked.save(update_fields=["status", "returned_at", "returned_lot"])
    audit_record(
        community=locked.community, actor=by, action="food.seed_return", target=locked, summary=lent.variety
    )
    return locked


def seed_loan_reminders(*, now: dt.datetime) -> int:
    """The clock job: tell each borrower once, ``REMIND_DAYS`` before the day (or on any day after
    it, if the reminder was not sent), to bring back seed they saved. Idempotent: a loan reminded
    is marked in the same transaction as its notification."""
    today = timezone.localdate(now)
    due = (
        SeedLoan.objects.filter(
            status=SeedLoan.Status.OUT,
            reminded_at__isnull=True,
            due_on__lte=today + dt.timedelta(days=REMIND_DAYS),
        )
        .select_related("lot", "borrower", "community")
        .order_by("due_on", "id")[:2000]
    )
    told = 0
    for loan in due:
        with transaction.atomic():
            if not SeedLoan.objects.filter(pk=loan.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            assert loan.due_on is not None
            notification_send(
                recipients=[loan.borrower],
                community=loan.community,
                kind="food.seed_due",
                title=notice_text(
                    gettext_lazy("Bring back seed of %(variety)s by %(date)s"),
                    variety=loan.lot.variety,
                    date=loan.due_on,
                ),
                body=gettext_lazy(
                    "The seed library lent you this seed: bring back seed you saved from what you grew."
                ),
                url=reverse("food:growing_seeds", args=[loan.community.slug]),
            )
            told += 1
    return told
