"""Simultaneous taps: one attendance per person, one witness per count, every check-in counted."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from dualpower.errors import Conflict
from dualpower.meetings import selectors, services
from dualpower.meetings.models import Attendance, Meeting, RoomTally
from dualpower.meetings.services import tally_confirm, tally_enter
from dualpower.meetings.tests.factories import general, make_meeting, room_proposal, voters

pytestmark = [
    pytest.mark.db_sensitive,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_log_emptied_after"),
]


def run_at_once(actions: list[Callable[[], Any]]) -> list[str]:
    """Run each action in its own thread and connection, released together."""
    # The in-memory SQLite test database answers "table is locked" at once instead of waiting;
    # there a loser may be refused that way. The outcome in the database is the same.
    db = connections[DEFAULT_DB_ALIAS]  # the backend itself (``connection`` is a proxy to it)
    in_memory = isinstance(db, SQLiteWrapper) and db.is_in_memory_db()
    barrier = threading.Barrier(len(actions), timeout=20)
    outcomes: list[str] = []

    def run(action: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            action()
            outcomes.append("done")
        except Conflict:
            outcomes.append("conflict")
        except OperationalError as exc:
            outcomes.append("locked" if in_memory and "locked" in str(exc) else f"error: {exc!r}")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_a_double_tap_on_check_in_makes_one_attendance(community: Any) -> None:
    (mara,) = voters(community, 1)
    meeting = make_meeting(community, status=Meeting.Status.IN_PROGRESS)
    outcomes = run_at_once([lambda: services.attendance_check_in(meeting=meeting, membership=mara)] * 2)
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("done") == 1
    assert Attendance.objects.filter(meeting=meeting, membership=mara).count() == 1


def test_two_witnesses_at_once_confirm_a_count_once(community: Any) -> None:
    teller, ana, ben = voters(community, 3)
    proposal = room_proposal(general(community))
    meeting = make_meeting(
        community, status=Meeting.Status.IN_PROGRESS, agenda=[{"title": "Paint", "proposal": proposal}]
    )
    for person in (teller, ana, ben):
        services.attendance_check_in(meeting=meeting, membership=person)
    tally = tally_enter(item=meeting.items.get(), teller=teller, counts={"agree": 3}, present=3)
    outcomes = run_at_once(
        [lambda: tally_confirm(tally=tally, witness=ana), lambda: tally_confirm(tally=tally, witness=ben)]
    )
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    assert outcomes.count("done") == 1
    tally = RoomTally.objects.get()
    assert tally.witness in (ana, ben) and tally.confirmed_at is not None


def test_everyone_checking_in_at_once_is_counted_once(community: Any) -> None:
    people = voters(community, 12)
    meeting = make_meeting(community, status=Meeting.Status.IN_PROGRESS)

    def check_in(person: Any) -> Callable[[], Any]:
        def act() -> None:
            # A phone that got "locked" tries again, as the page does when someone taps again.
            for _attempt in range(20):
                try:
                    services.attendance_check_in(meeting=meeting, membership=person)
                    return
                except OperationalError:
                    continue
            raise AssertionError("never got in")

        return act

    outcomes = run_at_once([check_in(p) for p in people])
    assert outcomes == ["done"] * len(people)
    assert selectors.quorum_of(meeting=meeting).present == len(people)
