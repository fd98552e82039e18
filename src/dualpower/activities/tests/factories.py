"""Build activities for tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from dualpower.activities import services
from dualpower.activities.models import Activity, Organiser, Series, TrustRole
from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership


def membership_of(user: Any, community: Community) -> Membership:
    return Membership.objects.get(user=user, community=community)


def make_series(
    community: Community,
    *,
    by: Membership | None = None,
    organisers: Sequence[Membership] = (),
    slots: Sequence[tuple[str, int] | tuple[str, int, TrustRole | None]] = (("Drivers", 2), ("Packers", 3)),
    in_days: int = 2,
    now: dt.datetime | None = None,
    **kwargs: Any,
) -> Series:
    """A series starting ``in_days`` after ``now`` at 10:00 (once, unless ``repeat`` says otherwise).
    With ``now`` in the past, its occurrences are in the past too."""
    if by is None:
        by = Membership.objects.filter(community=community, role=Membership.Role.COORDINATOR).first()
        by = by or make_membership(community, role=Membership.Role.COORDINATOR)
    now = now or timezone.now()
    kwargs.setdefault("title", "Food distribution")
    series = services.series_create(
        community=community,
        by=by,
        starts_on=services.local_today(now) + dt.timedelta(days=in_days),
        start_time=dt.time(10, 0),
        slots=[services.SlotSpec(*spec) for spec in slots],
        now=now,
        **kwargs,
    )
    for person in organisers:
        Organiser.objects.get_or_create(series=series, membership=person)
    return series


def first_activity(series: Series) -> Activity:
    return Activity.objects.filter(series=series).order_by("starts_at").first()  # type: ignore[return-value]


def slot_of(activity: Activity, label: str = "Drivers") -> Any:
    return activity.slots.get(label=label)


def past_series(community: Community, *, days_ago: int = 10, **kwargs: Any) -> tuple[Series, dt.datetime]:
    """A one-off activity that happened ``days_ago`` days ago; returns it and a moment before it."""
    then = timezone.now() - dt.timedelta(days=days_ago)
    return make_series(community, now=then, in_days=1, **kwargs), then
