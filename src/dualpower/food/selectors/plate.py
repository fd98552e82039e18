"""Reading food distribution: the priorities in force, what shares are owed, the allocations and
their lines, share cycles and their pledging rounds, and what a week's supply and need are."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.aid import selectors as aid_selectors
from dualpower.aid.models import CLOSED_STATUSES, AidRequest
from dualpower.community.models import Community
from dualpower.core.food.allocation import Tier, parse_priorities
from dualpower.errors import NotFound
from dualpower.food.models.growing import Log
from dualpower.food.models.plate import (
    Allocation,
    AllocationLine,
    BasketLine,
    PickupPoint,
    PlateSettings,
    Pledge,
    PledgeRound,
    Share,
    ShareCycle,
)
from dualpower.members.models import Membership

LIVE_CYCLES = (ShareCycle.Status.PLEDGING, ShareCycle.Status.RUNNING)
SUPPLY_KINDS = (Log.Kind.HARVEST, Log.Kind.RESCUE)
FOOD_CATEGORY = "food"
THOUSANDTH = Decimal("0.001")


def monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def plate_settings(*, community: Community) -> PlateSettings:
    """The community's food distribution settings, made with the default priorities on first read."""
    found, _created = PlateSettings.objects.get_or_create(community=community)
    return found


def priorities(*, community: Community) -> tuple[Tier, ...]:
    return parse_priorities(plate_settings(community=community).priorities)


def committed_share_need(*, community: Community, weeks: list[dt.date]) -> dict[tuple[int, dt.date], Decimal]:
    """(crop id, Monday of the week) → what the shares of live cycles (pledging or running) are owed
    that week: each basket line times the sum of the shares' sizes, for the weeks the cycle runs
    (any day stands for its week). Pairs owed nothing are left out. Two queries."""
    mondays = sorted({monday(week) for week in weeks})
    if not mondays:
        return {}
    last = mondays[-1] + dt.timedelta(days=6)
    cycles = list(
        ShareCycle.objects.filter(
            community=community, status__in=LIVE_CYCLES, starts_on__lte=last, ends_on__gte=mondays[0]
        ).annotate(total_size=Sum("shares__size"))
    )
    if not cycles:
        return {}
    lines = BasketLine.objects.filter(cycle__in=[c.pk for c in cycles]).values_list(
        "cycle_id", "crop_id", "quantity"
    )
    by_cycle: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for cycle_id, crop_id, quantity in lines:
        by_cycle[cycle_id].append((crop_id, quantity))
    need: dict[tuple[int, dt.date], Decimal] = defaultdict(Decimal)
    for cycle in cycles:
        size = cycle.total_size or Decimal(0)
        if not size:
            continue
        for week in mondays:
            if monday(cycle.starts_on) <= week <= cycle.ends_on:
                for crop_id, quantity in by_cycle[cycle.pk]:
                    need[(crop_id, week)] += quantity * size
    return {key: value.quantize(THOUSANDTH) for key, value in need.items() if value > 0}


def cycles_of(*, community: Community) -> QuerySet[ShareCycle]:
    return (
        ShareCycle.objects.filter(community=community)
        .annotate(share_count=Count("shares", distinct=True))
        .select_related("currency")
    )


def cycle_get(*, community: Community, pk: object) -> ShareCycle:
    try:
        return ShareCycle.objects.select_related("currency", "community").get(
            community=community, pk=int(str(pk))
        )
    except (ValueError, ShareCycle.DoesNotExist):
        raise NotFound(_("There is no such share cycle.")) from None


def pickup_point_get(*, community: Community, pk: object) -> PickupPoint:
    found = (
        PickupPoint.objects.filter(cycle__community=community, pk=pk if isinstance(pk, int) else -1)
        .select_related("cycle", "cycle__community")
        .first()
    )
    if found is None:
        raise NotFound(_("There is no such pickup point."))
    return found


def shares_of(*, cycle: ShareCycle) -> QuerySet[Share]:
    return Share.objects.filter(cycle=cycle).select_related("pickup_point", "holder")


