"""The member list and the API's member list keep what they show while the data is unchanged
(web/fragments.py): a second visit, with nothing written between, asks the database for the
visitor's session alone (no member), a write shows on the next visit, and what one visitor was
shown is never served to another who sees something else (the API's contact details, which each
member shows to whom they choose).

Transactional tests: inside an ordinary test's transaction no fragment is kept."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client

from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401
from dualpower.members import services
from dualpower.members.models import Membership
from dualpower.members.tests.factories import MembershipFactory, membership_of
from dualpower.web.tests.kept import SESSION_ALONE, VISITORS_OWN, signed_in, visit, without_tokens

pytestmark = [
    # Not in the PostgreSQL pass: what a page keeps is the same code on both databases; the count
    # it is keyed by is checked on both by tests/test_fragments.py (transactional tests cost a
    # flush of every table each on PostgreSQL).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_log_emptied_after"),
]

PAGE = "/c/riverside/members/"
API = "/api/v1/communities/riverside/members"


# --- the member list ------------------------------------------------------------------------------


def test_the_list_is_kept_until_a_write(people: dict[str, Any], community: Any) -> None:
    (client,) = signed_in(people["member"])
    _, page = visit(client, PAGE)
    second, again = visit(client, PAGE)
    assert second == SESSION_ALONE
    assert without_tokens(again) == without_tokens(page)
    assert "Mara" in again and "3 people" in again
    # A write through the service shows on the next visit.
    services.profile_update(membership=membership_of(people["observer"], community), neighbourhood="Eastbank")
    _, after = visit(client, PAGE)
    assert "Eastbank" in after
    # A new member is counted.
    MembershipFactory.create(community=community, display_name="Nadia")
    _, more = visit(client, PAGE)
    assert "Nadia" in more and "4 people" in more


def test_each_filter_and_place_is_its_own_fragment(people: dict[str, Any], community: Any) -> None:
    services.profile_update(membership=membership_of(people["member"], community), neighbourhood="Eastbank")
    (client,) = signed_in(people["member"])
    visit(client, PAGE)
    _, everyone = visit(client, PAGE)
    _, filtered = visit(client, f"{PAGE}?neighbourhood=Eastbank")
    assert "Olu" in everyone and "Olu" not in filtered and "Mara" in filtered
    assert 'value="Eastbank"' in filtered and 'value="Eastbank"' not in everyone
    assert "Show everyone" in filtered and "Show everyone" not in everyone
    _, errors = visit(client, f"{PAGE}?skill={'x' * 41}")
    assert "errorlist" in errors and "errorlist" not in everyone
    _, results = visit(client, f"{PAGE}?neighbourhood=Eastbank", headers={"HX-Request": "true"})
    assert "Mara" in results and "Olu" not in results and "<html" not in results


def test_the_list_kept_for_one_visitor_keeps_the_others_own_parts(
    people: dict[str, Any], community: Any
) -> None:
    # Both signed in first (signing in writes: the fragments kept before would be dropped).
    coordinator, other = signed_in(people["coordinator"], people["observer"])
    first, _ = visit(coordinator, PAGE)
    second, kept = visit(coordinator, PAGE)
    third, observer = visit(other, PAGE)
    assert second == SESSION_ALONE
    # The observer's first visit reads their own account, community and membership (never the
    # coordinator's), and is served the list (the page of people, how many) the coordinator's kept.
    assert third == SESSION_ALONE + VISITORS_OWN < first
    # Nothing in the results differs by role: the same rows and pager for everyone admitted.
    results = re.compile(r'<div id="member-results".*?</div>', re.S)
    assert results.findall(kept) == results.findall(observer) != []
    # Someone not admitted is refused, kept list or not; an anonymous visitor signs in first.
    (outsider,) = signed_in(people["outsider"])
    assert outsider.get(PAGE).status_code == 403
    assert Client().get(PAGE).status_code in {302, 401}
    assert "Cato" not in Client().get(PAGE).content.decode()


# --- the API's member list ---------------------------------------------------------------------


def contacts(body: str) -> dict[str, str | None]:
    return {item["display_name"]: item["contact"] for item in json.loads(body)["items"]}


def test_the_api_list_is_kept_until_a_write(people: dict[str, Any], community: Any) -> None:
    (client,) = signed_in(people["member"])
    _, body = visit(client, API)
    second, again = visit(client, API)
    assert second == SESSION_ALONE
    assert again == body
    assert set(contacts(again)) == {"Olu", "Mara", "Cato"}
    services.profile_update(membership=membership_of(people["observer"], community), display_name="Oluwaseun")
    _, after = visit(client, API)
    assert set(contacts(after)) == {"Oluwaseun", "Mara", "Cato"}
    # Another page is another fragment, its "next" written for this request.
    _, one = visit(client, f"{API}?limit=1")
    assert len(json.loads(one)["items"]) == 1
    assert json.loads(one)["next"].startswith("http://testserver/api/v1/communities/riverside/members?")


def test_the_api_list_shows_each_visitor_the_contacts_they_may_see(
    people: dict[str, Any], community: Any
) -> None:
    shown = {
        "coordinator": Membership.Visibility.COORDINATORS,  # to coordinators only
        "member": Membership.Visibility.NOBODY,  # to nobody but themselves
        "observer": Membership.Visibility.MEMBERS,  # to everyone admitted
    }
    for role, visibility in shown.items():
        services.profile_update(
            membership=membership_of(people[role], community),
            contact=f"{role}@example.org",
            contact_visibility=visibility,
        )
    someone = MembershipFactory.create(community=community, display_name="Sam").user
    assert someone is not None
    # Signed in first (signing in writes: the fragments kept before would be dropped).
    *signed, sam = signed_in(*(people[role] for role in shown), someone)
    clients = dict(zip(shown, signed, strict=True))
    seen, counts = {}, []
    for role in ("coordinator", "member", "observer", "coordinator", "member", "observer"):
        count, body = visit(clients[role], API)
        seen[role] = contacts(body)
        counts.append(count)
    # The first time round each read their own account, community and membership (never another's),
    # and only the first the page of people: its rows are kept, each one's contacts worked out for
    # them from those. The second time round, their session alone.
    own = SESSION_ALONE + VISITORS_OWN
    assert counts == [own + 1, own, own] + [SESSION_ALONE] * 3
    olu = "observer@example.org"
    assert seen["coordinator"] == {"Cato": "coordinator@example.org", "Mara": None, "Olu": olu, "Sam": None}
    assert seen["member"] == {"Cato": None, "Mara": "member@example.org", "Olu": olu, "Sam": None}
    assert seen["observer"] == {"Cato": None, "Mara": None, "Olu": olu, "Sam": None}
    # Another member (the same role as Mara) does not get Mara's own view.
    _, body = visit(sam, API)
    assert contacts(body) == {"Cato": None, "Mara": None, "Olu": "observer@example.org", "Sam": None}
