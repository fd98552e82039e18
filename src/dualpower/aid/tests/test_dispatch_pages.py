"""The dispatch board comes a page at a time (issue 21): its size does not grow with the requests
not yet closed."""

from __future__ import annotations

import pytest
from django.test import Client

from dualpower.aid.models import AidRequest
from dualpower.aid.tests.factories import AidWorld
from dualpower.web.pages import PER_PAGE

pytestmark = pytest.mark.django_db


def test_the_dispatch_board_shows_a_page_of_open_requests_and_links_the_next(world: AidWorld) -> None:
    AidRequest.objects.bulk_create(
        [
            AidRequest(
                community=world.community,
                code=f"P{i:04d}",
                category="food",
                description="Groceries",
                neighbourhood="Riverside",
                requester=world.member,
            )
            for i in range(PER_PAGE + 3)
        ]
    )
    client = Client()
    client.force_login(world.users["dispatcher"])
    url = f"/c/{world.community.slug}/aid/dispatch/"
    first = client.get(url).content.decode()
    live = AidRequest.objects.filter(community=world.community).exclude(
        status__in=["fulfilled", "cancelled", "referred"]
    )
    codes = list(live.values_list("code", flat=True))
    assert len(codes) > PER_PAGE
    shown = [c for c in codes if f">{c}<" in first]
    assert len(shown) == PER_PAGE and "?page=2" in first
    second = client.get(url, {"page": "2"}).content.decode()
    rest = [c for c in codes if f">{c}<" in second]
    assert len(rest) == len(codes) - PER_PAGE and not set(rest) & set(shown)
