"""Many ballots at once: every one is stored exactly once, and closing the vote never loses one."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import OperationalError, connection

from dualpower.budgeting import services
from dualpower.budgeting.models import Ballot, BallotEntry, Phase
from dualpower.budgeting.tests.factories import make_cycle
from dualpower.errors import Conflict
from dualpower.members.tests.factories import make_membership

VOTERS = 8


def _run(targets: list[Any]) -> None:
    threads = [threading.Thread(target=t) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_many_ballots_at_once_are_all_stored_once(community: Any) -> None:
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()  # type: ignore[attr-defined]  # SQLite only
    cycle = make_cycle(community, phase=Phase.VOTING)
    voters = [make_membership(community) for _ in range(VOTERS)]
    barrier = threading.Barrier(VOTERS * 2, timeout=20)
    outcomes: list[str] = []

    def cast(voter: Any, choice: str) -> Any:
        def run() -> None:
            try:
                barrier.wait()
                services.ballot_submit(cycle=cycle, voter=voter, district=None, choices=[(choice, 1)])
                outcomes.append("ok")
            except Conflict:
                outcomes.append("conflict")
            except OperationalError as exc:
                # The in-memory test database answers "locked" at once instead of waiting.
                outcomes.append("locked" if in_memory and "locked" in str(exc) else f"error: {exc!r}")
            except Exception as exc:
                outcomes.append(f"error: {exc!r}")
            finally:
                connection.close()

        return run

    # Each voter sends two ballots at the same moment (a double click, or two phones).
    _run([cast(v, c) for v in voters for c in ("1", "2")])
    assert not [o for o in outcomes if o.startswith("error")], outcomes
    stored = Ballot.objects.filter(cycle=cycle)
    succeeded = {b.voter_id for b in stored}
    assert stored.count() == len(succeeded)  # never two ballots for one voter
    assert all(BallotEntry.objects.filter(ballot=b).count() == 1 for b in stored)
    if not in_memory:
        assert succeeded == {v.pk for v in voters}
