"""Food distribution in the API: the priorities in force, share cycles, what shares are owed by
crop and week, the week's allocations (computed and given out by the food group), and harvests
and their allocation described as ValueFlows economic events (https://www.valueflo.ws/): a harvest
or rescue is a ``produce`` event, each allocation line given out a ``transfer`` to its destination.
Parse → check rule → call service → schema."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from dualpower.api_tools import AUTH_OPTIONAL, PageOf, paginate
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.food.api.common import community_for
from dualpower.food.models.growing import Log
from dualpower.food.models.plate import Allocation, AllocationLine, Pledge, PledgeRound, ShareCycle
from dualpower.food.selectors import plate as selectors
from dualpower.food.services import plate_allocation as allocations
from dualpower.food.services import plate_shares as shares
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check

router = Router(tags=["food: plan to plate"])

FOOD = "/communities/{slug}/food"
VF_CONTEXT = "https://w3id.org/valueflows/ont/vf#"


def _community(request: HttpRequest, slug: str, perm: str = "food.view_plate") -> Community:
    return community_for(request, slug, view="food.view_plate", perm=perm)


class PrioritiesOut(Schema):
    priorities: list[str]
    decision_ref: str
    adopted_at: dt.datetime | None


class ShareCycleOut(Schema):
    id: int
    name: str
    starts_on: dt.date
    ends_on: dt.date
    status: str
    budget: int
    currency: str | None
    shares: int


class PledgeRoundOut(Schema):
    id: int
    number: int
    status: str
    pledged: int = Field(description="the pledges' sum so far (the count, once the round is closed)")
    budget: int
    opened_at: dt.datetime
    closed_at: dt.datetime | None
    my_pledge: int | None = Field(description="what your share pledged this round, if you hold one")


class PledgeIn(Schema):
    amount: str = Field(description="as people type it, in the cycle's currency (hours for a time bank)")


class PledgeOut(Schema):
    round: int
    share: str
    amount: int
    paid_at: dt.datetime | None


class FoodNeedOut(Schema):
    crop_id: int
    week: dt.date
    quantity: str


class WeekIn(Schema):
    week: dt.date


class LineOut(Schema):
    id: int
    log_id: int
    crop_id: int | None
    destination: str
    aid_request: str | None
    share: str | None
    quantity: str
    computed_quantity: str
    tier: str
    rank: int
    split: str


class FoodAllocationOut(Schema):
    id: int
    week: dt.date
    status: str
    priorities: list[str]
    computed_at: dt.datetime
    written_at: dt.datetime | None


class QuantityVF(Schema):
    hasNumericalValue: str
    hasUnit: str


class EconomicEvent(Schema):
    """A ValueFlows EconomicEvent (the fields this node can state)."""

    id: str
    type: str
    action: str
    resourceConformsTo: str | None
    resourceQuantity: QuantityVF
    hasPointInTime: dt.datetime
    provider: str
    receiver: str
    note: str


def _cycle_out(cycle: ShareCycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "starts_on": cycle.starts_on,
        "ends_on": cycle.ends_on,
        "status": cycle.status,
        "budget": cycle.budget,
        "currency": cycle.currency.code if cycle.currency else None,
        "shares": getattr(cycle, "share_count", 0),
    }


def _line_out(line: AllocationLine) -> dict[str, Any]:
    return {
        "id": line.pk,
        "log_id": line.log_id,
        "crop_id": line.crop_id,
        "destination": line.destination,
        "aid_request": line.aid_request.code if line.aid_request else None,
        "share": line.share.code if line.share else None,
        "quantity": str(line.quantity),
        "computed_quantity": str(line.computed_quantity),
        "tier": line.tier,
        "rank": line.rank,
        "split": line.split,
    }


@router.get(FOOD + "/priorities", response=PrioritiesOut, auth=AUTH_OPTIONAL)
def priorities(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The order in which harvests are given out, as the assembly last adopted it."""
    found = selectors.plate_settings(community=_community(request, slug))
    return {
        "priorities": found.priorities,
        "decision_ref": found.decision_ref,
        "adopted_at": found.adopted_at,
    }


@router.get(FOOD + "/share-cycles", response=list[ShareCycleOut], auth=AUTH_OPTIONAL)
@paginate
def cycle_list(request: HttpRequest, slug: str) -> Any:
    return PageOf(
        selectors.cycles_of(community=_community(request, slug)), lambda rows: [_cycle_out(c) for c in rows]
    )


@router.get(FOOD + "/share-cycles/{cycle_id}/rounds", response=list[PledgeRoundOut], auth=AUTH_OPTIONAL)
def round_list(request: HttpRequest, slug: str, cycle_id: int) -> list[dict[str, Any]]:
    """The cycle's pledging rounds, the latest first, with what was pledged and your own pledge."""
    community = _community(request, slug)
    cycle = selectors.cycle_get(community=community, pk=cycle_id)
    mine = selectors.share_of(cycle=cycle, membership=membership_for(request.user, community))
    rounds = list(selectors.rounds_of(cycle=cycle))
    own = selectors.pledges_by_round(share=mine) if mine is not None else {}
    return [
        {
            "id": r.pk,
            "number": r.number,
            "status": r.status,
            "pledged": r.pledged if r.status == PledgeRound.Status.OPEN else r.total,  # type: ignore[attr-defined]
            "budget": cycle.budget,
            "opened_at": r.opened_at,
            "closed_at": r.closed_at,
            "my_pledge": own.get(r.pk),
        }
        for r in rounds
    ]


