"""The hold queue (core/library/holds.py): served by arrival, paused holds passed over."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from dualpower.core.library import holds as queue

TODAY = dt.date(2027, 3, 1)
HOLDS = st.lists(
    st.builds(
        queue.QueuedHold,
        seq=st.integers(min_value=1, max_value=10_000),
        paused_until=st.none()
        | st.dates(min_value=TODAY - dt.timedelta(days=30), max_value=TODAY + dt.timedelta(days=30)),
    ),
    max_size=20,
    unique_by=lambda hold: hold.seq,
)


@settings(derandomize=True, max_examples=200, deadline=None)
@given(HOLDS, st.randoms(use_true_random=False))
def test_the_next_in_line_is_the_earliest_arrival_not_paused_whatever_the_order_read(
    holds: list[queue.QueuedHold], rnd: object
) -> None:
    shuffled = list(holds)
    rnd.shuffle(shuffled)  # type: ignore[attr-defined]
    chosen = queue.next_in_line(shuffled, today=TODAY)
    free = [h for h in holds if h.paused_until is None or h.paused_until <= TODAY]
    assert chosen == (min(free, key=lambda h: h.seq) if free else None)


@settings(derandomize=True, max_examples=100, deadline=None)
@given(HOLDS)
def test_places_are_one_to_n_in_arrival_order(holds: list[queue.QueuedHold]) -> None:
    places = [queue.position(holds, h.seq) for h in sorted(holds, key=lambda h: h.seq)]
    assert places == list(range(1, len(holds) + 1))


def test_a_paused_hold_keeps_its_place_but_is_passed_over() -> None:
    mine = queue.QueuedHold(seq=1, paused_until=TODAY + dt.timedelta(days=3))
    theirs = queue.QueuedHold(seq=2)
    assert queue.next_in_line([mine, theirs], today=TODAY) == theirs
    assert queue.position([mine, theirs], 1) == 1
    assert queue.next_in_line([mine, theirs], today=TODAY + dt.timedelta(days=3)) == mine


def test_due_dates_and_ready_windows() -> None:
    assert queue.due_on(TODAY, loan_days=14) == dt.date(2027, 3, 15)
    assert queue.is_overdue(dt.date(2027, 2, 28), today=TODAY)
    assert not queue.is_overdue(TODAY, today=TODAY)
