"""Factories of food distribution: crops and harvests (through food-growing's services), food
requests, share cycles with a basket, shares, and a member of the food working group."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone

from dualpower.aid.models import AidRequest
from dualpower.aid.tests.factories import AidRequestFactory
from dualpower.community.models import Community
from dualpower.food.models.growing import Crop, Log
from dualpower.food.models.plate import PickupPoint, Share, ShareCycle
from dualpower.food.rules import FOOD_GROUP_SLUG
from dualpower.food.selectors.plate import monday
from dualpower.food.services import growing
from dualpower.food.services import plate_shares as shares
from dualpower.groups import services as groups
from dualpower.groups.selectors import group_get
from dualpower.ledger.models import Currency
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership


def this_monday() -> dt.date:
    return monday(timezone.localdate())


def noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12)))


def in_food_group(community: Community, membership: Membership | None = None) -> Membership:
    """A member (new unless given) active in the community's food working group."""
    membership = membership or make_membership(community, name="Fen")
    group = group_get(community=community, slug=FOOD_GROUP_SLUG)
    if not group.is_open:
        group.is_open = True
        group.save(update_fields=["is_open"])
    groups.group_join(group=group, membership=membership)
    return membership


def sign_in(client: Any, membership: Membership) -> None:
    assert membership.user is not None
    client.force_login(membership.user)


def crop(community: Community, name: str = "Kale", unit: str = "kg") -> Crop:
    return growing.crop_create(community=community, name=name, days_to_maturity=60, unit=unit, by=None)


def harvest(community: Community, of: Crop, quantity: str | Decimal, at: dt.datetime | None = None) -> Log:
    return growing.log_create(
        community=community,
        kind=Log.Kind.HARVEST,
        by=None,
        crop=of,
        quantity=Decimal(quantity),
        unit=of.unit,
        at=at or noon(this_monday()),
    )


def food_request(community: Community, quantity: int = 2, urgency: int = 1, **kw: Any) -> AidRequest:
    return AidRequestFactory.create(community=community, quantity=quantity, urgency=urgency, **kw)


def cycle(
    community: Community,
    *,
    basket: dict[Crop, str] | None = None,
    currency: Currency | None = None,
    budget: str = "0",
    status: str = ShareCycle.Status.RUNNING,
    name: str = "Summer shares",
) -> ShareCycle:
    """A cycle running from four weeks ago to twelve weeks on, with one pickup point; ``budget``
    as people type it, in the currency's units."""
    today = this_monday()
    made = shares.cycle_create(
        community=community,
        by=None,
        name=name,
        starts_on=today - dt.timedelta(weeks=4),
        ends_on=today + dt.timedelta(weeks=12),
        budget=budget,
        currency=currency,
    )
    shares.pickup_point_add(cycle=made, by=None, name="Church hall", weekday=3, place="Elm Street")
    for c, quantity in (basket or {}).items():
        shares.basket_line_set(cycle=made, crop=c, quantity=quantity, by=None)
    for step in (ShareCycle.Status.PLEDGING, ShareCycle.Status.RUNNING, ShareCycle.Status.CLOSED):
        order = list(ShareCycle.Status.values)
        if order.index(step) <= order.index(status):
            made = shares.cycle_status_set(cycle=made, status=step, by=None)
    return made


def point_of(found: ShareCycle) -> PickupPoint:
    return found.pickup_points.get()


def share(found: ShareCycle, holder: Membership | None = None, size: str = "1", free: bool = False) -> Share:
    return shares.share_add(
        cycle=found, pickup_point=point_of(found), by=holder, holder=holder, size=size, free=free
    )
