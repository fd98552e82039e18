"""The activities page and the API's list of coming activities keep what they show while the data
is unchanged (web/fragments.py): a second visit, with nothing written between, asks the database
for the visitor's session alone (and a member's, whether they convene a group), a sign-up shows on
the next visit, and what one person was shown (which activities are theirs, their place in each)
is never served to another.

Transactional tests: inside an ordinary test's transaction no fragment is kept."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from dualpower.activities import services
from dualpower.activities.tests.factories import SeriesFactory, first_activity, slot_of
from dualpower.members.tests.factories import membership_of
from dualpower.web.tests.kept import SESSION_ALONE, VISITORS_OWN, signed_in, visit, without_tokens

pytestmark = [
    # Not in the PostgreSQL pass: what a page keeps is the same code on both databases; the count
    # it is keyed by is checked on both by tests/test_fragments.py (transactional tests cost a
    # flush of every table each on PostgreSQL).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_log_emptied_after"),
]

PAGE = "/c/riverside/activities/"
API = "/api/v1/communities/riverside/activities"


def sign_up(everyone: dict[str, Any], community: Any, series: Any, role: str, label: str = "Drivers") -> Any:
    slot = slot_of(first_activity(series), label)
    return services.slot_sign_up(slot=slot, membership=membership_of(everyone[role], community))


def mine(html: str) -> str:
    """The page's "My next shifts" section."""
    found = re.search(r'<section aria-labelledby="mine-heading">.*?</section>', html, re.S)
    return found.group(0) if found else ""


# --- the activities page ----------------------------------------------------------------------


def test_the_page_is_kept_until_a_write(everyone: dict[str, Any], community: Any, series: Any) -> None:
    (client,) = signed_in(everyone["member"])
    _, page = visit(client, PAGE)
    second, again = visit(client, PAGE)
    assert second == SESSION_ALONE
    assert without_tokens(again) == without_tokens(page)
    assert "Food distribution" in again and "You have no place in a coming activity." in mine(again)
    # A sign-up through the service shows on the next visit.
    sign_up(everyone, community, series, "member")
    _, after = visit(client, PAGE)
    assert "You: Drivers" in mine(after)
    # A new activity shows, among the others and as a regular activity.
    SeriesFactory.create(community=community, title="Seed library", in_days=3)
    _, more = visit(client, PAGE)
    assert "Seed library" in more and "Seed library" not in mine(more)


def test_one_persons_page_is_not_served_to_another(
    everyone: dict[str, Any], community: Any, series: Any
) -> None:
    sign_up(everyone, community, series, "member")
    # Everyone signed in first (signing in writes: the fragments kept before would be dropped).
    member, observer, coordinator = signed_in(
        *(everyone[role] for role in ("member", "observer", "coordinator"))
    )
    visit(member, PAGE)
    _, theirs = visit(member, PAGE)
    first, others = visit(observer, PAGE)
    second, _ = visit(observer, PAGE)
    assert "You: Drivers" in mine(theirs)
    assert "You: Drivers" not in others and "You have no place in a coming activity." in mine(others)
    # The observer's first visit reads their own account, community and membership, and the coming
    # activities (read for each visitor: which are theirs); the running series were kept by the
    # member's visit. Their next visit asks for their session alone.
    assert first == SESSION_ALONE + VISITORS_OWN + 1
    assert second == SESSION_ALONE
    # What the visitor may do is theirs too: only the coordinator may start an activity.
    _, coordinators = visit(coordinator, PAGE)
    assert "Start an activity" in coordinators and "Start an activity" not in theirs + others
    assert "You: Drivers" not in coordinators


# --- the API's list ------------------------------------------------------------------------------


def my_signups(body: str) -> dict[str, Any]:
    return {item["title"]: item["my_signup_id"] for item in json.loads(body)["items"]}


def test_the_api_list_is_kept_until_a_write(everyone: dict[str, Any], community: Any, series: Any) -> None:
    (client,) = signed_in(everyone["member"])
    _, body = visit(client, API)
    second, again = visit(client, API)
    assert second == SESSION_ALONE
    assert again == body
    assert my_signups(again) == {"Food distribution": None} and json.loads(again)["count"] == 1
    signup = sign_up(everyone, community, series, "member")
    _, after = visit(client, API)
    assert my_signups(after) == {"Food distribution": signup.pk}
    SeriesFactory.create(community=community, title="Seed library", in_days=3)
    _, more = visit(client, API)
    assert json.loads(more)["count"] == 2
    # Another window is another fragment.
    _, window = visit(client, f"{API}?limit=1&offset=1")
    assert [item["title"] for item in json.loads(window)["items"]] == ["Seed library"]


def test_one_persons_api_list_is_not_served_to_another(
    everyone: dict[str, Any], community: Any, series: Any
) -> None:
    signup = sign_up(everyone, community, series, "member")
    member, observer = signed_in(everyone["member"], everyone["observer"])
    visit(member, API)
    _, theirs = visit(member, API)
    _, others = visit(observer, API)
    assert my_signups(theirs) == {"Food distribution": signup.pk}
    assert my_signups(others) == {"Food distribution": None}
    # The people in each place are the same for both.
    assert json.loads(theirs)["items"][0]["slots"] == json.loads(others)["items"][0]["slots"]
    # Someone not admitted is refused, kept list or not.
    (outsider,) = signed_in(everyone["outsider"])
    assert outsider.get(API).status_code == 403
