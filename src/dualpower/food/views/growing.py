"""The gardens' pages: the gardens and my plots (one-tap harvests), a plot, the planting plan with
the season forecast and the supply warning, and the crops. Parse → check → service → template."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.food.forms.growing import (
    CropForm,
    CropNumbersForm,
    GardenersForm,
    HarvestForm,
    PlantingForm,
    PlantingStatusForm,
    PlotForm,
    SiteForm,
)
from dualpower.food.models.growing import Crop, Planting, Plot
from dualpower.food.selectors import growing as selectors
from dualpower.food.services import growing as services
from dualpower.food.views.common import GET, GET_POST, adder, garden_form, me_in
from dualpower.food.views.growing_chart import supply_chart
from dualpower.formatting import format_decimal, format_number
from dualpower.land import selectors as land
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.members.selectors import members_of
from dualpower.web.actions import post_action
from dualpower.web.pages import page_of
from dualpower.web.permissions import check

FORECAST_WEEKS = 8
ZERO = Decimal(0)


def _people(community: Community, ids: list[int] | None) -> list[Membership]:
    members = {m.pk: m for m in members_of(community=community)}
    chosen = [members[i] for i in ids or [] if i in members]
    if ids and len(chosen) != len(set(ids)):
        raise InvalidInput(_("Choose members of this community."), field="gardeners")
    return chosen


def _person(community: Community, pk: int | None, field: str) -> Membership | None:
    if pk is None:
        return None
    found = _people(community, [pk])
    if not found:
        raise InvalidInput(_("Choose a member of this community."), field=field)
    return found[0]


@require_http_methods(GET)
@with_community
def gardens(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "food.view_gardens", community)
    me = membership_for(request.user, community)
    mine = selectors.my_plots(membership=me)
    can_manage = request.user.has_perm("food.manage_gardens", community)
    # Two lists that grow with the gardens, each paged by its own parameter (web.pages); the sites
    # are listed (to change them) for those who manage the gardens only.
    sites = (
        page_of(
            lambda limit, offset: selectors.sites_page(community=community, limit=limit, offset=offset),
            raw=request.GET.get("sites"),
        )
        if can_manage
        else None
    )
    plots = page_of(
        lambda limit, offset: selectors.plots_page(community=community, limit=limit, offset=offset),
        raw=request.GET.get("plots"),
    )
    return render(
        request,
        "food/growing/gardens.html",
        {
            "my_plots": mine,
            "sites": sites.rows if sites is not None else [],
            "sites_page": sites,
            "plots": plots.rows,
            "plots_page": plots,
            "can_manage": can_manage,
            "harvest_form": HarvestForm(),
        },
    )


site_new = adder(
    "food.manage_gardens",
    services.site_create,
    form=SiteForm,
    choices=("parcel", "parcels", lambda community: land.parcels_of(community=community)),
    done="growing_home",
    message=gettext_lazy("The site was added."),
    title=gettext_lazy("Add a garden or farm"),
)


@require_http_methods(GET_POST)
@with_community
def plot_new(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "food.manage_gardens", community)
    me = me_in(request, community)
    sites = list(selectors.sites_of(community=community))
    members = list(members_of(community=community))

    def run(data: dict[str, Any]) -> Plot:
        site = selectors.site_get(community=community, pk=data["site"])
        return services.plot_create(
            site=site,
            name=data["name"],
            area_m2=data["area_m2"],
            season=data["season"],
            steward=_person(community, data["steward"], "steward"),
            gardeners=_people(community, data["gardeners"]),
            by=me,
        )

    initial = {"site": request.GET.get("site", "")}
    return garden_form(
        request,
        form=PlotForm(request.POST or None, sites=sites, members=members, initial=initial),
        run=run,
        success=lambda plot: reverse("food:growing_plot", args=[community.slug, plot.pk]),
        message=_("The plot was added."),
        title=_("Add a plot"),
    )


@require_http_methods(GET)
@with_community
def plot_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.view_gardens", community)
    plot = selectors.plot_get(community=community, pk=pk)
    may_log = request.user.has_perm("food.log_plot", plot)
    plantings = list(selectors.plantings_of(community=community, plot=plot))
    return render(
        request,
        "food/growing/plot.html",
        {
            "plot": plot,
            "plantings": plantings,
            "live": [p for p in plantings if p.status in selectors.LIVE],
            "logs": selectors.logs_of(community=community, plot=plot, limit=20),
            "may_log": may_log,
            "harvest_form": HarvestForm() if may_log else None,
            "can_manage": request.user.has_perm("food.manage_gardens", community),
            "status_form": PlantingStatusForm(),
        },
    )


@require_http_methods(GET_POST)
@with_community
def plot_people(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_gardens", community)
    plot = selectors.plot_get(community=community, pk=pk)
    me = me_in(request, community)
    members = list(members_of(community=community))
    initial = {"steward": plot.steward_id, "gardeners": [g.pk for g in plot.gardeners.all()]}
    return garden_form(
        request,
        form=GardenersForm(request.POST or None, members=members, initial=initial),
        run=lambda data: services.plot_update(
            plot=plot,
            by=me,
            steward=_person(community, data["steward"], "steward"),
            gardeners=_people(community, data["gardeners"]),
        ),
        success=reverse("food:growing_plot", args=[community.slug, plot.pk]),
        message=_("The plot's people were saved."),
        title=_("Steward and gardeners of %(plot)s") % {"plot": plot.name},
    )


@require_POST
@with_community
def harvest(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """The one-tap harvest: a quantity and a button, from the gardens page or the plot's page."""
    planting = selectors.planting_get(community=community, pk=pk)
    check(request, "food.log_plot", planting)
    me = me_in(request, community)
    back = request.POST.get("back", "")
    if back != "home":
        target = reverse("food:growing_plot", args=[community.slug, planting.plot_id])
    else:
        target = reverse("food:growing_home", args=[community.slug])
    return post_action(
        request,
        run=lambda: services.harvest_log(planting=planting, quantity=request.POST.get("quantity", ""), by=me),
        back=target,
        message=lambda log: (
            _("Logged: %(quantity)s %(unit)s of %(crop)s.")
            % {
                "quantity": format_number((log.quantity or ZERO).normalize()),
                "unit": log.get_unit_display(),
                "crop": planting.crop.name,
            }
        ),
    )


