"""The co-op's page keeps its co-op's parts and rows (web/fragments.py) while nothing is written:
the next visit asks the database for the visitor's session alone and gets the same page; a change
shows at once; and what one visitor may do (the board's buttons, its requests, the balances) never
reaches another who may not.

Transactional tests: inside a test's transaction nothing is kept (fragments.version is None)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dualpower.coops import services
from dualpower.coops.models import Cooperative
from dualpower.coops.tests.conftest import place
from dualpower.web.tests.kept import SESSION_ALONE, signed_in, visit, without_tokens

pytestmark = [
    # Not in the PostgreSQL pass: what a page keeps is the same code on both databases; the count
    # it is keyed by is checked on both by tests/test_fragments.py (transactional tests cost a
    # flush of every table each on PostgreSQL).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("register_emptied_after"),
]


def _path(coop: Cooperative) -> str:
    return f"/c/riverside/coops/{coop.slug}/"


def test_the_second_visit_reads_no_list_and_gets_the_same_page(coop: Cooperative, coop_people: Any) -> None:
    (client,) = signed_in(coop_people["coop_board"])
    _, first = visit(client, _path(coop))
    second_queries, second = visit(client, _path(coop))
    assert without_tokens(second) == without_tokens(first)
    # Kept: the members, the requests to join and the co-op's accounts are not read again.
    assert second_queries == SESSION_ALONE
    assert "Kofi" in second and "Requests to join" in second


def test_a_change_shows_on_the_next_visit(coop: Cooperative, coop_people: Any) -> None:
    (client,) = signed_in(coop_people["coop_board"])
    _, before = visit(client, _path(coop))
    assert "Mara" not in before and "No open requests." in before
    mara = coop_people["member"].memberships.get()
    services.coop_join(coop=coop, membership=mara)
    _, after = visit(client, _path(coop))
    assert "No open requests." not in after
    assert re.search(r"<li>Mara\s*<form", after)  # in the requests, with the board's buttons
    board = place(coop, coop_people["coop_board"]).membership
    services.coop_request_approve(place=place(coop, coop_people["member"]), by=board)
    services.coop_board_set(place=place(coop, coop_people["member"]), is_board=True, by=board)
    _, now = visit(client, _path(coop))
    assert "No open requests." in now
    assert re.search(r"<li>Mara <span class=\"badge\">board</span>", now)


def test_what_the_board_sees_does_not_reach_other_visitors(coop: Cooperative, coop_people: Any) -> None:
    board_client, *others = signed_in(
        *(coop_people[role] for role in ("coop_board", "coop_member", "member", "coordinator"))
    )
    _, board = visit(board_client, _path(coop))
    kept_queries, _ = visit(board_client, _path(coop))
    coop_member, member, coordinator = (visit(client, _path(coop))[1] for client in others)
    assert "Put on the board" in board and "Requests to join" in board
    assert "Open accounts in every currency in use" in board
    assert kept_queries == SESSION_ALONE  # nothing was written: the next visitors may be given kept parts
    # A member of the co-op: the same co-op and its balances, not its board's buttons or requests.
    assert "Kofi" in coop_member and "The co-op's accounts" in coop_member
    assert "Put on the board" not in coop_member and "Take off the board" not in coop_member
    assert "Requests to join" not in coop_member and "Open accounts in every currency" not in coop_member
    assert "You are a member of this co-op." in coop_member
    # A member of the community outside the co-op: no accounts, and their own "Ask to join".
    assert "The co-op's accounts" not in member and "Put on the board" not in member
    assert "Ask to join" in member and "You are a member of this co-op." not in member
    # The coordinator runs the co-op (the board's buttons) without being in it: no requests.
    assert "Put on the board" in coordinator and "Requests to join" not in coordinator
    assert "Open accounts in every currency in use" in coordinator
