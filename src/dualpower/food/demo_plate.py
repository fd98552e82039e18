"""The demo's food distribution: a share cycle with two pickup points, a basket, shares (members'
and households' taken in by code, some free), two pledging rounds (the first short, the second
reaching the budget), and this week's harvest given out by the priorities (a food
request served first, baskets filled, the rest to the pantry and the market)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from dualpower.aid import services as aid_services
from dualpower.demo import Demo
from dualpower.errors import DomainError
from dualpower.food.models.growing import Log
from dualpower.food.models.plate import ShareCycle
from dualpower.food.selectors import growing as growing_selectors
from dualpower.food.selectors import plate as selectors
from dualpower.food.services import growing
from dualpower.food.services import plate_allocation as allocations
from dualpower.food.services import plate_shares as shares
from dualpower.ledger import selectors as ledger_selectors
from dualpower.members.models import Membership

BASKET = {"Kale": "1", "Tomato": "1.5", "Beans": "0.5"}


def load(demo: Demo) -> None:
    community, by = demo.community, demo.coordinator
    crops = {c.name: c for c in growing_selectors.crops_of(community=community)}
    for name in BASKET:
        if name not in crops:
            crops[name] = growing.crop_create(community=community, name=name, days_to_maturity=70, by=by)
    people = [m for m in demo.members if m.is_active and m.role != Membership.Role.OBSERVER]
    roots = ledger_selectors.currencies_of(community=community, include_inactive=False).filter(
        kind="mutual_credit"
    )
    currency = roots.first()
    today = timezone.localdate()
    monday = selectors.monday(today)

    cycle = shares.cycle_create(
        community=community,
        by=by,
        name="Summer shares",
        starts_on=monday - dt.timedelta(weeks=6),
        ends_on=monday + dt.timedelta(weeks=14),
        budget="480" if currency else "0",
        currency=currency,
    )
    hall = shares.pickup_point_add(
        cycle=cycle, by=by, name="Church hall", place="Elm Street", weekday=3, hours="17:00–19:00"
    )
    gate = shares.pickup_point_add(
        cycle=cycle, by=by, name="Freedom Farm gate", place="Riverside", weekday=5, hours="10:00–12:00"
    )
    for name, quantity in BASKET.items():
        shares.basket_line_set(cycle=cycle, crop=crops[name], quantity=quantity, by=by)
    holders = [demo.member, *[p for p in people if p.pk != demo.member.pk][:5]]
    member_shares = [
        shares.share_add(
            cycle=cycle, pickup_point=hall if i % 2 else gate, by=m, holder=m, size="2" if i == 1 else "1"
        )
        for i, m in enumerate(holders)
    ]
    for i in range(3):
        shares.share_add(cycle=cycle, pickup_point=hall, by=by, size="1", free=i < 2)

    shares.cycle_status_set(cycle=cycle, status=ShareCycle.Status.PLEDGING, by=by)
    first = selectors.open_round(cycle=cycle)
    if first is not None and currency is not None:
        for share, amount in zip(member_shares, ("60", "110", "40", "55", "50", "45"), strict=False):
            shares.pledge_set(round=first, share=share, amount=amount, by=share.holder)
        shares.round_close(round=first, by=by)
        second = shares.round_open(cycle=cycle, by=by)
        for share, amount in zip(member_shares, ("70", "130", "50", "80", "70", "80"), strict=False):
            shares.pledge_set(round=second, share=share, amount=amount, by=share.holder)
        shares.round_close(round=second, by=by)
    if ShareCycle.objects.get(pk=cycle.pk).status != ShareCycle.Status.RUNNING:
        shares.cycle_status_set(cycle=cycle, status=ShareCycle.Status.RUNNING, by=by)

    # This week's harvest and a rescue pickup, given out by the priorities.
    at = timezone.make_aware(dt.datetime.combine(monday, dt.time(9)))
    for name, quantity in (("Kale", "6"), ("Tomato", "14.5"), ("Beans", "3.2")):
        growing.log_create(
            community=community,
            kind=Log.Kind.HARVEST,
            by=demo.member,
            crop=crops[name],
            quantity=Decimal(quantity),
            unit=crops[name].unit,
            at=at,
        )
    growing.log_create(
        community=community,
        kind=Log.Kind.RESCUE,
        by=demo.member,
        quantity=Decimal("8"),
        unit="kg",
        source="Corner grocery",
        at=at,
    )
    if not selectors.open_food_requests(community=community):
        aid_services.request_create(
            community=community,
            requester=people[-1],
            category="food",
            description="Vegetables for a family of four this week",
            neighbourhood="Riverside",
            quantity=3,
            unit="kg",
            urgency=2,
        )
    try:
        draft = allocations.allocation_compute(community=community, week=monday, by=by)
        allocations.allocation_write(allocation=draft, by=by)
    except DomainError as refused:  # the demo goes on; the page shows the week to compute again
        demo.say(f"Food: this week's allocation was not written ({refused.detail}).")
    demo.say(
        f"Food: the share cycle “{cycle.name}” with {cycle.shares.count()} shares and this week's allocation."
    )
