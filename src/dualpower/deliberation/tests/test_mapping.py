"""The opinion map as the deliberation stores it: computed after votes, never behind for good,
never overwritten by an older computation, and showing no one's own votes."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from dualpower.deliberation import mapping, services
from dualpower.deliberation.models import Deliberation
from dualpower.deliberation.tests.factories import make_deliberation, statement, two_camps
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db


def test_two_camps_make_two_groups_and_what_both_agree_on_is_consensus(community: Any) -> None:
    deliberation = make_deliberation(community, seeds=())
    two_camps(deliberation, people=24, statements=8)
    mapping.map_refresh(deliberation_id=deliberation.pk)
    deliberation.refresh_from_db()
    shown = deliberation.opinion_map
    # The two camps of twelve; the author of the statements (who agreed with them all) joins one.
    assert sorted(g["size"] for g in shown["groups"]) == [12, 13]
    # Statements 7 and 8: everybody agreed.
    assert {c["statement"] for c in shown["consensus"] if c["direction"] == "agree"} >= {7, 8}
    # What sets a group apart is a statement the camps split on (1 to 6), never the shared ones.
    for group in shown["groups"]:
        assert group["representative"] and all(r["statement"] <= 6 for r in group["representative"])
    assert deliberation.map_votes == deliberation.votes_seen


def test_the_stored_map_holds_clusters_of_people_and_no_participant_numbers(community: Any) -> None:
    deliberation = make_deliberation(community, seeds=())
    two_camps(deliberation, people=24, statements=8)
    mapping.map_refresh(deliberation_id=deliberation.pk)
    deliberation.refresh_from_db()
    shown = {k: v for k, v in deliberation.opinion_map.items() if k != "state"}
    assert sum(p[2] for p in shown["points"]) == shown["mapped"] == 24 + 1  # the camps and the author
    assert "participant_ids" not in str(shown)


def test_nothing_to_do_when_the_map_is_up_to_date(community: Any) -> None:
    deliberation = make_deliberation(community, seeds=())
    two_camps(deliberation, people=10, statements=4)
    assert mapping.map_refresh(deliberation_id=deliberation.pk) > 0
    assert mapping.map_refresh(deliberation_id=deliberation.pk) == 0


def test_the_next_map_starts_from_the_last_one(community: Any) -> None:
    deliberation = make_deliberation(community, seeds=())
    voters = two_camps(deliberation, people=24, statements=8)
    mapping.map_refresh(deliberation_id=deliberation.pk)
    deliberation.refresh_from_db()
    first = deliberation.opinion_map
    services.vote_cast(statement=statement(deliberation, 1), by=voters[0], value="pass")
    mapping.map_refresh(deliberation_id=deliberation.pk)
    deliberation.refresh_from_db()
    assert deliberation.opinion_map["state"]["k_smoother"] != [None, 0, None]
    assert [g["size"] for g in deliberation.opinion_map["groups"]] == [g["size"] for g in first["groups"]]


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_votes_that_arrive_while_the_map_is_computed_are_counted_by_the_next(community: Any) -> None:
    """A computation reads the votes as they are; votes cast meanwhile move ``votes_seen`` on, so the
    stored map says it is behind, and the next computation counts them. No vote is lost, and a
    slower, older computation never overwrites a newer map."""
    deliberation = make_deliberation(community, seeds=())
    two_camps(deliberation, people=16, statements=6)
    late = [make_membership(community, name=f"Late {i}") for i in range(6)]
    errors: list[BaseException] = []

    def vote(person: Any) -> None:
        try:
            for n in range(1, 7):
                services.vote_cast(statement=statement(deliberation, n), by=person, value="agree")
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    def compute() -> None:
        try:
            for _ in range(3):
                mapping.map_refresh(deliberation_id=deliberation.pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(p,)) for p in late[:3]] + [
        threading.Thread(target=compute)
    ]
    threads += [threading.Thread(target=vote, args=(p,)) for p in late[3:]]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    mapping.map_refresh(deliberation_id=deliberation.pk)
    final = Deliberation.objects.get(pk=deliberation.pk)
    assert final.map_votes == final.votes_seen
    assert final.opinion_map["participants"] == 16 + 1 + 6  # the camps, the author, the late six
