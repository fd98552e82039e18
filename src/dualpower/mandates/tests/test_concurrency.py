"""Two clock runs at once record a vote against a mandate once, and tell the assembly once."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper
from django.utils import timezone

from dualpower.assemblies.services import proposal_open_voting, vote_cast
from dualpower.mandates import services
from dualpower.mandates.models import MandateBreach
from dualpower.mandates.tests.factories import World, council_proposal
from dualpower.notifications.models import Notification


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_two_clock_runs_at_once_flag_a_breach_once(world: World) -> None:
    db = connections[DEFAULT_DB_ALIAS]  # the backend itself (``connection`` is a proxy to it)
    in_memory = isinstance(db, SQLiteWrapper) and db.is_in_memory_db()
    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    proposal = council_proposal(world, world.ana)
    services.mandate_set(sending=world.housing, proposal=proposal, position="for", decision_ref="proposal:1")
    proposal_open_voting(proposal=proposal, by=world.ana)
    vote_cast(proposal=proposal, by=world.ana, position="disagree")
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[Any] = []

    def flag() -> None:
        try:
            barrier.wait()
            outcomes.append(services.breaches_flag(now=timezone.now()))
        except OperationalError as exc:
            outcomes.append(0 if in_memory and "locked" in str(exc) else f"error: {exc!r}")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=flag) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes, key=str) == [0, 1]
    assert MandateBreach.objects.count() == 1
    assert Notification.objects.filter(kind="mandates.breach").count() == 2  # Ana and Ben, once each
