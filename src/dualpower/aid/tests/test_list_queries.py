"""The mutual aid list is paged, and what a page costs does not grow with the requests (issue 21):
the categories are read once, every row comes from the same queries, and only one page of rows is
read however many requests the community has."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dualpower.aid.tests.factories import AidRequestFactory, AidWorld, make_request
from dualpower.web.pages import PER_PAGE

pytestmark = pytest.mark.django_db

FEW = 2
MANY = PER_PAGE + 15  # more than a page: the second page has rows too


def client_as(world: AidWorld, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def list_url(world: AidWorld, query: str = "") -> str:
    return f"/c/{world.community.slug}/aid/{query}"


def grow(world: AidWorld, n: int) -> None:
    for _ in range(n):
        AidRequestFactory.create(community=world.community)


def queries_for(client: Client, url: str) -> int:
    client.get(url)  # warm: sessions, caches of the first visit
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", ["dispatcher", "member", "matched_volunteer"])
def test_the_list_costs_the_same_with_few_or_many_requests(world: AidWorld, role: str) -> None:
    client = client_as(world, role)
    grow(world, FEW)
    few = queries_for(client, list_url(world))
    grow(world, MANY - FEW)
    many = queries_for(client, list_url(world))
    later = queries_for(client, list_url(world, "?page=2"))
    assert many <= few, f"the aid list's queries grew with the requests: {few} → {many}"
    assert later <= few
    assert few <= 18


def test_the_list_is_paged_and_keeps_the_filters_in_its_links(world: AidWorld) -> None:
    grow(world, MANY)
    client = client_as(world, "dispatcher")
    first = client.get(list_url(world)).content.decode()
    assert first.count('data-label="Code"') == PER_PAGE
    # No count is run for the total: a list longer than a page is captioned without one.
    assert f"{MANY} requests" not in first and "<caption>Requests</caption>" in first
    assert '<span aria-current="page">Page 1</span>' in first and '<a href="?page=2" rel="next">' in first
    second = client.get(list_url(world, "?page=2")).content.decode()
    # Page 2 of the unfiltered list still shows the open requests (the default filter).
    assert second.count('data-label="Code"') == MANY - PER_PAGE
    assert '<a href="?page=1" rel="prev">' in second and 'rel="next"' not in second
    filters = "status=open&amp;category=food&amp;neighbourhood=&amp;urgency="
    filtered = client.get(
        list_url(world, "?status=open&category=food&neighbourhood=&urgency=")
    ).content.decode()
    assert f'<a href="?{filters}&amp;page=2" rel="next">' in filtered
    later = client.get(
        list_url(world, "?status=open&category=food&neighbourhood=&urgency=&page=2")
    ).content.decode()
    assert f'<a href="?{filters}&amp;page=1" rel="prev">' in later
    # A page past the end is an empty page rather than an error.
    assert client.get(list_url(world, "?page=99")).status_code == 200


def test_a_list_that_fits_on_a_page_says_how_many_requests_it_holds(world: AidWorld) -> None:
    grow(world, FEW)
    page = client_as(world, "dispatcher").get(list_url(world)).content.decode()
    shown = page.count('data-label="Code"')
    assert 0 < shown < PER_PAGE and 'rel="next"' not in page
    assert f"<caption>{shown} request{'' if shown == 1 else 's'}</caption>" in page


def test_every_cell_of_the_list_says_its_column(world: AidWorld) -> None:
    make_request(world)
    page = client_as(world, "dispatcher").get(list_url(world)).content.decode()
    for label in ("Code", "Category", "What is needed", "Urgency", "Still needed / asked", "Status"):
        assert f'data-label="{label}"' in page