def shares_page(*, cycle: ShareCycle, limit: int, offset: int = 0) -> list[Share]:
    """A window of ``shares_of`` in the order they were made (the cycle's page, a page at a time:
    web.pages), in one query."""
    return list(shares_of(cycle=cycle).order_by("pk")[offset : offset + limit])


def share_of(*, cycle: ShareCycle, membership: Membership | None) -> Share | None:
    if membership is None:
        return None
    return Share.objects.filter(cycle=cycle, holder=membership).select_related("pickup_point").first()


def open_round(*, cycle: ShareCycle) -> PledgeRound | None:
    return PledgeRound.objects.filter(cycle=cycle, status=PledgeRound.Status.OPEN).first()


def last_round(*, cycle: ShareCycle) -> PledgeRound | None:
    return PledgeRound.objects.filter(cycle=cycle).order_by("-number").first()


def rounds_of(*, cycle: ShareCycle) -> QuerySet[PledgeRound]:
    """The cycle's pledging rounds, the latest first, each with the sum pledged (``pledged``)."""
    return (
        PledgeRound.objects.filter(cycle=cycle)
        .annotate(pledged=Coalesce(Sum("pledges__amount"), 0))
        .order_by("-number")
    )


def pledges_by_round(*, share: Share) -> dict[int, int]:
    """Round id → what ``share`` pledged in it."""
    return dict(Pledge.objects.filter(share=share).values_list("round_id", "amount"))


def pledges_total(*, round: PledgeRound) -> int:
    return int(Pledge.objects.filter(round=round).aggregate(total=Sum("amount"))["total"] or 0)


def pledge_of(*, round: PledgeRound | None, share: Share | None) -> Pledge | None:
    if round is None or share is None:
        return None
    return Pledge.objects.filter(round=round, share=share).first()


def suggested_pledge(*, cycle: ShareCycle, share: Share) -> int:
    """The budget shared by size among the shares that pay (free shares pledge nothing)."""
    if share.free:
        return 0
    paying = Share.objects.filter(cycle=cycle, free=False).aggregate(total=Sum("size"))["total"] or Decimal(0)
    if not paying:
        return 0
    return int((Decimal(cycle.budget) * share.size / paying).to_integral_value())


def allocations_of(*, community: Community) -> QuerySet[Allocation]:
    return Allocation.objects.filter(community=community).annotate(line_count=Count("lines"))


def allocation_get(*, community: Community, pk: object) -> Allocation:
    try:
        return Allocation.objects.get(community=community, pk=int(str(pk)))
    except (ValueError, Allocation.DoesNotExist):
        raise NotFound(_("There is no such allocation.")) from None


def lines_of(*, allocation: Allocation) -> QuerySet[AllocationLine]:
    return AllocationLine.objects.filter(allocation=allocation).select_related(
        "crop", "log", "aid_request", "share", "share__pickup_point"
    )


def lines_page(*, allocation: Allocation, limit: int, offset: int = 0) -> list[AllocationLine]:
    """A window of ``lines_of`` in the order they were computed (the allocation's page, a page at
    a time: web.pages), in one query."""
    return list(lines_of(allocation=allocation).order_by("pk")[offset : offset + limit])


def allocation_totals(*, allocation: Allocation) -> list[dict[str, Any]]:
    """What the allocation gives each destination of each crop (one query): rows of
    ``destination``, ``crop__name`` (None for rescued food), ``log__unit`` and ``total``."""
    rows = (
        AllocationLine.objects.filter(allocation=allocation)
        .values("destination", "crop__name", "log__unit")
        .annotate(total=Sum("quantity"))
        .order_by("destination", "crop__name", "log__unit")
    )
    return [dict(row) for row in rows]


def supplies_for_week(*, community: Community, week: dt.date) -> list[Log]:
    """The week's harvest and rescue logs that are done and have a quantity (a harvest also its
    crop; rescued food is logged by weight alone), not allocated by a written allocation yet,
    oldest first."""
    start = timezone.make_aware(dt.datetime.combine(week, dt.time.min))
    end = start + dt.timedelta(days=7)
    written = AllocationLine.objects.filter(
        allocation__community=community, allocation__status=Allocation.Status.WRITTEN
    ).values("log_id")
    return list(
        Log.objects.filter(
            community=community,
            kind__in=SUPPLY_KINDS,
            status=Log.Status.DONE,
            quantity__gt=0,
            at__gte=start,
            at__lt=end,
        )
        .exclude(pk__in=written)
        .filter(Q(crop__isnull=False) | Q(kind=Log.Kind.RESCUE))
        .select_related("crop")
        .order_by("at", "pk")
    )


