"""The API's list of aid requests is served as prepared rows (api_prepared): it must answer byte
for byte what ninja made by validating the same requests through ``RequestOut``."""

from __future__ import annotations

import pytest
from django.test import Client

from dualpower.aid import selectors
from dualpower.aid.schemas import RequestOut
from dualpower.aid.tests.factories import AidWorld, confirmed_match, make_request
from dualpower.api import api
from dualpower.members.roles import membership_for

pytestmark = pytest.mark.django_db
ROLES = ["member", "matched_volunteer", "dispatcher", "coordinator", "observer"]


def _validated(world: AidWorld, role: str, filters: dict[str, str], *, limit: int, offset: int) -> bytes:
    """What ninja answered before: the page's views through ``RequestOut``."""
    me = membership_for(world.users[role], world.community)
    qs = selectors.requests_page(
        community=world.community,
        membership=me,
        **{"status": "", "category": "", "neighbourhood": "", "urgency": "", **filters},
    )
    views = selectors.request_views(list(qs[offset : offset + limit]), me, community=world.community)
    page = {"items": [RequestOut.model_validate(v).model_dump() for v in views], "count": qs.count()}
    return api.renderer.render(None, page, response_status=200).encode()  # type: ignore[arg-type]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "filters", [{}, {"status": "open"}, {"category": "food"}, {"limit": "1", "offset": "1"}]
)
def test_the_list_is_what_the_schema_makes_of_the_requests(
    world: AidWorld, role: str, filters: dict[str, str]
) -> None:
    matched = make_request(world, description="Groceries for the week")
    confirmed_match(world, matched)
    make_request(world, description="A lift to the clinic", category="transport")
    make_request(world, description="Soup")
    client = Client()
    client.force_login(world.users[role])
    query = "&".join(f"{k}={v}" for k, v in filters.items())
    response = client.get(f"/api/v1/communities/{world.community.slug}/aid/requests?{query}")
    assert response.status_code == 200
    limit, offset = int(filters.get("limit", 50)), int(filters.get("offset", 0))
    kept = {k: v for k, v in filters.items() if k not in ("limit", "offset")}
    assert response.content == _validated(world, role, kept, limit=limit, offset=offset)
