"""Build activities for tests (factory_boy)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory

from dualpower.activities import services
from dualpower.activities.models import Activity, Organiser, Series, TrustRole
from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.tests.factories import CommunityFactory, make_membership

# A slot: (label, places) or (label, places, the trust role it needs).
SlotTuple = tuple[str, int] | tuple[str, int, TrustRole | None]


def coordinator_of(community: Community) -> Membership:
    found = Membership.objects.filter(community=community, role=Membership.Role.COORDINATOR).first()
    return found or make_membership(community, role=Membership.Role.COORDINATOR)


class SeriesFactory(DjangoModelFactory[Series]):
    """A series made by ``series_create`` (by the community's coordinator unless ``by`` is given),
    starting ``in_days`` after ``now`` at 10:00, with slots given as (label, places[, trust role])
    and extra ``organisers``. With ``now`` in the past, its occurrences are in the past too."""

    class Meta:
        model = Series
        skip_postgeneration_save = True

    class Params:
        in_days = 2

    community = factory.SubFactory(CommunityFactory)
    by = factory.LazyAttribute(lambda o: coordinator_of(o.community))
    title = "Food distribution"
    now = factory.LazyFunction(timezone.now)
    starts_on = factory.LazyAttribute(lambda o: services.local_today(o.now) + dt.timedelta(days=o.in_days))
    start_time = dt.time(10, 0)
    slots: Any = factory.LazyFunction(lambda: list[SlotTuple]([("Drivers", 2), ("Packers", 3)]))

    @classmethod
    def _create(cls, model_class: type[Series], *args: Any, **kwargs: Any) -> Series:
        kwargs["slots"] = [services.SlotSpec(*spec) for spec in kwargs["slots"]]
        return services.series_create(**kwargs)

    @factory.post_generation
    def organisers(obj: Series, create: bool, extracted: Sequence[Membership] | None, **kw: Any) -> None:
        for person in extracted or ():
            Organiser.objects.get_or_create(series=obj, membership=person)


def first_activity(series: Series) -> Activity:
    return Activity.objects.filter(series=series).order_by("starts_at").first()  # type: ignore[return-value]


def slot_of(activity: Activity, label: str = "Drivers") -> Any:
    return activity.slots.get(label=label)


def past_series(community: Community, *, days_ago: int = 10, **kwargs: Any) -> tuple[Series, dt.datetime]:
    """A one-off activity that happened ``days_ago`` days ago; returns it and a moment before it."""
    then = timezone.now() - dt.timedelta(days=days_ago)
    return SeriesFactory.create(community=community, now=then, in_days=1, **kwargs), then