def open_food_requests(*, community: Community) -> list[AidRequest]:
    """Open food requests with something still to give, oldest first (through aid's selectors)."""
    qs = aid_selectors.requests_in_category(community=community, category=FOOD_CATEGORY)
    return [r for r in qs.exclude(status__in=CLOSED_STATUSES) if r.quantity_committed < r.quantity]


def shares_owed(*, community: Community, week: dt.date) -> list[tuple[Share, int, Decimal]]:
    """(share, crop id, quantity still owed) for the week: each live cycle's basket times the share's
    size, less what written allocations already gave that share of that crop that week."""
    cycles = list(
        ShareCycle.objects.filter(
            community=community,
            status__in=LIVE_CYCLES,
            starts_on__lte=week + dt.timedelta(days=6),
            ends_on__gte=week,
        )
    )
    if not cycles:
        return []
    lines: dict[int, list[tuple[int, Decimal]]] = defaultdict(list)
    for cycle_id, crop_id, quantity in BasketLine.objects.filter(cycle__in=cycles).values_list(
        "cycle_id", "crop_id", "quantity"
    ):
        lines[cycle_id].append((crop_id, quantity))
    given: dict[tuple[int, int], Decimal] = defaultdict(Decimal)
    for share_id, crop_id, quantity in AllocationLine.objects.filter(
        allocation__community=community,
        allocation__status=Allocation.Status.WRITTEN,
        allocation__week=week,
        destination=AllocationLine.Destination.SHARE,
    ).values_list("share_id", "crop_id", "quantity"):
        given[(share_id, crop_id)] += quantity
    out: list[tuple[Share, int, Decimal]] = []
    for share in Share.objects.filter(cycle__in=cycles).order_by("pk"):
        for crop_id, quantity in lines[share.cycle_id]:
            owed = quantity * share.size - given[(share.pk, crop_id)]
            if owed > 0:
                out.append((share, crop_id, owed.quantize(THOUSANDTH)))
    return out


def basket_of(*, share: Share, week: dt.date) -> list[AllocationLine]:
    """What written allocations put in a share's basket for a week."""
    return list(
        AllocationLine.objects.filter(
            share=share, allocation__status=Allocation.Status.WRITTEN, allocation__week=week
        ).select_related("crop")
    )


def supply_logs(*, community: Community) -> QuerySet[Log]:
    """Harvests and rescue pickups that are done, newest first (the API's ``produce`` events)."""
    return (
        Log.objects.filter(community=community, kind__in=SUPPLY_KINDS, status=Log.Status.DONE)
        .select_related("crop")
        .order_by("-at", "-pk")
    )


def given_lines(*, community: Community) -> QuerySet[AllocationLine]:
    """Allocation lines given out, newest first (the API's ``transfer`` events)."""
    return (
        AllocationLine.objects.filter(
            allocation__community=community, allocation__status=Allocation.Status.WRITTEN
        )
        .select_related("crop", "log", "aid_request", "share", "allocation")
        .order_by("-allocation__written_at", "-pk")
    )


def packing_list(*, cycle: ShareCycle, week: dt.date) -> list[dict[str, Any]]:
    """What to pack for each pickup point this week: the allocated harvest summed by pickup point
    and crop (one query), for the food group's packers."""
    rows = (
        AllocationLine.objects.filter(
            share__cycle=cycle, allocation__status=Allocation.Status.WRITTEN, allocation__week=week
        )
        .values("share__pickup_point__name", "crop__name", "log__unit")
        .annotate(total=Sum("quantity"), shares=Count("share", distinct=True))
        .order_by("share__pickup_point__name", "crop__name")
    )
    return [dict(row) for row in rows]