@require_POST
@with_community
def planting_status(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_gardens", community)
    planting = selectors.planting_get(community=community, pk=pk)
    me = me_in(request, community)
    return post_action(
        request,
        run=lambda: services.planting_set_status(
            planting=planting, status=request.POST.get("status", ""), by=me
        ),
        back=reverse("food:growing_plot", args=[community.slug, planting.plot_id]),
        message=_("The planting's status was saved."),
    )


@require_http_methods(GET)
@with_community
def plan(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "food.view_gardens", community)
    weeks = selectors.coming_weeks(count=FORECAST_WEEKS)
    season = selectors.season_forecast(community=community, weeks=weeks)
    crops = {c.pk: c for c in season.crops}
    by_crop: dict[int, list[Any]] = {}
    for short in season.shortfalls:
        by_crop.setdefault(short.crop_id, []).append(short)
    # One row and one chart per crop that falls short: a phone reads eight crops, not 64 crop-weeks.
    shortfalls = [
        {
            "crop": crops[crop_id],
            "weeks": len(rows),
            "first": rows[0].week,
            "missing": sum((r.missing for r in rows), ZERO),
            "chart": supply_chart(
                crop=crops[crop_id].name,
                unit=crops[crop_id].get_unit_display(),
                weeks=season.weeks,
                supply={w: season.supply.get((crop_id, w), ZERO) for w in season.weeks},
                need={w: season.need.get((crop_id, w), ZERO) for w in season.weeks},
                sources={w: season.parts[(crop_id, w)] for w in season.weeks if (crop_id, w) in season.parts},
            ),
        }
        for crop_id, rows in by_crop.items()
        if crop_id in crops
    ]
    # Where each crop's need comes from, week by week (every crop that needs something).
    needs = [
        {"crop": crop, "weeks": [(w, season.parts.get((crop.pk, w))) for w in season.weeks]}
        for crop in season.crops
        if any((crop.pk, w) in season.parts for w in season.weeks)
    ]
    plantings = page_of(
        lambda limit, offset: selectors.plan_plantings_page(community=community, limit=limit, offset=offset),
        raw=request.GET.get("page"),
    )
    return render(
        request,
        "food/growing/plan.html",
        {
            "plantings": plantings.rows,
            "plantings_page": plantings,
            "weeks": season.weeks,
            "shortfalls": shortfalls,
            "needs": needs,
            "can_manage": request.user.has_perm("food.manage_gardens", community),
        },
    )


@require_http_methods(GET_POST)
@with_community
def planting_new(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "food.manage_gardens", community)
    me = me_in(request, community)
    plots = list(selectors.plots_of(community=community))
    crops = list(selectors.crops_of(community=community))

    def run(data: dict[str, Any]) -> Planting:
        return services.planting_create(
            plot=selectors.plot_get(community=community, pk=data["plot"]),
            crop=selectors.crop_get(community=community, pk=data["crop"]),
            seeding_date=data["seeding_date"],
            area_m2=data["area_m2"] or None,
            harvest_weeks=data["harvest_weeks"],
            by=me,
        )

    return garden_form(
        request,
        form=PlantingForm(
            request.POST or None, plots=plots, crops=crops, initial={"plot": request.GET.get("plot", "")}
        ),
        run=run,
        success=reverse("food:growing_plan", args=[community.slug]),
        message=lambda p: (
            _("Planned: %(crop)s, expected from %(date)s.")
            % {"crop": p.crop.name, "date": p.expected_harvest.isoformat()}
        ),
        title=_("Plan a planting"),
    )


@require_http_methods(GET)
@with_community
def crops(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "food.view_gardens", community)
    page = page_of(
        lambda limit, offset: selectors.crops_page(community=community, limit=limit, offset=offset),
        raw=request.GET.get("page"),
    )
    rates = selectors.crop_yields(community=community, crops=page.rows)
    rows = [{"crop": c, "rate": rates.get(c.pk)} for c in page.rows]
    return render(
        request,
        "food/growing/crops.html",
        {"rows": rows, "page": page, "can_manage": request.user.has_perm("food.manage_gardens", community)},
    )


crop_new = adder(
    "food.manage_gardens",
    services.crop_create,
    form=CropForm,
    done="growing_crops",
    message=gettext_lazy("The crop was added."),
    title=gettext_lazy("Add a crop"),
)


@require_http_methods(GET_POST)
@with_community
def crop_numbers(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.manage_gardens", community)
    crop: Crop = selectors.crop_get(community=community, pk=pk)
    me = me_in(request, community)
    initial = {
        "yield_per_m2": "" if crop.yield_per_m2 is None else format_decimal(crop.yield_per_m2, decimals=3),
        "weekly_need": "" if crop.weekly_need is None else format_decimal(crop.weekly_need, decimals=3),
        "household_portion": (
            "" if crop.household_portion is None else format_decimal(crop.household_portion, decimals=3)
        ),
    }
    return garden_form(
        request,
        form=CropNumbersForm(request.POST or None, initial=initial),
        run=lambda data: services.crop_set_numbers(crop=crop, by=me, **data),
        success=reverse("food:growing_crops", args=[community.slug]),
        message=_("The crop's numbers were saved."),
        title=_("Yield and need of %(crop)s") % {"crop": crop.name},
    )
