"""Build gardens for tests, through the services (so every invariant holds): a site, a plot with
its steward and gardeners, a crop, a planting, a harvest."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dualpower.community.models import Community
from dualpower.food.models.growing import Crop, Log, Planting, Plot, Site
from dualpower.food.services import growing as services
from dualpower.members.models import Membership
from dualpower.members.tests.factories import membership_of

_counter = iter(range(1, 10**9))


def make_site(community: Community, name: str | None = None, **kwargs: Any) -> Site:
    return services.site_create(
        community=community, name=name or f"Garden {next(_counter)}", by=None, **kwargs
    )


def make_plot(
    site: Site,
    *,
    name: str | None = None,
    area: str = "40",
    steward: Membership | None = None,
    gardeners: tuple[Membership, ...] = (),
) -> Plot:
    return services.plot_create(
        site=site,
        name=name or f"Bed {next(_counter)}",
        area_m2=Decimal(area),
        steward=steward,
        gardeners=gardeners,
        by=None,
    )


def make_crop(
    community: Community,
    name: str | None = None,
    *,
    days: int = 60,
    unit: str = "kg",
    rate: str | None = "2",
) -> Crop:
    return services.crop_create(
        community=community,
        name=name or f"Crop {next(_counter)}",
        days_to_maturity=days,
        unit=unit,
        yield_per_m2=Decimal(rate) if rate is not None else None,
        by=None,
    )


def make_planting(
    plot: Plot, crop: Crop, *, seeded: dt.date | None = None, area: str | None = None, weeks: int = 1
) -> Planting:
    return services.planting_create(
        plot=plot,
        crop=crop,
        seeding_date=seeded or dt.date(2026, 4, 6),
        area_m2=Decimal(area) if area else None,
        harvest_weeks=weeks,
        by=None,
    )


def make_harvest(planting: Planting, quantity: str, by: Membership) -> Log:
    return services.harvest_log(planting=planting, quantity=Decimal(quantity), by=by)


def member(people: dict[str, Any], role: str, community: Community) -> Membership:
    return membership_of(people[role], community)
