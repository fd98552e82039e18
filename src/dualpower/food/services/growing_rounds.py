"""Work days at a site and rounds of rescue pickups: activities series whose slots are the shifts
people sign up for, and the weight a pickup saved."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from dualpower.activities import services as activities
from dualpower.activities.models import Series
from dualpower.clean import clean_choice, clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.errors import InvalidInput
from dualpower.food.models.growing import FoodSeries, Log, Site, Unit
from dualpower.food.services.growing_checks import NAME_MAX
from dualpower.food.services.growing_plantings import log_create
from dualpower.members.models import Membership


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
