"""What every signed-in page pays before its own content (issue 21): the session, the account, the
community with the visitor's membership in one query, the unread count; the header's HTML kept
per process with each request's own parts (its CSRF token, its unread count, its address) put in.

Checked here: the reads give what the ORM gives, a page costs exactly those queries, what is kept
is what would be rendered afresh, and nothing of one request or person reaches another.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from django.utils.functional import LazyObject

from dualpower.community.models import Community
from dualpower.community.selectors import active_membership, community_for_visitor, community_get
from dualpower.errors import NotFound
from dualpower.members.models import Membership
from dualpower.members.roles import forget_memberships, membership_for
from dualpower.notifications.services import notification_send
from dualpower.web import frame, navigation

pytestmark = pytest.mark.django_db


def _fields(obj: Any) -> dict[str, Any]:
    return {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}


def test_the_community_and_the_visitors_membership_are_what_the_orm_reads(
    community: Community, people: dict[str, Any], django_assert_num_queries: Any
) -> None:
    coordinator = people["coordinator"]
    with django_assert_num_queries(1):
        found = community_for_visitor(slug="riverside", user=coordinator)
        mine = membership_for(coordinator, found)  # left by the read: no query of its own
    assert _fields(found) == _fields(Community.objects.get(slug="riverside"))
    assert mine is not None and mine.community is found
    assert _fields(mine) == _fields(Membership.objects.get(user=coordinator, community=community))
    assert mine.languages == Membership.objects.get(pk=mine.pk).languages  # JSON read as the ORM does


@pytest.mark.parametrize("role", ["applicant", "outsider", "anonymous"])
def test_who_is_not_a_member_gets_the_community_and_no_membership(
    community: Community, people: dict[str, Any], role: str, django_assert_num_queries: Any
) -> None:
    with django_assert_num_queries(1):
        found = community_for_visitor(slug="riverside", user=people[role])
    assert _fields(found) == _fields(community)
    if role != "anonymous":
        with django_assert_num_queries(0):
            assert membership_for(people[role], found) is None


def test_an_unknown_community_is_a_404_with_a_sentence(people: dict[str, Any]) -> None:
    with pytest.raises(NotFound, match="There is no community “nowhere”"):
        community_for_visitor(slug="nowhere", user=people["member"])
    with pytest.raises(NotFound):
        community_get(slug="nowhere")


def test_a_former_member_has_no_membership(community: Community, people: dict[str, Any]) -> None:
    member = people["member"]
    Membership.objects.filter(user=member, community=community).update(status="former", user=None)
    assert active_membership(community=community, user_id=member.pk) is None
    assert membership_for(member, community_for_visitor(slug="riverside", user=member)) is None


def test_a_membership_changed_within_the_request_is_read_afresh(
    community: Community, people: dict[str, Any]
) -> None:
    member = people["member"]
    found = community_for_visitor(slug="riverside", user=member)
    assert membership_for(member, found).role == "member"  # type: ignore[union-attr]
    Membership.objects.filter(user=member, community=community).update(role="coordinator")
    forget_memberships(member)
    assert membership_for(member, found).role == "coordinator"  # type: ignore[union-attr]


def test_a_community_page_costs_three_queries_before_its_own_content(
    client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("member")
    client.get("/c/riverside/about/")  # the menu and addresses worked out once per process
    # The session, the account, the community with the membership, the database's state and the
    # unread count (community.hooks.register_visitor_count).
    with django_assert_num_queries(3):
        assert client.get("/c/riverside/about/").status_code == 200


def test_a_community_page_reads_the_account_through_no_lazy_wrapper(client_for: Any) -> None:
    # Each of a page's dozens of permission checks reads the account; through Django's lazy
    # wrapper every read cost several times a plain one (community/decorators.py).
    response = client_for("member").get("/c/riverside/about/")
    assert response.status_code == 200
    assert not isinstance(response.wsgi_request.user, LazyObject)
    assert response.wsgi_request.user.email


def test_requests_that_need_no_database_make_no_query(
    client_for: Any, django_assert_num_queries: Any
) -> None:
    client = client_for("member")
    with django_assert_num_queries(1):  # the health check asks the database, and only that
        assert client.get("/healthz").status_code == 200


def _header(html: str) -> str:
    return html[html.index("<nav") : html.index("</nav>")]


def _without_tokens(html: str) -> str:
    return re.sub(r"[A-Za-z0-9]{64}", "TOKEN", re.sub(r"\s+", " ", html))


def test_the_kept_header_and_footer_are_what_would_be_rendered_afresh(client_for: Any) -> None:
    client = client_for("coordinator")
    for path in ["/c/riverside/", "/c/riverside/members/", "/c/riverside/about/", "/me/"]:
        frame._forget_kept_html()
        fresh = client.get(path).content.decode()
        kept = client.get(path).content.decode()
        assert _without_tokens(kept) == _without_tokens(fresh), path
        assert "\x00" not in kept


def test_each_request_gets_its_own_token_unread_count_and_address(
    client_for: Any, people: dict[str, Any], community: Community
) -> None:
    client = client_for("member")
    first = client.get("/c/riverside/about/?from=%22%3E%3Cb%3E").content.decode()
    assert "Notifications (1 new)" not in first
    notification_send(recipients=[people["member"]], community=community, kind="test.ping", title="Hello")
    second = client.get("/c/riverside/about/").content.decode()
    assert "Notifications (1 new)" in _header(second)
    # The address goes into the language form escaped: it is the visitor's own text.
    assert 'name="next" type="hidden" value="/c/riverside/about/?from=%22%3E%3Cb%3E"' in first
    # One token for all of a page's forms, and it is the one the server accepts.
    tokens = set(re.findall(r'csrfmiddlewaretoken" value="([A-Za-z0-9]+)"', second))
    assert len(tokens) == 1 and f'"X-CSRFToken": "{next(iter(tokens))}"' in second
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["member"])
    page = strict.get("/c/riverside/about/").content.decode()
    token = re.search(
        r'action="/accounts/logout/"[^>]*>\s*<input type="hidden" name="csrfmiddlewaretoken" value="(\w+)"',
        page,
    )
    assert token is not None
    assert strict.post("/accounts/logout/", {"csrfmiddlewaretoken": token.group(1)}).status_code == 302
    assert strict.get("/c/riverside/").status_code == 302  # signed out: to the sign-in page


def test_a_coordinators_menu_is_not_shown_to_a_member(
    client_for: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(navigation, "_registry", dict(navigation._registry))
    navigation.register(
        "settings", "Settings", "community-edit", group="community", perm="community.change_community"
    )
    coordinator = _header(client_for("coordinator").get("/c/riverside/").content.decode())
    member = _header(client_for("member").get("/c/riverside/").content.decode())
    assert "/c/riverside/settings/" in coordinator and "/c/riverside/settings/" not in member


def test_an_expired_session_signs_nobody_in(client_for: Any) -> None:
    client = client_for("member")
    assert client.get("/c/riverside/about/").status_code == 200
    assert "Sign out" in client.get("/c/riverside/about/").content.decode()
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    page = client.get("/c/riverside/about/").content.decode()
    assert "Sign out" not in page and "Sign in" in page
