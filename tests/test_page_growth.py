"""Every main page costs as many queries in a community of 1,000 members as in one of 10 (issue
21): the number of people, proposals, votes, aid requests, audit entries and transfers never
multiplies the queries.

The community is built by tests/growth.py (bulk inserts; the same builder as bench/bench_scale.py):
one of each page's subject, then people with their rows in proportion. Each page is requested once
to warm per-process and shared caches before it is counted.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.growth import grow, world_make

from dualpower.community.models import Community

pytestmark = pytest.mark.django_db

SMALL = 10
LARGE = 1_000


def _count(client: Any, url: str) -> tuple[int, int]:
    client.get(url)  # warm: per-process caches, the shared cache's community totals
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response.status_code, len(ctx.captured_queries)


def test_every_main_page_costs_the_same_queries_at_ten_and_a_thousand_members(
    community: Community, people: dict[str, Any], client: Any
) -> None:
    world = world_make(community, people["coordinator"])
    grow(world, SMALL)
    client.force_login(people["coordinator"])
    small = {label: _count(client, url) for label, url in world.pages()}
    grow(world, LARGE)
    pages = world.pages()  # the members list's last page moves as the community grows
    large = {label: _count(client, url) for label, url in pages}
    broken = {label: status for label, (status, _n) in {**small, **large}.items() if status != 200}
    assert not broken, f"pages not answering 200: {broken}"
    grown = {
        label: (small[label][1], large[label][1])
        for label, _url in pages
        if large[label][1] > small[label][1]
    }
    assert not grown, f"queries at {SMALL} → {LARGE} members: {grown}"
