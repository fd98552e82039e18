"""Every write about routing harvests: the priorities (set only by a decision of the assembly), the
food group, and a week's allocation — computed by ``core/food/allocation.py``, adjusted by the
food group, then written in one transaction: pantry stock in, food requests' deliveries, baskets.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.aid import services as aid_services
from dualpower.aid.models import AidRequest
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.core.food import allocation as engine
from dualpower.errors import Conflict, InvalidInput
from dualpower.food.models.growing import Crop, Log, Unit
from dualpower.food.models.plate import Allocation, AllocationLine, PantryLink, PlateSettings
from dualpower.food.selectors import growing as growing_selectors
from dualpower.food.selectors import plate as selectors
from dualpower.food.services.growing_checks import quantity_of
from dualpower.inventory import selectors as inventory_selectors
from dualpower.inventory import services as inventory
from dualpower.inventory.models import Item
from dualpower.members.models import Membership

PANTRY_KEY = "pantry"
RESCUED = "rescued"  # the engine's crop for rescued food, logged by weight without a crop
MARKET_KEY = "market"
WHOLE = (AllocationLine.Destination.AID, AllocationLine.Destination.PANTRY)
COUNTED = (Unit.BUNCH, Unit.EACH, Unit.PACKET)


# --- priorities -------------------------------------------------------------


def priorities_clean(value: object) -> list[str]:
    """A priority list from a decision's params: known tiers, each once, at least one."""
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if not isinstance(value, list | tuple):
        raise InvalidInput(_("List the priorities in order."), field="priorities")
    try:
        tiers = engine.parse_priorities(str(v) for v in value)
    except engine.AllocationError:
        raise InvalidInput(
            _("List each priority once: urgent requests, shares, other requests, pantry, market."),
            field="priorities",
        ) from None
    return [tier.value for tier in tiers]


@transaction.atomic
def priorities_set(
    *, community: Community, priorities: list[str], decision_ref: str, by: Membership | None = None
) -> PlateSettings:
    """Adopt a priority list; only a decision of the assembly calls this (``food.set_priorities``)."""
    cleaned = priorities_clean(priorities)
    found = selectors.plate_settings(community=community)
    found.priorities = cleaned
    found.decision_ref = decision_ref
    found.adopted_at = timezone.now()
    found.save(update_fields=["priorities", "decision_ref", "adopted_at"])
    audit_record(
        community=community,
        actor=by,
        action="food.priorities.set",
        target=found,
        summary=", ".join(cleaned),
        data={"priorities": cleaned},
        decision_ref=decision_ref,
    )
    return found


# --- a week's allocation -----------------------------------------------------------------------


def _crop_key(crop_id: int | None) -> str:
    return RESCUED if crop_id is None else str(crop_id)


def _week(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value.strip())
        except ValueError:
            raise InvalidInput(_("Give the week as a date."), field="week") from None
    if not isinstance(value, dt.date):
        raise InvalidInput(_("Give the week as a date."), field="week")
    return selectors.monday(value)


