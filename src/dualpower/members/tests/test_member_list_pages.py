"""The member list a page at a time by name (issue 21): pages found by keyset ("after member N"),
not OFFSET, so that the last page of a large community costs the queries of the first; filters
kept across pages; a bad place in the list is a 400 with a sentence."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.members.models import Membership
from dualpower.members.selectors import MEMBERS_PAGE_SIZE, members_of, members_page
from dualpower.members.tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
PAGE = "/c/riverside/members/"


def _names(page: Any) -> list[str]:
    return [m.display_name for m in page.people]


def _everyone(community: Any) -> list[int]:
    return [m.pk for m in members_of(community=community)]


def test_pages_walk_through_everyone_by_name_and_back(community: Any, people: Any) -> None:
    for name in ["Zoe", "Ana", "Ana", "Bo", "Ana", "Cy", "Bo"]:  # equal names: the id decides
        MembershipFactory.create(community=community, display_name=name)
    everyone = _everyone(community)
    page = members_page(people=members_of(community=community), size=3)
    seen = [m.pk for m in page.people]
    pages = [page]
    while page.next is not None:
        page = members_page(people=members_of(community=community), after=page.next, size=3)
        seen += [m.pk for m in page.people]
        pages.append(page)
    assert seen == everyone and len(pages) > 2
    back = members_page(people=members_of(community=community), before=pages[-1].previous, size=3)
    assert [m.pk for m in back.people] == [m.pk for m in pages[-2].people]


def test_the_filters_stay_on_every_page(client_for: Any, community: Any, people: Any) -> None:
    for i in range(MEMBERS_PAGE_SIZE + 3):
        MembershipFactory.create(
            community=community, display_name=f"Gardener {i:02}", neighbourhood="Riverside"
        )
        MembershipFactory.create(community=community, display_name=f"Baker {i:02}", neighbourhood="Hilltop")
    client = client_for("member")
    first = client.get(f"{PAGE}?neighbourhood=Hilltop")
    page = first.context["page"]
    assert len(page.people) == MEMBERS_PAGE_SIZE and first.context["count"] == MEMBERS_PAGE_SIZE + 3
    assert f"neighbourhood=Hilltop&amp;after={page.next}" in first.content.decode()
    rest = client.get(f"{PAGE}?neighbourhood=Hilltop&after={page.next}").context["page"]
    assert _names(rest) == ["Baker 25", "Baker 26", "Baker 27"] and rest.next is None


def test_the_last_page_costs_the_first_pages_queries_without_offset(client_for: Any, community: Any) -> None:
    Membership.objects.bulk_create(
        Membership(community=community, status=Membership.Status.FORMER, display_name=f"Old {i}")
        for i in range(5)
    )  # former members are not listed
    for i in range(3 * MEMBERS_PAGE_SIZE):
        MembershipFactory.create(community=community, display_name=f"M{i:03}")
    everyone = _everyone(community)
    client = client_for("member")
    client.get(PAGE)

    def sql(query: str, first_shown: int) -> list[str]:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{PAGE}{query}")
        assert response.status_code == 200
        assert response.context["page"].people[0].pk == first_shown
        return [q["sql"] for q in captured.captured_queries]

    first = sql("", everyone[0])
    last = sql(f"?after={everyone[-3]}", everyone[-2])
    assert len(first) == len(last)
    assert not [q for q in first + last if " OFFSET " in q.upper()]


@pytest.mark.parametrize("query", ["after=x", "after=0", "before=-1", f"after={2**64}", "after=1&before=2"])
def test_a_bad_place_in_the_list_is_refused_with_a_sentence(
    client_for: Any, community: Any, query: str
) -> None:
    response = client_for("member").get(f"{PAGE}?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert "place in the list" in html or "not both" in html
