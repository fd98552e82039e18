"""Bad input is refused with a sentence; the distance table is completed by shortest paths."""

from __future__ import annotations

import math

import pytest

from dualpower.core.matching import (
    Distances,
    Need,
    Offer,
    OfferIndex,
    OfferKind,
    TimeWindow,
    Weights,
    assign_all,
    suggest,
)

TABLE = Distances.of(
    {("Riverside", "Old Town"): 2.0, ("Old Town", "Hillcrest"): 3.0}, neighbourhoods=["Isle"]
)


def test_a_window_ending_before_it_starts_is_refused() -> None:
    with pytest.raises(ValueError, match="must start before it ends"):
        TimeWindow(600, 540)
    with pytest.raises(ValueError, match="within the week"):
        TimeWindow(10_000, 10_100)
    with pytest.raises(ValueError, match="HH:MM"):
        TimeWindow.weekly(1, "evening", "21:00")


def test_a_negative_capacity_is_refused() -> None:
    with pytest.raises(ValueError, match="capacity cannot be negative"):
        Offer("o1", ("food",), "Riverside", capacity=-1, kind=OfferKind.RECURRING)


def test_an_inexhaustible_offer_has_no_numbered_capacity_and_others_need_one() -> None:
    with pytest.raises(ValueError, match="inexhaustible"):
        Offer("fridge", ("food",), "Riverside", capacity=5, kind=OfferKind.INEXHAUSTIBLE)
    with pytest.raises(ValueError, match="needs a capacity"):
        Offer("o1", ("food",), "Riverside", capacity=None)


def test_an_unknown_neighbourhood_is_refused_for_a_need_and_for_an_offer() -> None:
    offer = Offer("o1", ("food",), "Riverside")
    need = Need("R-1", "food", "Atlantis")
    with pytest.raises(ValueError, match=r"'Atlantis' \(given for the need 'R-1'\) is not in the distance"):
        suggest(need, [offer], distances=TABLE)
    with pytest.raises(ValueError, match=r"'Atlantis' \(given for the offer 'o2'\)"):
        OfferIndex.build([Offer("o2", ("food",), "Atlantis")], distances=TABLE)
    with pytest.raises(ValueError, match="not in the distance table"):
        assign_all([need], [offer], distances=TABLE)


def test_a_negative_or_missing_distance_is_refused() -> None:
    with pytest.raises(ValueError, match="finite number, 0 or more"):
        Distances.of({("A", "B"): -1.0})
    with pytest.raises(ValueError, match="finite number, 0 or more"):
        Distances.of([("A", "B", float("nan"))])


def test_an_id_listed_twice_is_refused() -> None:
    offers = [Offer("o1", ("food",), "Riverside"), Offer("o1", ("food",), "Old Town")]
    with pytest.raises(ValueError, match="'o1' is listed twice"):
        OfferIndex.build(offers, distances=TABLE)
    need = Need("R-1", "food", "Riverside")
    with pytest.raises(ValueError, match="'R-1' is listed twice"):
        assign_all([need, need], offers[:1], distances=TABLE)


def test_a_need_that_requires_a_language_must_name_one() -> None:
    with pytest.raises(ValueError, match="requires a shared language but lists no language"):
        Need("R-1", "food", "Riverside", language_required=True)


def test_weights_that_would_prefer_leaving_needs_open_are_refused() -> None:
    with pytest.raises(ValueError, match="more than 1"):
        Weights(unmatched_cost=0.5)
    with pytest.raises(ValueError, match="cannot be negative"):
        Weights(distance=-1)


def test_an_index_built_on_another_table_is_refused() -> None:
    index = OfferIndex.build([Offer("o1", ("food",), "Riverside")], distances=TABLE)
    other = Distances.of({("Riverside", "Old Town"): 2.0})
    with pytest.raises(ValueError, match="another distance table"):
        suggest(Need("R-1", "food", "Riverside"), index, distances=other)


def test_the_table_is_completed_by_shortest_paths_and_unlinked_places_are_unreachable() -> None:
    assert TABLE.between("Riverside", "Hillcrest") == 5.0
    assert TABLE.between("Hillcrest", "Riverside") == 5.0
    assert TABLE.between("Old Town", "Old Town") == 0.0
    assert math.isinf(TABLE.between("Isle", "Riverside"))
    zero = Distances.of({("A", "B"): 0.0, ("B", "C"): 1.0})
    assert zero.between("A", "C") == 1.0


def test_overlapping_windows_are_merged_so_time_is_not_counted_twice() -> None:
    need = Need(
        "R-1", "food", "Riverside", windows=(TimeWindow(100, 200), TimeWindow(150, 300), TimeWindow(300, 310))
    )
    assert need.windows == (TimeWindow(100, 310),)
    assert TimeWindow.weekly(1, "18:00", "21:00") == TimeWindow(1440 + 1080, 1440 + 1260)