@router.post(FOOD + "/share-cycles/{cycle_id}/pledge", response=PledgeOut)
def pledge(request: HttpRequest, slug: str, cycle_id: int, payload: PledgeIn) -> dict[str, Any]:
    """Pledge for your share in the open round (again: the last pledge of a round counts)."""
    community = _community(request, slug)
    cycle = selectors.cycle_get(community=community, pk=cycle_id)
    me = membership_for(request.user, community)
    mine = selectors.share_of(cycle=cycle, membership=me)
    check(request, "food.pledge", mine)
    assert mine is not None and me is not None
    current = selectors.open_round(cycle=cycle)
    if current is None:
        raise InvalidInput(_("No pledging round is open."), field="amount")
    made: Pledge = shares.pledge_set(round=current, share=mine, amount=payload.amount, by=me)
    return {"round": current.number, "share": mine.code, "amount": made.amount, "paid_at": made.paid_at}


@router.get(FOOD + "/share-need", response=list[FoodNeedOut], auth=AUTH_OPTIONAL)
def share_need(request: HttpRequest, slug: str, weeks: Query[list[dt.date]]) -> list[dict[str, Any]]:
    """What the shares of live cycles are owed, by crop and week (any day stands for its week)."""
    community = _community(request, slug)
    need = selectors.committed_share_need(community=community, weeks=list(weeks)[:60])
    return [
        {"crop_id": crop_id, "week": week, "quantity": str(quantity)}
        for (crop_id, week), quantity in sorted(need.items())
    ]


@router.get(FOOD + "/allocations", response=list[FoodAllocationOut])
@paginate
def allocation_list(request: HttpRequest, slug: str) -> Any:
    return selectors.allocations_of(community=_community(request, slug, "food.allocate"))


@router.post(FOOD + "/allocations", response={201: FoodAllocationOut})
def allocation_compute(request: HttpRequest, slug: str, payload: WeekIn) -> Status[Allocation]:
    """Compute the week's allocation as a draft, by the priorities in force."""
    community = _community(request, slug, "food.allocate")
    made = allocations.allocation_compute(
        community=community, week=payload.week, by=membership_for(request.user, community)
    )
    return Status(201, made)


@router.get(FOOD + "/allocations/{allocation_id}/lines", response=list[LineOut])
@paginate
def allocation_lines(request: HttpRequest, slug: str, allocation_id: int) -> Any:
    community = _community(request, slug, "food.allocate")
    found = selectors.allocation_get(community=community, pk=allocation_id)
    return PageOf(selectors.lines_of(allocation=found), lambda rows: [_line_out(line) for line in rows])


@router.post(FOOD + "/allocations/{allocation_id}/write", response=FoodAllocationOut)
def allocation_write(request: HttpRequest, slug: str, allocation_id: int) -> Allocation:
    """Give the draft out: pantry stock in, food requests delivered, baskets filled, at once."""
    community = _community(request, slug, "food.allocate")
    found = selectors.allocation_get(community=community, pk=allocation_id)
    return allocations.allocation_write(allocation=found, by=membership_for(request.user, community))


def _event_of_log(slug: str, log: Log) -> dict[str, Any]:
    return {
        "id": f"{slug}:log:{log.pk}",
        "type": VF_CONTEXT + "EconomicEvent",
        "action": "produce",
        "resourceConformsTo": log.crop.name if log.crop else None,
        "resourceQuantity": {"hasNumericalValue": str(log.quantity), "hasUnit": log.unit},
        "hasPointInTime": log.at,
        "provider": f"{slug}:community",
        "receiver": f"{slug}:community",
        "note": log.kind,
    }


def _event_of_line(slug: str, line: AllocationLine) -> dict[str, Any]:
    if line.aid_request is not None:
        receiver = f"{slug}:aid-request:{line.aid_request.code}"
    elif line.share is not None:
        receiver = f"{slug}:share:{line.share.code}"
    else:
        receiver = f"{slug}:{line.destination}"
    return {
        "id": f"{slug}:allocation-line:{line.pk}",
        "type": VF_CONTEXT + "EconomicEvent",
        "action": "transfer",
        "resourceConformsTo": line.crop.name if line.crop else None,
        "resourceQuantity": {"hasNumericalValue": str(line.quantity), "hasUnit": line.log.unit},
        "hasPointInTime": line.allocation.written_at or line.allocation.computed_at,
        "provider": f"{slug}:community",
        "receiver": receiver,
        "note": f"{line.tier} (step {line.rank})",
    }


@router.get(FOOD + "/economic-events/harvests", response=list[EconomicEvent], auth=AUTH_OPTIONAL)
@paginate
def harvest_events(request: HttpRequest, slug: str) -> Any:
    """Harvests and rescue pickups that are done, as ValueFlows ``produce`` events, newest first."""
    community = _community(request, slug)
    return PageOf(
        selectors.supply_logs(community=community), lambda rows: [_event_of_log(slug, log) for log in rows]
    )


@router.get(FOOD + "/economic-events/transfers", response=list[EconomicEvent])
@paginate
def transfer_events(request: HttpRequest, slug: str) -> Any:
    """Allocation lines given out, as ValueFlows ``transfer`` events to their destination (a food
    request and a share by their codes), newest first. For the food group."""
    community = _community(request, slug, "food.allocate")
    lines = (
        AllocationLine.objects.filter(
            allocation__community=community, allocation__status=Allocation.Status.WRITTEN
        )
        .select_related("crop", "log", "aid_request", "share", "allocation")
        .order_by("-allocation__written_at", "-pk")
    )
    return PageOf(lines, lambda rows: [_event_of_line(slug, line) for line in rows])
