"""Two simultaneous joins of one group by one person make one membership."""

from __future__ import annotations

import threading
from typing import Any, cast

import pytest
from django.db import OperationalError, connection
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict
from dualpower.groups import services
from dualpower.groups.models import GroupMembership
from dualpower.groups.tests.factories import food
from dualpower.members.tests.factories import membership_of


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_a_double_click_on_join_makes_one_membership(people: Any, community: Any) -> None:
    # The in-memory SQLite test database shares one cache between threads and answers "table is
    # locked" at once instead of waiting as a node's file database does (DP_TEST_SQLITE=file runs
    # the real thing); there the loser may be refused that way. One membership either way.
    in_memory = connection.vendor == "sqlite" and cast(SQLiteWrapper, connection).is_in_memory_db()
    group = food(community)
    member = membership_of(people["member"], community)
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def join() -> None:
        try:
            barrier.wait()
            services.group_join(group=group, membership=member)
            outcomes.append("joined")
        except Conflict:
            outcomes.append("conflict")
        except OperationalError as exc:
            outcomes.append("conflict" if in_memory and "locked" in str(exc) else f"error: {exc!r}")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=join) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "joined"]
    assert GroupMembership.objects.filter(group=group, membership=member).count() == 1
    assert AuditEntry.objects.filter(action="group.join").count() == 1
