"""The API's member list is served as prepared rows (api_prepared): it must answer byte for byte
what ninja made by validating the same page through ``MemberPageOut``, contacts by their rule."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from dualpower.api import api
from dualpower.api_tools import next_link
from dualpower.members import selectors
from dualpower.members.models import Membership
from dualpower.members.schemas import MemberPageOut
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db
URL = "/api/v1/communities/riverside/members"


@pytest.fixture
def crowd(community: Any) -> None:
    """Members who show their contact to members, to coordinators, to nobody; skills and places."""
    shown = [Membership.Visibility.MEMBERS, Membership.Visibility.COORDINATORS, Membership.Visibility.NOBODY]
    for i in range(7):
        person = make_membership(community, role=Membership.Role.MEMBER, name=f"Neighbour {i}")
        person.contact = f"+34 600 000 00{i}"
        person.contact_visibility = shown[i % 3]
        person.languages = ["es", "en"][: 1 + i % 2]
        person.skills = ["cooking"] if i % 2 else []
        person.neighbourhood = "Hillcrest" if i % 3 else ""
        person.save()


def _validated(community: Any, user: Any, query: dict[str, Any]) -> bytes:
    """What ninja answered before: the page's memberships through ``MemberPageOut``, with the
    request in the context as ninja gives it (the contact's rule reads the visitor)."""
    request = RequestFactory().get(URL, query, SERVER_NAME="testserver")
    request.user = user
    found = selectors.member_list_page(
        community=community,
        skill=query.get("skill", ""),
        neighbourhood=query.get("neighbourhood", ""),
        after=query.get("after"),
        size=query.get("limit", 50),
    )
    out = {"items": found.people, "next": next_link(request, cursor="after", value=found.next)}
    page = MemberPageOut.model_validate(out, context={"request": request}).model_dump()
    return api.renderer.render(None, page, response_status=200).encode()  # type: ignore[arg-type]


@pytest.mark.parametrize("role", ["member", "coordinator", "observer"])
@pytest.mark.parametrize("query", [{}, {"limit": 3}, {"skill": "cooking"}, {"neighbourhood": "Hillcrest"}])
def test_the_list_is_what_the_schema_makes_of_the_members(
    client_for: Any, community: Any, people: dict[str, Any], crowd: None, role: str, query: dict[str, Any]
) -> None:
    response = client_for(role).get(URL, query)
    assert response.status_code == 200
    assert response.content == _validated(community, people[role], query)
    if role == "coordinator" and not query:  # the comparison covers contacts shown, not only hidden
        assert sum(bool(m["contact"]) for m in response.json()["items"]) >= 4
