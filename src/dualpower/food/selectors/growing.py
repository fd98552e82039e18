"""Reading the gardens: sites, plots, crops, the planting plan, logs, the seed library, and the
season forecast (expected supply, standing need and the warning, by crop and week).

Every list here reads in a fixed number of queries, whatever the number of rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TypeVar

from django.db import models
from django.db.models import F, Prefetch, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.aid import selectors as aid_selectors
from dualpower.aid.models import CLOSED_STATUSES
from dualpower.community.models import Community
from dualpower.core.food import forecast
from dualpower.errors import NotFound
from dualpower.food.models.growing import (
    Crop,
    FoodSeries,
    Log,
    Planting,
    Plot,
    SeedLoan,
    SeedLot,
    Site,
)
from dualpower.food.models.plate import PantryLink
from dualpower.food.selectors.plate import FOOD_CATEGORY, committed_share_need
from dualpower.inventory.models import Movement
from dualpower.members.models import Membership

LIVE = (Planting.Status.PLANNED, Planting.Status.GROWING)
PANTRY_WEEKS = 4  # the pantry's usage is averaged over the last four whole weeks
HARVESTED = Q(logs__kind=Log.Kind.HARVEST, logs__status=Log.Status.DONE)
M = TypeVar("M", bound=models.Model)


# --- sites, plots, crops -------------------------------------------------------------------------


def sites_of(*, community: Community) -> QuerySet[Site]:
    return Site.objects.filter(community=community).select_related("parcel")


def sites_page(*, community: Community, limit: int, offset: int = 0) -> list[Site]:
    """A window of ``sites_of`` by name (the gardens page, a page at a time: web.pages), in one
    query."""
    return list(sites_of(community=community)[offset : offset + limit])


def site_get(*, community: Community, pk: object) -> Site:
    return _one(sites_of(community=community), pk, _("There is no such site."))


def plots_of(*, community: Community, site: Site | None = None) -> QuerySet[Plot]:
    qs = (
        Plot.objects.filter(community=community)
        .select_related("site", "steward")
        .prefetch_related("gardeners")
    )
    return qs.filter(site=site) if site is not None else qs


def plots_page(*, community: Community, limit: int, offset: int = 0) -> list[Plot]:
    """A window of ``plots_of`` by site and name (the gardens page, a page at a time: web.pages):
    two queries (the plots, and the gardeners of those plots only)."""
    return list(plots_of(community=community)[offset : offset + limit])


def plot_get(*, community: Community, pk: object) -> Plot:
    return _one(plots_of(community=community), pk, _("There is no such plot."))


def my_plots(*, membership: Membership | None) -> list[Plot]:
    """The plots someone stewards or gardens, with their live plantings (for one-tap harvests)."""
    if membership is None:
        return []
    live = Planting.objects.filter(status__in=LIVE).select_related("crop").order_by("expected_harvest", "id")
    return list(
        Plot.objects.filter(
            Q(steward=membership) | Q(gardeners=membership), community_id=membership.community_id
        )
        .distinct()
        .select_related("site")
        .prefetch_related(Prefetch("plantings", queryset=live, to_attr="live_plantings"))
        .order_by("site__name", "name", "id")
    )


def tends(*, membership: Membership | None, plot: Plot) -> bool:
    """Is ``membership`` the plot's steward or one of its gardeners?"""
    if membership is None or membership.community_id != plot.community_id:
        return False
    if plot.steward_id == membership.pk:
        return True
    return plot.gardeners.filter(pk=membership.pk).exists()


def crops_of(*, community: Community) -> QuerySet[Crop]:
    return Crop.objects.filter(community=community)


def crops_page(*, community: Community, limit: int, offset: int = 0) -> list[Crop]:
    """A window of ``crops_of`` by name (the crops page, a page at a time: web.pages), in one
    query; ``crop_yields(crops=…)`` gives the yields of those crops only."""
    return list(crops_of(community=community)[offset : offset + limit])


def crop_get(*, community: Community, pk: object) -> Crop:
    return _one(crops_of(community=community), pk, _("There is no such crop."))


