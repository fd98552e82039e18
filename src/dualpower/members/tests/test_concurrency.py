"""Trust under concurrency: two members giving the last trust at once admit the applicant exactly once."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, close_old_connections, connection

from dualpower.community.models import AuditEntry
from dualpower.errors import DomainError
from dualpower.members import services
from dualpower.members.models import Application, Membership
from dualpower.members.tests.factories import make_application, make_community, make_membership


def give_trust_retrying(application_id: int, user: Any) -> None:
    """Give trust as a web request would, retrying the whole transaction if SQLite's test database
    (in memory, shared cache) reports a table lock instead of waiting as a file database does."""
    for _attempt in range(200):
        try:
            services.trust_give(application=Application.objects.get(pk=application_id), by=user)
            return
        except OperationalError as exc:
            if "locked" not in str(exc):
                raise
            time.sleep(0.01)
    raise AssertionError("the database stayed locked")


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_two_members_giving_the_last_trust_at_once_admit_exactly_once() -> None:
    community = make_community("Karrot Street", admission="trust", trust_threshold=2)
    givers = [make_membership(community) for _ in range(4)]
    application = make_application(community, answers=[])
    barrier = threading.Barrier(len(givers))
    outcomes: list[Any] = []

    def give(membership: Membership) -> None:
        try:
            barrier.wait(timeout=10)
            give_trust_retrying(application.pk, membership.user)
            outcomes.append("ok")
        except DomainError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # any other error fails the test below
            outcomes.append(f"error: {exc!r}")
        finally:
            close_old_connections()
            connection.close()

    threads = [threading.Thread(target=give, args=(m,)) for m in givers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    application.refresh_from_db()
    assert application.status == Application.Status.ADMITTED
    assert Membership.objects.filter(user=application.user, community=community).count() == 1
    assert AuditEntry.objects.filter(action="application.admit").count() == 1
    # Exactly the threshold's worth of trust counted; the others found the decision taken.
    assert sorted(outcomes) == ["application_decided", "application_decided", "ok", "ok"]


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_two_coordinators_stepping_down_at_once_leave_one() -> None:
    community = make_community("Two Hands")
    both = [make_membership(community, role=Membership.Role.COORDINATOR) for _ in range(2)]
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def step_down(me: Membership) -> None:
        try:
            barrier.wait(timeout=10)
            for _attempt in range(200):
                try:
                    services.role_change(membership=me, role="member", by=me.user, reason="Tired")
                    outcomes.append("ok")
                    return
                except OperationalError as exc:  # SQLite's in-memory test database: see above
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
        except DomainError as exc:
            outcomes.append(exc.code)
        except Exception as exc:  # any other error fails the test below
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=step_down, args=(m,)) for m in both]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(outcomes) == ["last_coordinator", "ok"]
    assert Membership.objects.filter(community=community, role="coordinator").count() == 1
