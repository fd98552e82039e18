"""Two coordinators pressing "Draw" at once draw one panel; a double click volunteers once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import DEFAULT_DB_ALIAS, OperationalError, connection, connections
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteWrapper

from dualpower.assemblies.models import Assembly
from dualpower.errors import Conflict
from dualpower.members.tests.factories import make_membership
from dualpower.panels import services
from dualpower.panels.models import Volunteer
from dualpower.panels.tests.factories import PanelFactory, coordinator_of, fill


def twice(action: Callable[[], Any]) -> list[str]:
    # In-memory SQLite answers "table is locked" at once instead of waiting: there the loser is
    # refused that way. Either way exactly one wins.
    db = connections[DEFAULT_DB_ALIAS]  # the backend itself (``connection`` is a proxy to it)
    in_memory = isinstance(db, SQLiteWrapper) and db.is_in_memory_db()
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def run() -> None:
        try:
            barrier.wait()
            action()
            outcomes.append("done")
        except Conflict:
            outcomes.append("refused")
        except OperationalError as exc:
            outcomes.append("refused" if in_memory and "locked" in str(exc) else f"error: {exc!r}")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(outcomes)


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_two_draws_at_once_draw_one_panel(community: Any) -> None:
    panel = PanelFactory.create(community=community)
    fill(panel)
    by = coordinator_of(community)
    services.panel_close(panel=panel, seed_source="The lottery", by=by)
    services.panel_seed_announce(panel=panel, seed="7 8 9", by=by)
    assert twice(lambda: services.panel_draw(panel=panel, by=by)) == ["done", "refused"]
    assert Volunteer.objects.filter(panel=panel, selected=True).count() == 4
    assert Assembly.objects.filter(kind=Assembly.Kind.PANEL).count() == 1


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_a_double_click_on_volunteer_signs_up_once(community: Any) -> None:
    panel = PanelFactory.create(community=community)
    person = make_membership(community)
    answers = {"neighbourhood": "Riverside", "age band": "under 40"}
    assert twice(lambda: services.volunteer_signup(panel=panel, membership=person, answers=answers)) == [
        "done",
        "refused",
    ]
    assert Volunteer.objects.filter(panel=panel).count() == 1
