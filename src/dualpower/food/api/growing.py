"""The gardens in the API: sites, plots, crops, plantings, logs (a one-tap harvest too) and the
season forecast. Parse → check rule → call service → schema. Quantities travel as decimal text
("12.5") and are read as the services read what people type."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from dualpower.api_tools import AUTH_OPTIONAL, paginate
from dualpower.community.models import Community
from dualpower.core.food.forecast import NeedParts
from dualpower.food.api.common import community_for, me_in
from dualpower.food.models.growing import Crop, Log, Planting
from dualpower.food.selectors import growing as selectors
from dualpower.food.services import growing as services
from dualpower.web.permissions import check

router = Router(tags=["food: gardens"])

GARDENS = "/communities/{slug}/food/gardens"


def _community(request: HttpRequest, slug: str, perm: str = "food.view_gardens") -> Community:
    return community_for(request, slug, view="food.view_gardens", perm=perm)


class SiteOut(Schema):
    id: int
    name: str
    place: str
    description: str
    parcel: str | None


class PlotOut(Schema):
    id: int
    site_id: int
    name: str
    area_m2: Decimal
    season: str
    steward: str | None
    gardeners: int


class CropOut(Schema):
    id: int
    name: str
    family: str
    days_to_maturity: int
    unit: str
    yield_per_m2: Decimal | None
    weekly_need: Decimal | None


class CropIn(Schema):
    name: str = Field(max_length=80)
    family: str = Field("", max_length=80)
    days_to_maturity: int
    unit: str = "kg"
    yield_per_m2: str | None = Field(None, max_length=20)


class PlantingOut(Schema):
    id: int
    plot_id: int
    crop_id: int
    seeding_date: dt.date
    area_m2: Decimal
    expected_harvest: dt.date
    harvest_weeks: int
    expected_quantity: Decimal | None
    harvested: Decimal | None
    status: str


class PlantingIn(Schema):
    plot_id: int
    crop_id: int
    seeding_date: dt.date
    area_m2: str | None = Field(None, max_length=20)
    harvest_weeks: int = 1


class LogOut(Schema):
    id: int
    kind: str
    status: str
    planting_id: int | None
    crop_id: int | None
    quantity: Decimal | None
    unit: str
    lot: str
    name: str
    notes: str
    source: str
    at: dt.datetime


class LogIn(Schema):
    kind: str = Field(max_length=20)
    status: str = Field("done", max_length=20)
    planting_id: int | None = None
    crop_id: int | None = None
    quantity: str | None = Field(None, max_length=20)
    unit: str = Field("", max_length=10)
    lot: str = Field("", max_length=60)
    name: str = Field("", max_length=200)
    notes: str = Field("", max_length=5000)
    at: dt.datetime | None = None


class HarvestIn(Schema):
    quantity: str = Field(max_length=20)
    lot: str = Field("", max_length=60)


class ForecastQuery(Schema):
    weeks: int = Field(8, ge=1, le=52)


class ForecastRow(Schema):
    crop_id: int
    crop: str
    unit: str
    week: dt.date
    expected: Decimal
    needed: Decimal
    needed_typed: Decimal = Field(description="the weekly need the food group set on the crop")
    needed_requests: Decimal = Field(description="open food requests times the portion for a household")
    needed_shares: Decimal = Field(description="what the live shares are owed that week")
    needed_pantry: Decimal = Field(description="the pantry's average weekly stock-out of the crop")
    short: bool


@router.get(GARDENS + "/sites", response=list[SiteOut], auth=AUTH_OPTIONAL)
def site_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    community = _community(request, slug)
    return [
        {
            "id": s.pk,
            "name": s.name,
            "place": s.place,
            "description": s.description,
            "parcel": s.parcel.name if s.parcel else None,
        }
        for s in selectors.sites_of(community=community)
    ]


@router.get(GARDENS + "/plots", response=list[PlotOut], auth=AUTH_OPTIONAL)
def plot_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    community = _community(request, slug)
    return [
        {
            "id": p.pk,
            "site_id": p.site_id,
            "name": p.name,
            "area_m2": p.area_m2,
            "season": p.season,
            "steward": p.steward.display_name if p.steward else None,
            "gardeners": len(p.gardeners.all()),
        }
        for p in selectors.plots_of(community=community)
    ]


@router.get(GARDENS + "/crops", response=list[CropOut], auth=AUTH_OPTIONAL)
@paginate
def crop_list(request: HttpRequest, slug: str) -> Any:
    return selectors.crops_of(community=_community(request, slug))


@router.post(GARDENS + "/crops", response={201: CropOut})
def crop_create(request: HttpRequest, slug: str, payload: CropIn) -> Status[Crop]:
    community = _community(request, slug, "food.manage_gardens")
    crop = services.crop_create(community=community, by=me_in(request, community), **payload.model_dump())
    return Status(201, crop)


@router.get(GARDENS + "/plantings", response=list[PlantingOut], auth=AUTH_OPTIONAL)
@paginate
def planting_list(request: HttpRequest, slug: str) -> Any:
    return selectors.plantings_of(community=_community(request, slug)).order_by("seeding_date", "id")


@router.post(GARDENS + "/plantings", response={201: PlantingOut})
def planting_create(request: HttpRequest, slug: str, payload: PlantingIn) -> Status[Planting]:
    community = _community(request, slug, "food.manage_gardens")
    planting = services.planting_create(
        plot=selectors.plot_get(community=community, pk=payload.plot_id),
        crop=selectors.crop_get(community=community, pk=payload.crop_id),
        seeding_date=payload.seeding_date,
        area_m2=payload.area_m2,
        harvest_weeks=payload.harvest_weeks,
        by=me_in(request, community),
    )
    return Status(201, selectors.planting_get(community=community, pk=planting.pk))


@router.post(GARDENS + "/plantings/{planting_id}/harvests", response={201: LogOut})
def harvest_create(request: HttpRequest, slug: str, planting_id: int, payload: HarvestIn) -> Status[Log]:
    """The one-tap harvest: what was just picked from a planting, in its crop's unit."""
    community = _community(request, slug)
    planting = selectors.planting_get(community=community, pk=planting_id)
    check(request, "food.log_plot", planting)
    log = services.harvest_log(
        planting=planting, quantity=payload.quantity, lot=payload.lot, by=me_in(request, community)
    )
    return Status(201, log)


