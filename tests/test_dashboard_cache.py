"""The dashboard keeps each person's panels in memory until something is written in the community
(issue 21): a visit that finds nothing new costs a handful of queries, a write (every service
records an audit entry in its transaction) shows on the next visit, and nobody sees another
person's panels."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.community import dashboard
from dualpower.community.models import Community
from dualpower.community.services import audit_record
from dualpower.members.tests.factories import ApplicationFactory, UserFactory, membership_of

pytestmark = pytest.mark.django_db

# A visit that finds its panels kept: the session, the account, the community, the membership,
# the community's newest audit entry, the unread count (and a little headroom).
KEPT_CEILING = 8


@pytest.fixture(autouse=True)
def _fresh() -> Any:
    dashboard.forget_rendered()
    yield
    dashboard.forget_rendered()


def _get(client: Any, url: str) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def _applications(community: Community) -> None:
    ApplicationFactory.create(community=community, user=UserFactory.create(), answers=["Hello."])


def test_a_second_visit_with_nothing_written_reads_the_kept_panels(
    community: Community, people: dict[str, Any], client_for: Any
) -> None:
    client = client_for("coordinator")
    url = f"/c/{community.slug}/"
    first, worked_out = _get(client, url)
    again, kept = _get(client, url)
    assert kept <= KEPT_CEILING, f"{kept} queries for a visit that finds its panels kept"
    assert kept < worked_out
    assert "1 application is waiting for a decision." in first
    assert "1 application is waiting for a decision." in again


def test_a_write_in_the_community_shows_on_the_next_visit(
    community: Community, people: dict[str, Any], client_for: Any
) -> None:
    client = client_for("coordinator")
    url = f"/c/{community.slug}/"
    assert "1 application is waiting for a decision." in _get(client, url)[0]
    _applications(community)
    # What a service does in its transaction, beside its own rows.
    audit_record(
        community=community,
        actor=membership_of(people["coordinator"], community),
        action="members.application_submit",
    )
    page, queries = _get(client, url)
    assert "2 applications are waiting for a decision." in page
    assert queries > KEPT_CEILING  # worked out again


def test_a_write_in_another_community_keeps_the_panels(
    community: Community, other_community: Community, people: dict[str, Any], client_for: Any
) -> None:
    client = client_for("coordinator")
    url = f"/c/{community.slug}/"
    _get(client, url)
    audit_record(community=other_community, actor=None, action="community.update")
    assert _get(client, url)[1] <= KEPT_CEILING


def test_each_person_sees_their_own_panels(
    community: Community, people: dict[str, Any], client_for: Any
) -> None:
    url = f"/c/{community.slug}/"
    coordinator_page = _get(client_for("coordinator"), url)[0]
    member_page = _get(client_for("member"), url)[0]
    assert "Hello Cato" in coordinator_page and "Hello Mara" in member_page
    assert "waiting for a decision" in coordinator_page
    assert "waiting for a decision" not in member_page  # only those who decide applications
    # Both kept now: each still gets their own.
    assert "waiting for a decision" in _get(client_for("coordinator"), url)[0]
    assert "waiting for a decision" not in _get(client_for("member"), url)[0]


def test_the_panels_are_not_kept_when_the_setting_says_so(
    community: Community, people: dict[str, Any], client_for: Any, settings: Any
) -> None:
    settings.DP_DASHBOARD_CACHE_SECONDS = 0
    client = client_for("coordinator")
    url = f"/c/{community.slug}/"
    _get(client, url)
    _applications(community)  # no audit entry: only a dashboard worked out afresh sees it
    assert "2 applications are waiting for a decision." in _get(client, url)[0]


def test_the_version_is_the_newest_audit_entry(community: Community, other_community: Community) -> None:
    before = dashboard.community_version(community)
    entry = audit_record(community=community, actor=None, action="community.update")
    assert dashboard.community_version(community) == entry.pk != before
    audit_record(community=other_community, actor=None, action="community.update")
    assert dashboard.community_version(community) == entry.pk
