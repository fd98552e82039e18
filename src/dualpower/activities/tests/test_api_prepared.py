"""The API's list of coming activities is served from prepared rows (activities/api_rows.py); it
must answer byte for byte what ninja made by validating the models through ``ActivityOut``."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dualpower.activities import selectors, services
from dualpower.activities.schemas import ActivityOut
from dualpower.activities.tests.factories import SeriesFactory, first_activity, slot_of
from dualpower.api import api
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db
BASE = "/api/v1/communities/riverside/activities"


@pytest.fixture
def busy(community: Any, everyone: dict[str, Any]) -> None:
    """Three coming activities: weekly deliveries (several dates) with people in some places, one
    place needing a trust role, a one-off nobody has signed up for, and a cancelled date."""
    coordinator = membership_of(everyone["coordinator"], community)
    role = services.trust_role_create(community=community, name="Driver", by=coordinator)
    weekly = SeriesFactory.create(
        community=community,
        title="Deliveries",
        repeat="weekly",
        weekdays=[0, 3],
        in_days=0,
        slots=[("Drivers", 2, role), ("Packers", 3), ("Cooks", 1)],
    )
    SeriesFactory.create(community=community, title="Garden day", in_days=5)
    first = first_activity(weekly)
    for name in ("Ana", "Ben"):
        person = make_membership(community, role=Membership.Role.MEMBER, name=name)
        services.slot_sign_up(slot=slot_of(first, "Packers"), membership=person)
    me = membership_of(everyone["member"], community)
    services.slot_sign_up(slot=slot_of(first, "Cooks"), membership=me)
    last = weekly.activities.order_by("-starts_at").first()
    assert last is not None
    services.activity_cancel(activity=last, by=coordinator)


def _validated(community: Any, user: Any, *, limit: int, offset: int) -> bytes:
    """What ninja answered before: the page's models through ``ActivityOut``, rendered as the API
    renders."""
    me = membership_for(user, community)
    listed = selectors.upcoming_listed(community=community, membership=me)
    rows = selectors.with_places(list(listed[offset : offset + limit]), membership=me)
    page = {"items": [ActivityOut.model_validate(a).model_dump() for a in rows], "count": listed.count()}
    return api.renderer.render(None, page, response_status=200).encode()  # type: ignore[arg-type]


@pytest.mark.parametrize("role", ["member", "coordinator", "observer"])
@pytest.mark.parametrize("window", [(50, 0), (1, 0), (2, 1), (3, 4), (5, 100)])
def test_the_list_is_what_the_schema_makes_of_the_models(
    client_as: Any, community: Any, everyone: dict[str, Any], busy: None, role: str, window: tuple[int, int]
) -> None:
    limit, offset = window
    response = client_as(role).get(f"{BASE}?limit={limit}&offset={offset}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    expected = _validated(community, everyone[role], limit=limit, offset=offset)
    assert response.json() == json.loads(expected)  # the readable difference first
    assert response.content == expected


def test_my_place_comes_first_and_is_named(client_as: Any, community: Any, busy: None) -> None:
    items = client_as("member").get(BASE).json()["items"]
    cooks = next(s for s in items[0]["slots"] if s["label"] == "Cooks")
    assert items[0]["my_signup_id"] == cooks["signups"][0]["id"]
    assert all(item["my_signup_id"] is None for item in items[1:])
