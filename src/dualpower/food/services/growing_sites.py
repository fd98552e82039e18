"""Every write about the gardens and farms (sites) and their plots, with each plot's steward and
gardeners."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.food.models.growing import Plot, Site
from dualpower.food.services.growing_checks import (
    NAME_MAX,
    TEXT_MAX,
    area_of,
    checked_member,
    checked_member_or_none,
)
from dualpower.land.models import Parcel
from dualpower.members.models import Membership


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
        steward=checked_member_or_none(community, steward, field="steward"),
    )
    plot.gardeners.set([checked_member(community, g, field="gardeners") for g in gardeners])
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
        plot.steward = checked_member_or_none(community, steward, field="steward")
    if season is not None:
        plot.season = clean_text(season, field="season", label=_("The season"), limit=40)
    if area_m2 is not None:
        plot.area_m2 = area_of(area_m2)
    plot.save()
    if gardeners is not None:
        plot.gardeners.set([checked_member(community, g, field="gardeners") for g in gardeners])
    audit_record(community=community, actor=by, action="food.plot_update", target=plot, summary=plot.name)
    return plot
