"""The aid list, the dispatch board and the API's requests list keep what they show while the data
is unchanged (web/fragments.py): a second visit, with nothing written between, asks the database
for the visitor's session alone, a write shows on the next visit, and what one person was shown is
never served to another who sees something else.

Transactional tests: inside an ordinary test's transaction no fragment is kept."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dualpower.aid import services
from dualpower.aid.models import Privacy
from dualpower.aid.tests.factories import SECRET_ADDRESS, AidRequestFactory, AidWorld
from dualpower.members.models import Membership
from dualpower.web.tests.kept import SESSION_ALONE, signed_in, visit, without_tokens

pytestmark = [
    # Not in the PostgreSQL pass: what a page keeps is the same code on both databases; the count
    # it is keyed by is checked on both by tests/test_fragments.py (transactional tests cost a
    # flush of every table each on PostgreSQL).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_log_emptied_after"),
]


def ask(world: AidWorld, *, by: Membership | None = None, **fields: Any) -> Any:
    fields.setdefault("privacy", Privacy.MEMBERS)
    return AidRequestFactory.create(community=world.community, requester=by or world.member, **fields)


# --- the aid list -------------------------------------------------------------------------------


def list_url(world: AidWorld, query: str = "") -> str:
    return f"/c/{world.community.slug}/aid/{query}"


def test_the_list_is_kept_until_a_write(world: AidWorld) -> None:
    ask(world, description="Rice and beans")
    (client,) = signed_in(world.users["dispatcher"])
    _, page = visit(client, list_url(world))
    second, again = visit(client, list_url(world))
    assert second == SESSION_ALONE
    assert without_tokens(again) == without_tokens(page)
    assert "Rice and beans" in again
    # A write through the service shows on the next visit.
    ask(world, description="Nappies, size 4")
    _, after = visit(client, list_url(world))
    assert "Nappies, size 4" in after
    # Another page or filter is another fragment.
    _, filtered = visit(client, list_url(world, "?category=transport"))
    assert "Rice and beans" not in filtered


def test_the_list_kept_for_a_dispatcher_is_not_served_to_a_member(world: AidWorld) -> None:
    ask(world, description="Safe place to stay tonight", privacy=Privacy.DISPATCHERS)
    # Everyone signs in first: signing in writes (the last login), which would drop what is kept.
    dispatcher, volunteer, member = signed_in(
        *(world.users[r] for r in ("dispatcher", "other_volunteer", "member"))
    )
    visit(dispatcher, list_url(world))
    _, seen = visit(dispatcher, list_url(world))
    assert "Safe place to stay tonight" in seen
    assert f'href="/c/{world.community.slug}/aid/dispatch/"' in seen
    _, other = visit(volunteer, list_url(world))
    assert "Safe place to stay tonight" not in other
    assert f'href="/c/{world.community.slug}/aid/dispatch/"' not in other
    # The person who asked sees it, marked as theirs.
    _, own = visit(member, list_url(world))
    assert "Safe place to stay tonight" in own
    assert '<span class="tag">mine</span>' in own
    assert '<span class="tag">mine</span>' not in seen


# --- the dispatch board -------------------------------------------------------------------------


def board_url(world: AidWorld, query: str = "") -> str:
    return f"/c/{world.community.slug}/aid/dispatch/{query}"


def test_the_board_is_kept_until_a_write(world: AidWorld) -> None:
    ask(world, description="Rice and beans")
    (client,) = signed_in(world.users["dispatcher"])
    _, page = visit(client, board_url(world))
    second, again = visit(client, board_url(world))
    assert second == SESSION_ALONE
    assert without_tokens(again) == without_tokens(page)
    assert "volunteer to confirm" not in again
    # A volunteer takes the request on: the match waits on the next visit, and a new request shows.
    request = ask(world, description="Nappies, size 4")
    services.match_accept(request=request, volunteer=world.volunteer, offer=world.food_offer)
    _, after = visit(client, board_url(world))
    assert "Nappies, size 4" in after
    assert "volunteer confirmed" in after
    assert "Vic" in after


def test_the_board_kept_for_one_dispatcher_is_not_served_to_another(world: AidWorld) -> None:
    second_dispatcher = Membership.objects.get(pk=world.coordinator.pk)
    services.dispatcher_grant(community=world.community, membership=second_dispatcher, by=world.coordinator)
    ask(world, description="Someone to walk with me", by=world.dispatcher)
    own, other_one, member = signed_in(*(world.users[r] for r in ("dispatcher", "coordinator", "member")))
    visit(own, board_url(world))
    _, seen = visit(own, board_url(world))
    assert '<span class="tag">mine</span>' in seen
    _, other = visit(other_one, board_url(world))
    assert "Someone to walk with me" in other
    assert '<span class="tag">mine</span>' not in other
    # Someone who does not dispatch is still refused, whatever is kept; and so is a dispatcher
    # whose role was taken back since their last visit.
    assert member.get(board_url(world)).status_code == 403
    visit(other_one, board_url(world))
    services.dispatcher_revoke(community=world.community, membership=second_dispatcher, by=world.coordinator)
    assert other_one.get(board_url(world)).status_code == 403


# --- the API's requests list --------------------------------------------------------------------


def api_url(world: AidWorld, query: str = "") -> str:
    return f"/api/v1/communities/{world.community.slug}/aid/requests{query}"


def test_the_api_list_is_kept_until_a_write(world: AidWorld) -> None:
    ask(world, description="Rice and beans")
    (client,) = signed_in(world.users["dispatcher"])
    _, answer = visit(client, api_url(world))
    second, again = visit(client, api_url(world))
    assert second == SESSION_ALONE
    assert again == answer
    assert json.loads(again)["count"] == 1
    ask(world, description="Nappies, size 4")
    _, after = visit(client, api_url(world))
    assert json.loads(after)["count"] == 2
    assert "Nappies, size 4" in after
    # Another window is another answer.
    _, window = visit(client, api_url(world, "?limit=1&offset=1"))
    both = [r["code"] for r in json.loads(after)["items"]]
    assert [r["code"] for r in json.loads(window)["items"]] == both[1:]


def test_the_api_list_kept_with_details_is_not_served_to_who_may_not_see_them(world: AidWorld) -> None:
    ask(world, description="Rice and beans")
    dispatcher, volunteer, member = signed_in(
        *(world.users[r] for r in ("dispatcher", "other_volunteer", "member"))
    )
    visit(dispatcher, api_url(world))
    _, seen = visit(dispatcher, api_url(world))
    assert SECRET_ADDRESS in seen
    _, other = visit(volunteer, api_url(world))
    assert "Rice and beans" in other
    assert SECRET_ADDRESS not in other
    (row,) = json.loads(other)["items"]
    assert row["details"] is None and row["contact_channel"] is None
    # The person who asked sees their own details.
    _, own = visit(member, api_url(world))
    assert SECRET_ADDRESS in own