def _observations(
    community: Community, crop_ids: list[int] | None = None
) -> dict[int, list[forecast.Observation]]:
    qs = Planting.objects.filter(community=community, status=Planting.Status.FINISHED)
    if crop_ids is not None:
        qs = qs.filter(crop_id__in=crop_ids)
    harvested = (
        qs.annotate(harvested=Sum("logs__quantity", filter=HARVESTED))
        .filter(harvested__isnull=False)
        .values_list("crop_id", "area_m2", "harvested")
    )
    observed: dict[int, list[forecast.Observation]] = {}
    for crop_id, area, total in harvested:
        observed.setdefault(crop_id, []).append(forecast.Observation(area_m2=area, harvested=total))
    return observed


def crop_yields(*, community: Community, crops: list[Crop] | None = None) -> dict[int, forecast.Rate]:
    """Crop id → the yield per m² the forecast uses (set by the community, or learned from finished
    plantings whose harvest logs are done), in two queries; of ``crops`` only when given (a page
    of them: one query)."""
    if crops is not None:
        observed = _observations(community, [crop.pk for crop in crops])
        return {crop.pk: forecast.yield_rate(crop.yield_per_m2, observed.get(crop.pk, [])) for crop in crops}
    observed = _observations(community)
    return {
        crop_id: forecast.yield_rate(set_rate, observed.get(crop_id, []))
        for crop_id, set_rate in Crop.objects.filter(community=community).values_list("id", "yield_per_m2")
    }


def crop_yield(*, crop: Crop) -> forecast.Rate:
    """The yield per m² the forecast uses for one crop."""
    observed = _observations(crop.community, [crop.pk])
    return forecast.yield_rate(crop.yield_per_m2, observed.get(crop.pk, []))


# --- plantings and logs --------------------------------------------------------------------------


def plantings_of(*, community: Community, plot: Plot | None = None) -> QuerySet[Planting]:
    """Plantings with their crop and plot, and what their done harvests add up to (``harvested``)."""
    qs = (
        Planting.objects.filter(community=community)
        .select_related("crop", "plot", "plot__site")
        .annotate(harvested=Sum("logs__quantity", filter=HARVESTED))
    )
    return qs.filter(plot=plot) if plot is not None else qs


def plan_plantings_page(*, community: Community, limit: int, offset: int = 0) -> list[Planting]:
    """A window of the live plantings by expected harvest (the planting plan, a page at a time:
    web.pages), in one query."""
    live = plantings_of(community=community).filter(status__in=LIVE).order_by("expected_harvest", "id")
    return list(live[offset : offset + limit])


def planting_get(*, community: Community, pk: object) -> Planting:
    return _one(plantings_of(community=community), pk, _("There is no such planting."))


def logs_of(
    *,
    community: Community,
    kind: str | None = None,
    planting: Planting | None = None,
    plot: Plot | None = None,
    before: int | None = None,
    limit: int = 50,
) -> list[Log]:
    """The latest logs (newest first), a keyset page: ``before`` is the id the last page ended at."""
    qs = Log.objects.filter(community=community).select_related("crop", "planting__plot", "by")
    if kind:
        qs = qs.filter(kind=kind)
    if planting is not None:
        qs = qs.filter(planting=planting)
    if plot is not None:
        qs = qs.filter(planting__plot=plot)
    if before is not None:
        qs = qs.filter(id__lt=before)
    return list(qs.order_by("-id")[:limit])


def logs_listed(*, community: Community, kind: str | None = None) -> QuerySet[Log]:
    """The logs newest first, for a paginated list."""
    qs = Log.objects.filter(community=community).order_by("-at", "-id")
    return qs.filter(kind=kind) if kind else qs


def log_get(*, community: Community, pk: object) -> Log:
    return _one(
        Log.objects.filter(community=community).select_related("crop", "planting"),
        pk,
        _("There is no such log."),
    )


def logs_for_export(*, community: Community, since: dt.date | None = None) -> QuerySet[Log]:
    qs = Log.objects.filter(community=community).select_related("crop", "planting__plot", "by")
    if since is not None:
        qs = qs.filter(at__date__gte=since)
    return qs.order_by("at", "id")


# --- work days, rescue pickups, seed library -----------------------------------------------------