@transaction.atomic
def allocation_compute(*, community: Community, week: object, by: Membership | None) -> Allocation:
    """Allocate the week's harvest and rescue logs not yet allocated, by the priorities in force,
    as a draft (the week's earlier draft is replaced)."""
    monday = _week(week)
    tiers = selectors.priorities(community=community)
    # A log in another unit than its crop's (grams of a crop counted in kilograms) is left out:
    # baskets and the pantry count in the crop's unit. Rescued food is weighed in kilograms.
    logs = [
        log
        for log in selectors.supplies_for_week(community=community, week=monday)
        if (log.crop.unit if log.crop else "kg") == log.unit
    ]
    supplies = [
        engine.Supply(key=str(log.pk), crop=_crop_key(log.crop_id), quantity=log.quantity or Decimal(0))
        for log in logs
    ]
    requests = selectors.open_food_requests(community=community)
    owed = selectors.shares_owed(community=community, week=monday)
    demands: list[engine.Demand] = [
        engine.Demand(
            key=f"aid:{r.pk}",
            destination=engine.Destination.AID,
            quantity=Decimal(r.quantity - r.quantity_committed),
            urgency=r.urgency,
            whole=True,
        )
        for r in requests
    ]
    # Crops counted in bunches, pieces or packets go to baskets whole (a share of size 0.5 owed
    # half a bunch is owed one, rounded half up); weighed crops to the gram.
    units = dict(growing_selectors.crops_of(community=community).values_list("id", "unit"))
    for share, crop_id, quantity in owed:
        whole = units.get(crop_id) in COUNTED
        if whole:
            quantity = quantity.quantize(Decimal(1), rounding=ROUND_HALF_UP)
        if quantity > 0:
            demands.append(
                engine.Demand(
                    key=f"share:{share.pk}:{crop_id}",
                    destination=engine.Destination.SHARE,
                    quantity=quantity,
                    crop=_crop_key(crop_id),
                    whole=whole,
                )
            )
    demands.append(
        engine.Demand(key=PANTRY_KEY, destination=engine.Destination.PANTRY, quantity=None, whole=True)
    )
    demands.append(engine.Demand(key=MARKET_KEY, destination=engine.Destination.MARKET, quantity=None))
    result = engine.allocate(supplies, demands, tiers)

    Allocation.objects.filter(community=community, week=monday, status=Allocation.Status.DRAFT).delete()
    allocation = Allocation.objects.create(
        community=community,
        week=monday,
        priorities=[t.value for t in tiers],
        computed_at=timezone.now(),
        computed_by=by,
    )
    crop_of = {log.pk: log.crop_id for log in logs}
    rows = []
    for line in result.lines:
        kind, _sep, rest = line.demand.partition(":")
        rows.append(
            AllocationLine(
                allocation=allocation,
                log_id=int(line.supply),
                crop_id=crop_of[int(line.supply)],
                destination=kind,
                aid_request_id=int(rest) if kind == "aid" else None,
                share_id=int(rest.split(":")[0]) if kind == "share" else None,
                quantity=line.quantity,
                computed_quantity=line.quantity,
                tier=line.tier.value,
                rank=line.rank,
                split=line.split.value,
            )
        )
    AllocationLine.objects.bulk_create(rows)
    audit_record(
        community=community,
        actor=by,
        action="food.allocation.compute",
        target=allocation,
        summary=monday.isoformat(),
        data={"logs": len(logs), "lines": len(rows)},
    )
    return allocation


def _draft(allocation: Allocation) -> Allocation:
    locked = Allocation.objects.select_for_update().get(pk=allocation.pk)
    if locked.status != Allocation.Status.DRAFT:
        raise Conflict(_("This allocation was already written; compute the week again to allocate more."))
    return locked


@transaction.atomic
def allocation_adjust(
    *, allocation: Allocation, quantities: Mapping[int, object], by: Membership | None
) -> Allocation:
    """The food group changes computed quantities (line id → new quantity; 0 takes the line out).
    Never beyond a log's quantity or a request's open quantity; whole units for requests and the
    pantry. Refused as a whole, nothing changed, if any quantity is wrong."""
    locked = _draft(allocation)
    lines = {line.pk: line for line in selectors.lines_of(allocation=locked)}
    changed: dict[int, Decimal] = {}
    for pk, raw in quantities.items():
        line = lines.get(int(pk))
        if line is None:
            raise InvalidInput(_("That line is not in this allocation."), field=f"line-{pk}")
        value = quantity_of(raw, field=f"line-{pk}", label=_("The quantity"))
        assert value is not None
        counted = (
            line.destination == AllocationLine.Destination.SHARE and line.crop and line.crop.unit in COUNTED
        )
        if (line.destination in WHOLE or counted) and value != value.to_integral_value():
            raise InvalidInput(
                _("Requests, the pantry and crops counted in pieces take whole units: give a whole number."),
                field=f"line-{pk}",
            )
        if value != line.quantity:
            changed[line.pk] = value
    after = {pk: changed.get(pk, line.quantity) for pk, line in lines.items()}
    _check_limits(lines, after)
    for pk, value in changed.items():
        if value == 0:
            AllocationLine.objects.filter(pk=pk).delete()
        else:
            AllocationLine.objects.filter(pk=pk).update(quantity=value)
    if changed:
        audit_record(
            community=locked.community,
            actor=by,
            action="food.allocation.adjust",
            target=locked,
            summary=locked.week.isoformat(),
            data={"lines": len(changed)},
        )
    return locked


def _check_limits(lines: Mapping[int, AllocationLine], after: Mapping[int, Decimal]) -> None:
    per_log: dict[int, Decimal] = defaultdict(Decimal)
    per_request: dict[int, Decimal] = defaultdict(Decimal)
    for pk, value in after.items():
        line = lines[pk]
        per_log[line.log_id] += value
        if line.aid_request_id is not None:
            per_request[line.aid_request_id] += value
    logs = {line.log_id: line.log for line in lines.values()}
    for log_id, total in per_log.items():
        harvested = logs[log_id].quantity or Decimal(0)
        if total > harvested:
            raise InvalidInput(
                _("More than log %(log)s harvested would be given out: at most %(n)s.")
                % {"log": log_id, "n": harvested},
                field="quantities",
            )
    requests = {line.aid_request_id: line.aid_request for line in lines.values() if line.aid_request_id}
    for request_id, total in per_request.items():
        request = requests[request_id]
        assert request is not None
        open_ = request.quantity - request.quantity_committed
        if total > open_:
            raise InvalidInput(
                _("Request %(code)s has only %(n)d still open.") % {"code": request.code, "n": open_},
                field="quantities",
            )


