"""Two board members approving at the same moment cannot together pass the bylaws' maximum."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from dualpower.coops import services
from dualpower.coops.models import CapitalOperation, Cooperative
from dualpower.coops.tests.conftest import place
from dualpower.coops.tests.factories import board_of
from dualpower.errors import Conflict


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("register_emptied_after")
def test_two_simultaneous_approvals_never_exceed_the_maximum_shares(
    coop: Cooperative, coop_people: Any
) -> None:
    db = connections[DEFAULT_DB_ALIAS]  # the backend itself (``connection`` is a proxy to it)
    in_memory = isinstance(db, SQLiteWrapper) and db.is_in_memory_db()
    member = place(coop, coop_people["coop_member"])
    board = board_of(coop)
    # Each alone is within the maximum of 10; together they would make 12.
    ops = [
        services.capital_operation_create(coop=coop, kind="subscription", member=member, shares=6, by=board)
        for _ in range(2)
    ]
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def approve(op: CapitalOperation) -> None:
        try:
            barrier.wait()
            services.capital_operation_approve(operation=op, by=board)
            outcomes.append("approved")
        except Conflict:
            outcomes.append("refused")
        except OperationalError as exc:
            outcomes.append("refused" if in_memory and "locked" in str(exc) else f"error: {exc!r}")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(op,)) for op in ops]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["approved", "refused"]
    assert CapitalOperation.objects.filter(status="approved").count() == 1
    assert CapitalOperation.objects.filter(status="draft").count() == 1
    approved = CapitalOperation.objects.get(status="approved")
    services.capital_operation_complete(operation=approved, by=board)
    assert services.position_of(member).held == 6