def food_series_of(*, community: Community, kind: str | None = None) -> QuerySet[FoodSeries]:
    qs = FoodSeries.objects.filter(community=community).select_related("series", "site")
    return qs.filter(kind=kind) if kind else qs


def food_series_get(*, community: Community, pk: object) -> FoodSeries:
    return _one(food_series_of(community=community), pk, _("There is no such work day or pickup round."))


def rescued_by_series(*, community: Community) -> dict[int, Decimal]:
    """Kilograms saved by each rescue round, by the round's id (one query)."""
    rows = (
        Log.objects.filter(
            community=community, kind=Log.Kind.RESCUE, status=Log.Status.DONE, round__isnull=False
        )
        .values("round_id")
        .annotate(total=Sum("quantity"))
    )
    return {row["round_id"]: row["total"] or Decimal(0) for row in rows}


def seed_lots_of(*, community: Community) -> QuerySet[SeedLot]:
    return SeedLot.objects.filter(community=community).select_related("crop", "parent")


def seed_lots_page(*, community: Community, limit: int, offset: int = 0) -> list[SeedLot]:
    """A window of ``seed_lots_of`` by variety (the seed library, a page at a time: web.pages), in
    one query."""
    return list(seed_lots_of(community=community)[offset : offset + limit])


def seed_lot_get(*, community: Community, pk: object) -> SeedLot:
    return _one(seed_lots_of(community=community), pk, _("There is no such seed lot."))


def seed_loans_of(*, community: Community, borrower: Membership | None = None) -> QuerySet[SeedLoan]:
    qs = SeedLoan.objects.filter(community=community).select_related("lot", "borrower", "returned_lot")
    return qs.filter(borrower=borrower) if borrower is not None else qs


def seed_loans_out_page(
    *, community: Community, borrower: Membership | None, limit: int, offset: int = 0
) -> list[SeedLoan]:
    """A window of the seed out (of ``borrower``'s, or everyone's when None), soonest due first
    (the seed library, a page at a time: web.pages), in one query."""
    out = seed_loans_of(community=community, borrower=borrower).filter(status="out")
    return list(out.order_by("due_on", "id")[offset : offset + limit])


def seed_loan_get(*, community: Community, pk: object) -> SeedLoan:
    return _one(seed_loans_of(community=community), pk, _("There is no such seed loan."))


# --- the season forecast -------------------------------------------------------------------------


def coming_weeks(*, count: int = 8, today: dt.date | None = None) -> list[dt.date]:
    """The Mondays of this week and the ``count - 1`` after it."""
    first = forecast.monday(today or timezone.localdate())
    return [first + dt.timedelta(weeks=i) for i in range(count)]


def expected_supply(*, community: Community, weeks: list[dt.date]) -> dict[tuple[int, dt.date], Decimal]:
    """(crop id, Monday of the week) → the quantity the planting plan expects that week, in the
    crop's unit, for the weeks given (any day stands for its week). Plantings planned or growing
    count; a planting without a stored expected yield is forecast with the crop's current rate.
    Pairs with nothing expected are left out. One to three queries, whatever the plan's size."""
    mondays = sorted({forecast.monday(week) for week in weeks})
    if not mondays:
        return {}
    longest = dt.timedelta(weeks=52)
    rows = list(
        Planting.objects.filter(
            community=community,
            status__in=LIVE,
            expected_harvest__gte=mondays[0] - longest,
            expected_harvest__lte=mondays[-1] + dt.timedelta(days=6),
        ).values_list("crop_id", "expected_harvest", "harvest_weeks", "area_m2", "expected_quantity")
    )
    rates = crop_yields(community=community) if any(row[4] is None for row in rows) else {}
    harvests = []
    for crop_id, harvest_on, harvest_weeks, area, quantity in rows:
        if quantity is None:
            rate = rates.get(crop_id)
            quantity = forecast.expected_yield(area, rate.per_m2 if rate else None)
        if quantity is not None:
            harvests.append(
                forecast.PlannedHarvest(
                    crop_id=crop_id,
                    expected_harvest=harvest_on,
                    harvest_weeks=harvest_weeks,
                    quantity=quantity,
                )
            )
    return forecast.weekly_supply(harvests, mondays)