def _pantry_item(crop: Crop | None, community: Community, by: Membership | None) -> Item:
    """The pantry item a crop goes into: linked once, found by the crop's name, or made; rescued
    food goes to the item "Rescued food" (in kilograms). Two allocations making the same item at
    once: the second finds the first's (a savepoint keeps its own transaction usable)."""
    if crop is not None:
        link = PantryLink.objects.filter(crop=crop).select_related("item").first()
        if link is not None:
            return link.item
    name = crop.name if crop is not None else _("Rescued food")
    unit = crop.unit if crop is not None else "kg"
    item = inventory_selectors.items_of(community=community).filter(name__iexact=name).first()
    if item is None:
        try:
            with transaction.atomic():
                item = inventory.item_create(community=community, by=by, name=name, unit=unit)
        except (IntegrityError, Conflict):
            item = inventory_selectors.items_of(community=community).get(name__iexact=name)
    if crop is not None:
        try:
            with transaction.atomic():
                PantryLink.objects.get_or_create(crop=crop, defaults={"item": item})
        except IntegrityError:
            pass  # linked meanwhile by another allocation: the same item, found by name
    return item


@transaction.atomic
def allocation_write(*, allocation: Allocation, by: Membership | None) -> Allocation:
    """Write a draft: the pantry's stock comes in, food requests are marked delivered, baskets are
    filled — all in this one transaction, or nothing (a request closed or filled meanwhile, a log
    allocated by another allocation: refused with a sentence)."""
    locked = _draft(allocation)
    community = locked.community
    lines = list(selectors.lines_of(allocation=locked))
    if not lines:
        raise Conflict(_("This allocation has nothing to give out."))
    taken = set(
        AllocationLine.objects.filter(
            allocation__community=community,
            allocation__status=Allocation.Status.WRITTEN,
            log_id__in={line.log_id for line in lines},
        ).values_list("log_id", flat=True)
    )
    if taken:
        raise Conflict(_("Some of these harvests were allocated meanwhile: compute the week again."))
    if any(line.log.status != Log.Status.DONE for line in lines):
        raise Conflict(_("A harvest log in this allocation is no longer done: compute the week again."))
    now = timezone.now()
    updated = Allocation.objects.filter(pk=locked.pk, status=Allocation.Status.DRAFT).update(
        status=Allocation.Status.WRITTEN, written_at=now, written_by=by
    )
    if not updated:  # pragma: no cover - the row lock above makes this unreachable
        raise Conflict(_("This allocation was already written."))
    pantry: dict[int | None, Decimal] = defaultdict(Decimal)
    crops: dict[int | None, Crop | None] = {}
    delivered: dict[int, tuple[AidRequest, int]] = {}
    for line in lines:
        if line.destination == AllocationLine.Destination.PANTRY:
            pantry[line.crop_id] += line.quantity
            crops[line.crop_id] = line.crop
        elif line.destination == AllocationLine.Destination.AID and line.aid_request is not None:
            request, so_far = delivered.get(line.aid_request.pk, (line.aid_request, 0))
            delivered[request.pk] = (request, so_far + int(line.quantity))
    # Requests first: a request filled meanwhile refuses here, before any stock has moved.
    note = _("From the food allocation")
    for request, portions in delivered.values():
        aid_services.request_deliver(request=request, quantity=portions, by=by, note=note)
    reason = _("Harvest allocated for the week of %(week)s") % {"week": locked.week.isoformat()}
    for crop_id, kept in pantry.items():
        if int(kept):
            inventory.stock_in(
                item=_pantry_item(crops[crop_id], community, by), quantity=int(kept), by=by, reason=reason
            )
    audit_record(
        community=community,
        actor=by,
        action="food.allocation.write",
        target=locked,
        summary=locked.week.isoformat(),
        data={"lines": len(lines), "requests": len(delivered), "pantry_crops": len(pantry)},
    )
    locked.refresh_from_db()
    return locked


@transaction.atomic
def allocation_discard(*, allocation: Allocation, by: Membership | None) -> None:
    """Throw a draft away (the week can be computed again)."""
    locked = _draft(allocation)
    week = locked.week
    locked.delete()
    audit_record(
        community=allocation.community, actor=by, action="food.allocation.discard", summary=week.isoformat()
    )
