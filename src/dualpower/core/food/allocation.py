"""Routing a week's harvests to the people who need them, by the priorities an assembly adopted.

The inputs are *supplies* (harvest and rescue logs: a crop and a quantity), *demands* (open food
aid requests, share members' baskets, the pantry, the grocery or market) and the *priorities*: an
ordered list of tiers ("urgent aid first, then shares, then the other requests, then the pantry,
then the market"). For each crop, the whole quantity harvested is offered to the first tier, what
is left to the second, and so on; what no tier takes is left over (and shown as such).

Inside a tier:

- aid requests are served **in order**: the most urgent first, then the oldest (the order the
  caller gives), each in whole portions (an aid request counts what it asks for in whole units);
- shares are served **in proportion** to what each basket is owed (the share's size), so a short
  week shortens every basket alike instead of emptying the last ones;
- the pantry and the market take what is left, in order.

A demand may ask for one crop (a share's basket line) or for any crop (an aid request for food, the
pantry). Crops are taken in the order their first supply was given, so a request for "any food" is
filled from the first crop that has some, then the next.

Two promises, checked by property tests: nothing is allocated beyond what was harvested (per log)
or beyond what was asked (per demand), and a tier below only receives a crop once every demand of
the tiers above that could take it has what it asked for (or less than one unit of it is missing).

Every line carries its reason: the tier it was served in, that tier's place in the priorities and
how the tier was shared out, so the food group can read why each basket holds what it holds.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum


class Destination(StrEnum):
    AID = "aid"  # an open aid request for food
    SHARE = "share"  # a share member's basket
    PANTRY = "pantry"  # the community's pantry (inventory)
    MARKET = "market"  # the grocery or market


class Tier(StrEnum):
    """The steps of a priority list. Aid requests are split by urgency so an assembly can put
    urgent requests before shares and the others after them."""

    URGENT_AID = "urgent_aid"
    AID = "aid"
    SHARES = "shares"
    PANTRY = "pantry"
    MARKET = "market"


class Split(StrEnum):
    IN_ORDER = "in_order"  # most urgent, then oldest, each filled before the next
    SHARED = "shared"  # in proportion to what each is owed
    LEFT_OVER = "left_over"  # took what the tiers above left


DEFAULT_PRIORITIES: tuple[Tier, ...] = (Tier.URGENT_AID, Tier.SHARES, Tier.AID, Tier.PANTRY, Tier.MARKET)

# Urgency on aid's scale (0 low, 1 normal, 2 high, 3 critical): high and above is urgent.
URGENT = 2
# The smallest quantity handed out when whole units are not required (logs keep three decimals).
GRAIN = Decimal("0.001")
ONE = Decimal(1)

_SPLIT_OF: dict[Tier, Split] = {
    Tier.URGENT_AID: Split.IN_ORDER,
    Tier.AID: Split.IN_ORDER,
    Tier.SHARES: Split.SHARED,
    Tier.PANTRY: Split.LEFT_OVER,
    Tier.MARKET: Split.LEFT_OVER,
}


class AllocationError(ValueError):
    """The inputs cannot be allocated (a negative quantity, a priority list with a repeat)."""


@dataclass(frozen=True)
class Supply:
    key: str
    crop: str
    quantity: Decimal


@dataclass(frozen=True)
class Demand:
    key: str
    destination: Destination
    # What is still owed; None takes whatever reaches it (the pantry, the market).
    quantity: Decimal | None
    crop: str | None = None  # None: any crop
    urgency: int = 1
    whole: bool = False  # only whole units (an aid request's portions)

    @property
    def grain(self) -> Decimal:
        return ONE if self.whole else GRAIN


@dataclass(frozen=True)
class Line:
    supply: str
    demand: str
    crop: str
    quantity: Decimal
    tier: Tier
    rank: int  # 1 for the first tier of the priorities
    split: Split


@dataclass(frozen=True)
class Allocation:
    """The allocation and the priorities used, so anyone can replay it."""

    priorities: tuple[Tier, ...]
    lines: tuple[Line, ...]
    left_over: dict[str, Decimal] = field(default_factory=dict)  # supply key → not allocated
    unmet: dict[str, Decimal] = field(default_factory=dict)  # demand key → still owed (finite only)

    def given_to(self, demand_key: str) -> Decimal:
        return sum((line.quantity for line in self.lines if line.demand == demand_key), Decimal(0))

    def taken_from(self, supply_key: str) -> Decimal:
        return sum((line.quantity for line in self.lines if line.supply == supply_key), Decimal(0))


def tier_of(demand: Demand, priorities: Sequence[Tier]) -> Tier | None:
    """The tier a demand is served in under these priorities, or None (not served at all)."""
    if demand.destination is Destination.AID:
        if demand.urgency >= URGENT and Tier.URGENT_AID in priorities:
            return Tier.URGENT_AID
        return Tier.AID if Tier.AID in priorities else None
    tier = {Destination.SHARE: Tier.SHARES, Destination.PANTRY: Tier.PANTRY, Destination.MARKET: Tier.MARKET}[
        demand.destination
    ]
    return tier if tier in priorities else None


def parse_priorities(keys: Iterable[str]) -> tuple[Tier, ...]:
    """Priorities from their stored keys; refuses an unknown key, a repeat or an empty list."""
    out: list[Tier] = []
    for key in keys:
        try:
            tier = Tier(key)
        except ValueError:
            raise AllocationError(f"unknown priority {key!r}") from None
        if tier in out:
            raise AllocationError(f"priority {key!r} given twice")
        out.append(tier)
    if not out:
        raise AllocationError("the priorities are empty")
    return tuple(out)


def _floor(quantity: Decimal, grain: Decimal) -> Decimal:
    return (quantity / grain).to_integral_value(rounding=ROUND_DOWN) * grain


def _check(supplies: Sequence[Supply], demands: Sequence[Demand], priorities: Sequence[Tier]) -> None:
    parse_priorities(priorities)
    seen: set[str] = set()
    for s in supplies:
        if s.key in seen:
            raise AllocationError(f"supply {s.key!r} given twice")
        seen.add(s.key)
        if not s.quantity.is_finite() or s.quantity < 0:
            raise AllocationError(f"supply {s.key!r} has a negative or unreadable quantity")
    seen = set()
    for d in demands:
        if d.key in seen:
            raise AllocationError(f"demand {d.key!r} given twice")
        seen.add(d.key)
        if d.quantity is not None:
            if not d.quantity.is_finite() or d.quantity < 0:
                raise AllocationError(f"demand {d.key!r} has a negative or unreadable quantity")
            if d.whole and d.quantity != d.quantity.to_integral_value():
                raise AllocationError(f"demand {d.key!r} asks for whole units but gives a fraction")


def _in_order(avail: Decimal, demands: list[Demand], owed: dict[str, Decimal | None]) -> dict[str, Decimal]:
    gifts: dict[str, Decimal] = {}
    for d in demands:
        if avail <= 0:
            break
        still = owed[d.key]
        give = _floor(avail if still is None else min(still, avail), d.grain)
        if give > 0:
            gifts[d.key] = give
            avail -= give
    return gifts


def _shared(avail: Decimal, demands: list[Demand], owed: dict[str, Decimal | None]) -> dict[str, Decimal]:
    needs = {d.key: owed[d.key] or Decimal(0) for d in demands}
    total = sum(needs.values(), Decimal(0))
    if total <= avail:
        return {k: v for k, v in needs.items() if v > 0}
    # Each gets its proportion rounded down, then what rounding kept back goes out one grain at a
    # time in order, so the tier takes all it can and nobody gets more than they are owed.
    gifts = {d.key: min(needs[d.key], _floor(avail * needs[d.key] / total, d.grain)) for d in demands}
    rest = avail - sum(gifts.values(), Decimal(0))
    progress = True
    while rest > 0 and progress:
        progress = False
        for d in demands:
            if rest < d.grain:
                continue
            if needs[d.key] - gifts[d.key] >= d.grain:
                gifts[d.key] += d.grain
                rest -= d.grain
                progress = True
    return {k: v for k, v in gifts.items() if v > 0}


def allocate(
    supplies: Sequence[Supply],
    demands: Sequence[Demand],
    priorities: Sequence[Tier] = DEFAULT_PRIORITIES,
) -> Allocation:
    """Allocate every supply across the demands, tier by tier (see the module's docstring)."""
    _check(supplies, demands, priorities)
    order = tuple(priorities)
    rank = {tier: i + 1 for i, tier in enumerate(order)}
    by_tier: dict[Tier, list[Demand]] = {tier: [] for tier in order}
    for d in demands:
        tier = tier_of(d, order)
        if tier is not None:
            by_tier[tier].append(d)
    for tier in (Tier.URGENT_AID, Tier.AID):
        if tier in by_tier:
            # Most urgent first; Python's sort is stable, so the caller's order (oldest first) stays.
            by_tier[tier].sort(key=lambda d: -d.urgency)
    owed: dict[str, Decimal | None] = {d.key: d.quantity for d in demands}

    crops: list[str] = []
    supplies_of: dict[str, list[Supply]] = {}
    for s in supplies:
        if s.crop not in supplies_of:
            crops.append(s.crop)
            supplies_of[s.crop] = []
        supplies_of[s.crop].append(s)

    lines: list[Line] = []
    left_over: dict[str, Decimal] = {}
    for crop in crops:
        avail = sum((s.quantity for s in supplies_of[crop]), Decimal(0))
        gifts: list[tuple[Demand, Tier, Decimal]] = []
        for tier in order:
            if avail <= 0:
                break
            takers = [
                d
                for d in by_tier[tier]
                if d.crop in (None, crop) and (owed[d.key] is None or (owed[d.key] or 0) > 0)
            ]
            if not takers:
                continue
            split = _SPLIT_OF[tier]
            given = (_shared if split is Split.SHARED else _in_order)(avail, takers, owed)
            for d in takers:
                q = given.get(d.key)
                if q:
                    gifts.append((d, tier, q))
                    still = owed[d.key]
                    if still is not None:
                        owed[d.key] = still - q
                    avail -= q
        # Hand the gifts out of the crop's logs in order: each gift may span several logs.
        logs = supplies_of[crop]
        left = [s.quantity for s in logs]
        at = 0
        for d, tier, q in gifts:
            while q > 0:
                take = min(left[at], q)
                if take > 0:
                    lines.append(
                        Line(
                            supply=logs[at].key,
                            demand=d.key,
                            crop=crop,
                            quantity=take,
                            tier=tier,
                            rank=rank[tier],
                            split=_SPLIT_OF[tier],
                        )
                    )
                left[at] -= take
                q -= take
                if left[at] == 0:
                    at += 1
        for s, rest in zip(logs, left, strict=True):
            if rest > 0:
                left_over[s.key] = rest
    unmet = {k: v for k, v in owed.items() if v is not None and v > 0}
    return Allocation(priorities=order, lines=tuple(lines), left_over=left_over, unmet=unmet)