@router.get(GARDENS + "/logs", response=list[LogOut], auth=AUTH_OPTIONAL)
@paginate
def log_list(request: HttpRequest, slug: str, kind: str = "") -> Any:
    community = _community(request, slug)
    return selectors.logs_listed(community=community, kind=kind if kind in Log.Kind.values else None)


@router.post(GARDENS + "/logs", response={201: LogOut})
def log_create(request: HttpRequest, slug: str, payload: LogIn) -> Status[Log]:
    community = _community(request, slug)
    planting = None
    if payload.planting_id is not None:
        planting = selectors.planting_get(community=community, pk=payload.planting_id)
        check(request, "food.log_plot", planting)
    else:
        check(request, "food.manage_gardens", community)
    crop = (
        selectors.crop_get(community=community, pk=payload.crop_id) if payload.crop_id is not None else None
    )
    log = services.log_create(
        community=community,
        kind=payload.kind,
        status=payload.status,
        planting=planting,
        crop=crop,
        quantity=payload.quantity,
        unit=payload.unit,
        lot=payload.lot,
        name=payload.name,
        notes=payload.notes,
        at=payload.at,
        by=me_in(request, community),
    )
    return Status(201, log)


@router.get(GARDENS + "/forecast", response=list[ForecastRow], auth=AUTH_OPTIONAL)
def forecast(request: HttpRequest, slug: str, query: Query[ForecastQuery]) -> list[dict[str, Any]]:
    """Expected supply and standing need by crop and week, for the coming weeks."""
    community = _community(request, slug)
    season = selectors.season_forecast(community=community, weeks=selectors.coming_weeks(count=query.weeks))
    rows = []
    for crop in season.crops:
        for week in season.weeks:
            expected = season.supply.get((crop.pk, week), Decimal(0))
            needed = season.need.get((crop.pk, week), Decimal(0))
            parts = season.parts.get((crop.pk, week), NeedParts())
            rows.append(
                {
                    "crop_id": crop.pk,
                    "crop": crop.name,
                    "unit": crop.unit,
                    "week": week,
                    "expected": expected,
                    "needed": needed,
                    "needed_typed": parts.typed,
                    "needed_requests": parts.requests,
                    "needed_shares": parts.shares,
                    "needed_pantry": parts.pantry,
                    "short": needed > expected,
                }
            )
    return rows