def open_food_households(*, community: Community) -> int:
    """How many open food aid requests still wait for something (each is a household), read
    through aid's selectors in one query."""
    return (
        aid_selectors.requests_in_category(community=community, category=FOOD_CATEGORY)
        .exclude(status__in=CLOSED_STATUSES)
        .filter(quantity_committed__lt=F("quantity"))
        .count()
    )


def pantry_usage(
    *, community: Community, weeks: int = PANTRY_WEEKS, today: dt.date | None = None
) -> dict[int, Decimal]:
    """Crop id → the average a week that went out of its pantry items (the inventory items the
    allocation stocks it in) over the ``weeks`` whole weeks before this one. One query."""
    this_monday = forecast.monday(today or timezone.localdate())
    start = timezone.make_aware(dt.datetime.combine(this_monday - dt.timedelta(weeks=weeks), dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(this_monday, dt.time.min))
    rows = (
        PantryLink.objects.filter(crop__community=community)
        .annotate(
            used=Sum(
                "item__movements__quantity",
                filter=Q(
                    item__movements__kind=Movement.Kind.OUT,
                    item__movements__created_at__gte=start,
                    item__movements__created_at__lt=end,
                ),
            )
        )
        .filter(used__lt=0)
        .values_list("crop_id", "used")
    )
    return {crop_id: forecast.weekly_usage(-used, weeks) for crop_id, used in rows}


def need_parts(
    *, community: Community, weeks: list[dt.date], today: dt.date | None = None
) -> dict[tuple[int, dt.date], forecast.NeedParts]:
    """(crop id, Monday) → where the crop's need that week comes from: the weekly need the food
    group typed, the open food requests times the crop's portion for a household, the shares
    committed (``committed_share_need``), and the pantry's weekly usage. Five queries."""
    typed: dict[int, Decimal] = {}
    portions: dict[int, Decimal] = {}
    for crop_id, weekly, portion in crops_of(community=community).values_list(
        "id", "weekly_need", "household_portion"
    ):
        if weekly:
            typed[crop_id] = weekly
        if portion:
            portions[crop_id] = portion
    return forecast.need_parts(
        weeks,
        typed=typed,
        portions=portions,
        households=open_food_households(community=community) if portions else 0,
        shares=committed_share_need(community=community, weeks=weeks),
        pantry=pantry_usage(community=community, today=today),
    )


def standing_need(
    *, community: Community, weeks: list[dt.date], today: dt.date | None = None
) -> dict[tuple[int, dt.date], Decimal]:
    """(crop id, Monday) → all that is needed that week (the parts of ``need_parts`` added up)."""
    return {
        key: parts.total for key, parts in need_parts(community=community, weeks=weeks, today=today).items()
    }


@dataclass(frozen=True)
class SeasonForecast:
    weeks: list[dt.date]
    crops: list[Crop]
    supply: dict[tuple[int, dt.date], Decimal]
    need: dict[tuple[int, dt.date], Decimal]
    parts: dict[tuple[int, dt.date], forecast.NeedParts]
    shortfalls: list[forecast.Shortfall]


def season_forecast(
    *, community: Community, weeks: list[dt.date], today: dt.date | None = None
) -> SeasonForecast:
    """The weeks' expected supply and standing need by crop (with where the need comes from), and
    where supply falls short."""
    mondays = sorted({forecast.monday(week) for week in weeks})
    supply = expected_supply(community=community, weeks=mondays)
    parts = need_parts(community=community, weeks=mondays, today=today)
    need = {key: value.total for key, value in parts.items()}
    wanted = {crop_id for crop_id, _week in supply} | {crop_id for crop_id, _week in need}
    crops = [c for c in crops_of(community=community) if c.pk in wanted]
    return SeasonForecast(
        weeks=mondays,
        crops=crops,
        supply=supply,
        need=need,
        parts=parts,
        shortfalls=forecast.shortfalls(supply, need),
    )


def _one(rows: QuerySet[M], pk: object, missing: str) -> M:
    """The row ``pk`` of ``rows``, or "not found" with the sentence ``missing``."""
    found = rows.filter(pk=_pk(pk)).first()
    if found is None:
        raise NotFound(missing)
    return found


def _pk(value: object) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.isdigit() and len(value) < 19:
        return int(value)
    return -1
