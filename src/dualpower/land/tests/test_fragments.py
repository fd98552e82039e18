"""The homes page keeps its list (web/fragments.py) while nothing is written: the next visit asks
the database for the visitor's session alone (no home) and gets the same page; a new home shows at
once; and the address column, for those who manage the trust, never reaches anyone else.

Transactional tests: inside a test's transaction nothing is kept (fragments.version is None)."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401
from dualpower.land import services
from dualpower.land.models import Home
from dualpower.web.tests.kept import SESSION_ALONE, signed_in, visit, without_tokens

pytestmark = [
    # Not in the PostgreSQL pass: what a page keeps is the same code on both databases; the count
    # it is keyed by is checked on both by tests/test_fragments.py (transactional tests cost a
    # flush of every table each on PostgreSQL).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_log_emptied_after"),
]

PATH = "/c/riverside/land/"


def test_the_second_visit_reads_no_home_and_gets_the_same_page(land_people: Any, leased_home: Home) -> None:
    (client,) = signed_in(land_people["leaseholder"])
    _, first = visit(client, PATH)
    second_queries, second = visit(client, PATH)
    assert without_tokens(second) == without_tokens(first) and leased_home.label in second
    assert second_queries == SESSION_ALONE  # not the page of homes


def test_a_new_home_shows_on_the_next_visit(land_people: Any, leased_home: Home, community: Any) -> None:
    (client,) = signed_in(land_people["member"])
    _, before = visit(client, PATH)
    assert "Willow Yard 3" not in before
    services.home_create(parcel=leased_home.parcel, label="Willow Yard 3", by=None)
    _, after = visit(client, PATH)
    assert "Willow Yard 3" in after
    # A page further on is its own fragment: the first page is not given for it.
    assert "Willow Yard 3" not in visit(client, f"{PATH}?page=2")[1]


def test_the_address_column_does_not_reach_other_visitors(land_people: Any, leased_home: Home) -> None:
    coordinator, member, observer, leaseholder = signed_in(
        *(land_people[role] for role in ("coordinator", "member", "observer", "leaseholder"))
    )
    _, managed = visit(coordinator, PATH)
    kept_queries, _ = visit(coordinator, PATH)
    others = [visit(client, PATH)[1] for client in (member, observer, leaseholder)]
    _, managed_again = visit(coordinator, PATH)
    assert leased_home.address in managed and "Add a home" in managed
    assert kept_queries == SESSION_ALONE  # kept: nothing was written since
    for page in others:
        assert leased_home.label in page
        assert leased_home.address not in page and "Add a home" not in page
    # And the other way round: the list kept for members is not what the coordinator gets.
    assert without_tokens(managed_again) == without_tokens(managed)
