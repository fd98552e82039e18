"""Two hundred members voting at the same moment are each counted exactly once."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import OperationalError, connection

from dualpower.assemblies import services
from dualpower.assemblies.models import Vote
from dualpower.assemblies.tests.factories import after_close, general, open_proposal, voters
from dualpower.members.tests.factories import membership_of

N = 200
# A server answers with a pool of workers, each with its own database connection; PostgreSQL
# allows about a hundred connections, shared with the other tests running on this machine.
WORKERS = 24


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_two_hundred_members_voting_at_once_count_once_each(people: Any, community: Any) -> None:
    group = voters(community, N)
    p = open_proposal(general(community), membership_of(people["coordinator"], community), process="majority")
    barrier = threading.Barrier(N, timeout=60)
    errors: list[str] = []
    pool = threading.BoundedSemaphore(WORKERS)

    def vote(member: Any, position: str) -> None:
        barrier.wait()
        with pool:
            _vote(member, position)

    def _vote(member: Any, position: str) -> None:
        try:
            # The in-memory SQLite test database answers "locked" at once instead of waiting, as
            # a phone would see a busy server: the member presses "Vote" again.
            for attempt in range(200):
                try:
                    services.vote_cast(proposal=p, by=member, position=position)
                    break
                except OperationalError as exc:
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01 * (1 + attempt % 5))
            else:
                errors.append(f"{member}: never counted")
            # Each voter then changes their mind once: still one vote each.
            for attempt in range(200):
                try:
                    services.vote_cast(proposal=p, by=member, position="agree")
                    break
                except OperationalError as exc:
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01 * (1 + attempt % 5))
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [
        threading.Thread(target=vote, args=(m, "disagree" if i % 2 else "agree")) for i, m in enumerate(group)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert Vote.objects.filter(proposal=p).count() == N
    assert Vote.objects.filter(proposal=p).values("voter").distinct().count() == N
    outcome = services.proposal_close(proposal=p, now=after_close(p))
    assert outcome.participants == N and outcome.tally["counts"]["agree"] == N
