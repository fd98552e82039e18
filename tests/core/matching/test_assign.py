"""Assign all: the least total cost over every open need, within every helper's capacity."""

from __future__ import annotations

import random
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st
from matching_brute_force import brute_force_objective
from matching_worlds import random_world

from dualpower.core.matching import (
    DEFAULT_WEIGHTS,
    Distances,
    Need,
    Offer,
    OfferKind,
    Reason,
    TimeWindow,
    Urgency,
    assign_all,
)
from dualpower.core.matching.pair import pair_feasible

TABLE = Distances.of({("Riverside", "Old Town"): 2.0, ("Old Town", "Hillcrest"): 3.0})


def _helper(hid: str, capacity: int | None = 1, **kw: object) -> Offer:
    kind = OfferKind.INEXHAUSTIBLE if capacity is None else OfferKind.RECURRING
    base: dict[str, object] = {
        "categories": ("food",),
        "neighbourhood": "Riverside",
        "languages": ("English",),
    }
    base.update(kw)
    return Offer(hid, capacity=capacity, kind=kind, **base)  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 100_000), needs=st.integers(1, 5), helpers=st.integers(1, 4))
def test_the_assignment_is_optimal_against_brute_force(seed: int, needs: int, helpers: int) -> None:
    need_list, helper_list, distances = random_world(needs, helpers, seed=seed, side=2, cats=2)
    got = assign_all(need_list, helper_list, distances=distances)
    best = brute_force_objective(need_list, helper_list, distances, DEFAULT_WEIGHTS)
    assert abs(got.objective - best) < 1e-9


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 100_000))
def test_capacities_and_hard_constraints_are_never_violated(seed: int) -> None:
    needs, helpers, distances = random_world(120, 40, seed=seed, side=4, cats=3)
    got = assign_all(needs, helpers, distances=distances)
    by_id = {h.id: h for h in helpers}
    need_by_id = {n.id: n for n in needs}
    load = Counter(p.helper_id for p in got.pairs)
    for hid, taken in load.items():
        h = by_id[hid]
        assert h.kind is OfferKind.INEXHAUSTIBLE or taken <= (h.capacity or 0)
    for p in got.pairs:
        assert pair_feasible(
            need_by_id[p.need_id], by_id[p.helper_id], distances=distances, weights=DEFAULT_WEIGHTS
        )
    assert sorted([p.need_id for p in got.pairs] + [u.need_id for u in got.unmatched]) == sorted(need_by_id)


def test_a_helper_with_capacity_two_takes_two_needs_and_no_more() -> None:
    needs = [Need(f"R-{i}", "food", "Riverside") for i in range(3)]
    got = assign_all(needs, [_helper("ana", capacity=2)], distances=TABLE)
    assert [p.need_id for p in got.pairs] == ["R-0", "R-1"]
    assert got.unmatched[0].reason.english() == "all 1 who could help were assigned to other needs"


def test_an_inexhaustible_offer_serves_every_need_it_fits() -> None:
    needs = [Need(f"R-{i}", "food", "Riverside", skills=("driving",) if i == 0 else ()) for i in range(5)]
    helpers = [_helper("fridge", capacity=None), _helper("ana", capacity=1, skills=("driving",))]
    got = assign_all(needs, helpers, distances=TABLE)
    assert len(got.pairs) == 5 and got.unmatched == ()
    assert Counter(p.helper_id for p in got.pairs) == {"fridge": 4, "ana": 1}


def test_the_urgent_need_gets_the_only_helper() -> None:
    calm = Need("R-1", "food", "Riverside", urgency=Urgency.LOW)
    urgent = Need("R-2", "food", "Hillcrest", urgency=Urgency.CRITICAL)
    got = assign_all([calm, urgent], [_helper("ana")], distances=TABLE)
    assert [(p.need_id, p.helper_id) for p in got.pairs] == [("R-2", "ana")]
    assert [u.need_id for u in got.unmatched] == ["R-1"]


def test_the_assignment_prefers_the_better_pairs_overall() -> None:
    # Greedy would give ana (Riverside) to R-1 first; the optimum sends each helper to their own place.
    r1 = Need("R-1", "food", "Riverside", skills=("driving",))
    r2 = Need("R-2", "food", "Riverside", skills=("cooking",))
    ana = _helper("ana", skills=("driving", "cooking"))
    ben = _helper("ben", skills=("cooking",))
    got = assign_all([r1, r2], [ana, ben], distances=TABLE)
    assert {(p.need_id, p.helper_id) for p in got.pairs} == {("R-1", "ana"), ("R-2", "ben")}
    assert got.total_cost == sum(p.cost for p in got.pairs)


def test_each_unmatched_need_says_why() -> None:
    needs = [
        Need("R-1", "transport", "Riverside"),
        Need("R-2", "food", "Riverside", languages=("Somali",), language_required=True),
        Need("R-3", "food", "Riverside", windows=(TimeWindow.weekly(6, "08:00", "09:00"),)),
    ]
    helpers = [_helper("ana", windows=(TimeWindow.weekly(0, "08:00", "12:00"),)), _helper("ben", capacity=0)]
    got = assign_all(needs, helpers, distances=TABLE)
    assert got.pairs == ()
    assert {u.need_id: u.reason.english() for u in got.unmatched} == {
        "R-1": "no one offers transport",
        "R-2": "none of the 2 offering food speaks Somali",
        "R-3": "none of the 1 who could help is free when asked",
    }
    assert got.unmatched[1].reason == Reason(
        "none_language", {"count": 2, "category": "food", "languages": ["Somali"]}
    )
    assert got.objective == 3 * DEFAULT_WEIGHTS.unmatched_cost * 2  # three NORMAL needs left open


def test_a_pair_explains_itself_to_the_dispatcher() -> None:
    need = Need("R-1", "food", "Old Town", languages=("English",))
    [pair] = assign_all([need], [_helper("ana")], distances=TABLE).pairs
    assert [r.code for r in pair.reasons] == ["distance", "speaks", "capacity"]
    assert tuple(r.english() for r in pair.reasons) == (
        "2 km away (Riverside)",
        "speaks English",
        "has capacity for 1 more",
    )


def test_the_same_needs_and_helpers_in_any_order_give_the_same_assignment() -> None:
    needs, helpers, distances = random_world(80, 30, seed=11, side=3, cats=2)
    first = assign_all(needs, helpers, distances=distances)
    rng = random.Random(5)
    rng.shuffle(needs)
    rng.shuffle(helpers)
    assert assign_all(needs, helpers, distances=distances) == first
    assert first.weights is DEFAULT_WEIGHTS


def test_a_need_left_open_by_capacity_or_distance_says_so() -> None:
    table = Distances.of({("Riverside", "Old Town"): 2.0}, neighbourhoods=["Isle"])
    needs = [Need("R-1", "childcare", "Riverside"), Need("R-2", "food", "Isle")]
    helpers = [_helper("ana", capacity=0, categories=("childcare",)), _helper("ben")]
    got = assign_all(needs, helpers, distances=table)
    assert {u.need_id: u.reason.english() for u in got.unmatched} == {
        "R-1": "all 1 who could help have no capacity left",
        "R-2": "all 1 who could help are too far from Isle",
    }
