"""The deliberations' API: the map without anyone's votes, taking part, bad input refused."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.deliberation import mapping
from dualpower.deliberation.tests.factories import make_deliberation, two_camps

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/riverside/deliberations"


def test_the_map_is_read_without_its_inner_state(client: Any, people: Any, community: Any) -> None:
    deliberation = make_deliberation(community, seeds=())
    two_camps(deliberation, people=12, statements=4)
    mapping.map_refresh(deliberation_id=deliberation.pk)
    client.force_login(people["observer"])
    found = client.get(f"{API}/{deliberation.pk}").json()
    assert found["question"] == deliberation.question and len(found["map"]["groups"]) == 2
    assert "state" not in found["map"]
    assert [d["id"] for d in client.get(API).json()] == [deliberation.pk]


def test_a_member_votes_and_adds_through_the_api(client: Any, people: Any, community: Any) -> None:
    deliberation = make_deliberation(community)
    client.force_login(people["member"])
    voted = client.put(
        f"{API}/{deliberation.pk}/statements/1/vote", {"value": "agree"}, content_type="application/json"
    )
    assert voted.status_code == 204
    added = client.post(
        f"{API}/{deliberation.pk}/statements", {"text": "Ask the neighbours"}, content_type="application/json"
    )
    assert added.status_code == 201 and added.json()["number"] == 4
    statements = client.get(f"{API}/{deliberation.pk}/statements").json()
    assert [s["agrees"] for s in statements] == [1, 0, 0, 1]


@pytest.mark.parametrize(
    ("body", "status"),
    [({"value": "maybe"}, 422), ({}, 422)],
)
def test_a_bad_vote_is_refused_with_a_sentence(
    client: Any, people: Any, community: Any, body: dict[str, Any], status: int
) -> None:
    deliberation = make_deliberation(community)
    client.force_login(people["member"])
    answer = client.put(f"{API}/{deliberation.pk}/statements/1/vote", body, content_type="application/json")
    assert answer.status_code == status and answer.json()["detail"]


def test_an_overlong_statement_and_an_outsider_are_refused(client: Any, people: Any, community: Any) -> None:
    deliberation = make_deliberation(community)
    client.force_login(people["member"])
    long = client.post(
        f"{API}/{deliberation.pk}/statements", {"text": "x" * 141}, content_type="application/json"
    )
    assert long.status_code == 400 and "140" in long.json()["detail"]
    client.force_login(people["outsider"])
    assert client.get(f"{API}/{deliberation.pk}").status_code in (403, 404)
