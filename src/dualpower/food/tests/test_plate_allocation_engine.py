"""The allocation engine (core/food/allocation.py): the priorities an assembly adopted are followed
and nothing is allocated beyond what was harvested or asked."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualpower.core.food.allocation import (
    DEFAULT_PRIORITIES,
    AllocationError,
    Demand,
    Destination,
    Split,
    Supply,
    Tier,
    allocate,
    parse_priorities,
    tier_of,
)

D = Decimal
CROPS = ("tomato", "kale", "squash")

quantities = st.decimals(min_value=0, max_value=500, places=3, allow_nan=False, allow_infinity=False)


@st.composite
def worlds(draw: st.DrawFn) -> tuple[list[Supply], list[Demand], tuple[Tier, ...]]:
    supplies = [
        Supply(key=f"log{i}", crop=draw(st.sampled_from(CROPS)), quantity=draw(quantities))
        for i in range(draw(st.integers(0, 8)))
    ]
    demands: list[Demand] = []
    for i in range(draw(st.integers(0, 12))):
        dest = draw(st.sampled_from(list(Destination)))
        if dest is Destination.AID:
            demands.append(
                Demand(
                    key=f"aid{i}",
                    destination=dest,
                    quantity=D(draw(st.integers(0, 40))),
                    urgency=draw(st.integers(0, 3)),
                    whole=True,
                )
            )
        elif dest is Destination.SHARE:
            demands.append(
                Demand(
                    key=f"share{i}",
                    destination=dest,
                    quantity=draw(quantities),
                    crop=draw(st.sampled_from(CROPS)),
                )
            )
        else:
            limited = draw(st.booleans())
            demands.append(
                Demand(
                    key=f"{dest.value}{i}", destination=dest, quantity=draw(quantities) if limited else None
                )
            )
    priorities = tuple(
        draw(st.permutations(list(Tier)).map(lambda p: p[: max(1, len(p) - draw(st.integers(0, 3)))]))
    )
    return supplies, demands, priorities


@settings(max_examples=300, deadline=None, derandomize=True)
@given(world=worlds())
def test_nothing_is_allocated_beyond_what_was_harvested_or_asked(
    world: tuple[list[Supply], list[Demand], tuple[Tier, ...]],
) -> None:
    supplies, demands, priorities = world
    result = allocate(supplies, demands, priorities)
    for s in supplies:
        taken = result.taken_from(s.key)
        assert taken <= s.quantity
        assert taken + result.left_over.get(s.key, D(0)) == s.quantity
    crop_of = {s.key: s.crop for s in supplies}
    for d in demands:
        given_ = result.given_to(d.key)
        if d.quantity is not None:
            assert given_ <= d.quantity
            assert given_ + result.unmet.get(d.key, D(0)) == d.quantity
        if d.whole:
            assert given_ == given_.to_integral_value()
    for line in result.lines:
        assert line.quantity > 0
        assert crop_of[line.supply] == line.crop
        demand = next(d for d in demands if d.key == line.demand)
        assert demand.crop in (None, line.crop)
        assert tier_of(demand, priorities) == line.tier
        assert priorities[line.rank - 1] == line.tier


@settings(max_examples=300, deadline=None, derandomize=True)
@given(world=worlds())
def test_a_lower_tier_gets_a_crop_only_when_the_tiers_above_have_what_they_asked(
    world: tuple[list[Supply], list[Demand], tuple[Tier, ...]],
) -> None:
    supplies, demands, priorities = world
    result = allocate(supplies, demands, priorities)
    below: dict[tuple[str, int], Decimal] = defaultdict(Decimal)  # (crop, rank) → given to ranks > rank
    for line in result.lines:
        for r in range(1, line.rank):
            below[(line.crop, r)] += line.quantity
    for d in demands:
        tier = tier_of(d, priorities)
        if tier is None or d.quantity is None:
            continue
        rank = priorities.index(tier) + 1
        for crop in CROPS if d.crop is None else (d.crop,):
            if below[(crop, rank)] >= d.grain:
                assert result.unmet.get(d.key, D(0)) < d.grain, (d, crop)


def test_urgent_aid_comes_first_then_shares_then_the_pantry() -> None:
    result = allocate(
        [Supply("h1", "tomato", D("10"))],
        [
            Demand("pantry", Destination.PANTRY, None),
            Demand("share-a", Destination.SHARE, D("3"), crop="tomato"),
            Demand("calm", Destination.AID, D("4"), urgency=1, whole=True),
            Demand("urgent", Destination.AID, D("4"), urgency=3, whole=True),
        ],
        DEFAULT_PRIORITIES,
    )
    assert result.given_to("urgent") == D(4)
    assert result.given_to("share-a") == D(3)
    assert result.given_to("calm") == D(3)  # what was left after shares
    assert result.given_to("pantry") == D(0)
    assert result.unmet == {"calm": D(1)}
    urgent = next(line for line in result.lines if line.demand == "urgent")
    assert (urgent.tier, urgent.rank, urgent.split) == (Tier.URGENT_AID, 1, Split.IN_ORDER)


def test_other_priorities_give_another_result() -> None:
    supplies = [Supply("h1", "kale", D("5"))]
    demands = [
        Demand("pantry", Destination.PANTRY, None),
        Demand("req", Destination.AID, D("5"), urgency=1, whole=True),
    ]
    assert allocate(supplies, demands, (Tier.AID, Tier.PANTRY)).given_to("req") == D(5)
    assert allocate(supplies, demands, (Tier.PANTRY, Tier.AID)).given_to("pantry") == D(5)
    # A destination the assembly left out of the priorities gets nothing.
    assert allocate(supplies, demands, (Tier.PANTRY,)).given_to("req") == D(0)


def test_a_short_week_shortens_every_basket_alike() -> None:
    result = allocate(
        [Supply("h1", "kale", D("3"))],
        [
            Demand("small", Destination.SHARE, D("1"), crop="kale"),
            Demand("family", Destination.SHARE, D("2"), crop="kale"),
            Demand("big", Destination.SHARE, D("3"), crop="kale"),
        ],
        (Tier.SHARES,),
    )
    assert [result.given_to(k) for k in ("small", "family", "big")] == [D("0.5"), D("1"), D("1.5")]
    assert {line.split for line in result.lines} == {Split.SHARED}


def test_aid_requests_get_whole_portions_and_a_gift_spans_several_logs() -> None:
    result = allocate(
        [Supply("a", "squash", D("1.5")), Supply("b", "squash", D("1.7"))],
        [Demand("req", Destination.AID, D("5"), whole=True), Demand("market", Destination.MARKET, None)],
        (Tier.AID, Tier.MARKET),
    )
    assert result.given_to("req") == D(3)
    assert [(line.supply, line.quantity) for line in result.lines if line.demand == "req"] == [
        ("a", D("1.5")),
        ("b", D("1.5")),
    ]
    assert result.given_to("market") == D("0.2")
    assert result.left_over == {}


def test_a_request_for_any_food_is_filled_from_several_crops() -> None:
    result = allocate(
        [Supply("t", "tomato", D("2")), Supply("k", "kale", D("4"))],
        [Demand("req", Destination.AID, D("5"), whole=True)],
        (Tier.AID,),
    )
    assert result.given_to("req") == D(5)
    assert result.left_over == {"k": D(1)}


@pytest.mark.parametrize(
    ("supplies", "demands", "priorities"),
    [
        ([Supply("a", "x", D("-1"))], [], DEFAULT_PRIORITIES),
        ([Supply("a", "x", D("NaN"))], [], DEFAULT_PRIORITIES),
        ([Supply("a", "x", D(1)), Supply("a", "x", D(1))], [], DEFAULT_PRIORITIES),
        ([], [Demand("r", Destination.AID, D("1.5"), whole=True)], DEFAULT_PRIORITIES),
        ([], [Demand("r", Destination.SHARE, D("-2"))], DEFAULT_PRIORITIES),
        ([], [], ()),
        ([], [], (Tier.AID, Tier.AID)),
    ],
)
def test_bad_inputs_are_refused(
    supplies: list[Supply], demands: list[Demand], priorities: tuple[Tier, ...]
) -> None:
    with pytest.raises(AllocationError):
        allocate(supplies, demands, priorities)


def test_priorities_are_read_from_their_keys() -> None:
    assert parse_priorities(["shares", "urgent_aid"]) == (Tier.SHARES, Tier.URGENT_AID)
    with pytest.raises(AllocationError):
        parse_priorities(["shares", "bribes"])
