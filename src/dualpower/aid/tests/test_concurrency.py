"""Two volunteers accept the same request at the same moment: one wins, the other is told (409)."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection

from dualpower.aid import services
from dualpower.aid.models import AidMatch, AidRequest
from dualpower.aid.tests.factories import AidWorld, make_request
from dualpower.errors import Conflict
from dualpower.members.models import Membership


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_two_volunteers_accepting_at_once_one_wins_the_other_is_told(world: AidWorld) -> None:
    # See groups/tests/test_concurrency.py: the in-memory SQLite test database may refuse the loser
    # with "table is locked" instead of waiting; on a file database and PostgreSQL it waits and
    # then finds nothing left to take.
    in_memory = connection.vendor == "sqlite" and connection.is_in_memory_db()  # type: ignore[attr-defined]  # SQLite only
    request = make_request(world, quantity=2)
    volunteers = [world.volunteer.pk, world.other_volunteer.pk]
    barrier = threading.Barrier(2, timeout=10)
    outcomes: list[str] = []

    def accept(volunteer_id: int) -> None:
        try:
            volunteer = Membership.objects.get(pk=volunteer_id)
            fresh = AidRequest.objects.get(pk=request.pk)
            barrier.wait()
            services.match_accept(request=fresh, volunteer=volunteer)
            outcomes.append("won")
        except Conflict as exc:
            outcomes.append("told" if "already taken" in exc.detail else f"conflict: {exc.detail}")
        except OperationalError as exc:
            outcomes.append("told" if in_memory and "locked" in str(exc) else f"error: {exc!r}")
        except Exception as exc:  # reported below: any other error fails the test
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(v,)) for v in volunteers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["told", "won"]
    request.refresh_from_db()
    assert request.quantity_committed == 2
    assert AidMatch.objects.filter(request=request).count() == 1
