"""Two helpers take the same slot of the help calendar at the same moment: one wins, the other is
told (409 with a sentence), and the need has exactly one helper."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import OperationalError, connection

from dualpower.care.models.circles import Helper, Need
from dualpower.care.services import circles as services
from dualpower.care.tests.factories_circles import CircleWorld, make_world
from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401 - a fixture
from dualpower.errors import Conflict


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_two_helpers_taking_one_slot_at_once_one_wins_the_other_is_told(
    community: Any, people: dict[str, Any], settings: Any
) -> None:
    # As aid/tests/test_concurrency.py: the in-memory SQLite test database may refuse the loser
    # with "table is locked" instead of waiting; on a file database and PostgreSQL it waits and
    # then finds the slot taken.
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()  # type: ignore[attr-defined]  # SQLite only
    world: CircleWorld = make_world(community, people, settings)
    helpers = [world.helper.pk, world.notes_helper.pk]
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def take(helper_id: int) -> None:
        try:
            helper = Helper.objects.select_related("circle__community", "membership").get(pk=helper_id)
            need = Need.objects.select_related("circle__community").get(pk=world.open_need.pk)
            barrier.wait()
            services.need_take(need=need, helper=helper)
            outcomes.append("won")
        except Conflict as exc:
            outcomes.append("told" if "Someone else took" in exc.detail else f"conflict: {exc.detail}")
        except OperationalError as exc:
            outcomes.append("told" if in_memory and "locked" in str(exc) else f"error: {exc!r}")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(h,)) for h in helpers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["told", "won"]
    need = Need.objects.get(pk=world.open_need.pk)
    assert need.taken_by_id in helpers
