"""The node's API: the node, a community, its settings and its audit log."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dualpower.community.models import AuditEntry, Community
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db
BASE = "/api/v1/communities/riverside"
READERS = {"observer", "member", "coordinator"}


def patch(client: Any, path: str, body: Any) -> Any:
    return client.patch(path, data=json.dumps(body), content_type="application/json")


def test_the_node_describes_itself_and_its_public_communities(client: Any, community: Any) -> None:
    Community.objects.filter(slug="hilltop").update(is_public=False)
    body = client.get("/api/v1/node").json()
    assert body["software"] == "dualpower"
    assert [c["slug"] for c in body["communities"]] == ["riverside"]


@pytest.mark.parametrize("role", ROLES)
def test_a_public_community_is_readable_by_anyone(client_for: Any, community: Any, role: str) -> None:
    response = client_for(role).get(BASE)
    assert response.status_code == 200
    assert response.json()["application_questions"] == ["Why do you want to join?"]


@pytest.mark.parametrize("role", ROLES)
def test_an_unlisted_community_is_for_its_members(client_for: Any, community: Any, role: str) -> None:
    Community.objects.filter(pk=community.pk).update(is_public=False)
    expected = 200 if role in READERS else {"anonymous": 401}.get(role, 403)
    assert client_for(role).get(BASE).status_code == expected


def test_an_unknown_community_is_not_found(client: Any, db: None) -> None:
    response = client.get("/api/v1/communities/nowhere")
    assert response.status_code == 404
    assert response.json() == {"detail": "There is no community “nowhere” on this node.", "code": "not_found"}


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_change_the_community(client_for: Any, community: Any, role: str) -> None:
    response = patch(client_for(role), BASE, {"description": "A new description."})
    expected = {"coordinator": 200, "anonymous": 401}.get(role, 403)
    assert response.status_code == expected
    community.refresh_from_db()
    assert (community.description == "A new description.") is (expected == 200)


def test_a_coordinator_here_cannot_change_another_community(client_for: Any, other_community: Any) -> None:
    response = patch(client_for("coordinator"), "/api/v1/communities/hilltop", {"name": "Taken over"})
    assert response.status_code == 403
    other_community.refresh_from_db()
    assert other_community.name == "Hilltop Tenants"


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"name": None}, "name", 400),
        ({"name": ""}, "name", 422),
        ({"name": "x" * 121}, "name", 422),
        ({"description": "x" * 5001}, "description", 422),
        ({"languages": ["english"]}, "languages", 400),
        ({"languages": "en"}, "languages", 422),
        ({"application_questions": ["x" * 501]}, "application_questions", 400),
        ({"application_questions": ["?"] * 21}, "application_questions", 422),
        ({"admission": "lottery"}, "admission", 400),
        ({"trust_threshold": "many"}, "trust_threshold", 422),
        ({"trust_threshold": 0}, "trust_threshold", 422),
        ({"is_public": "sometimes"}, "is_public", 422),
    ],
)
def test_bad_settings_name_the_field_and_write_nothing(
    client_for: Any, community: Any, body: Any, field: str, status: int
) -> None:
    before = Community.objects.values().get(pk=community.pk)
    entries = AuditEntry.objects.count()
    response = patch(client_for("coordinator"), BASE, body)
    assert response.status_code == status
    assert response.json()["field"] == field
    assert Community.objects.values().get(pk=community.pk) == before
    assert AuditEntry.objects.count() == entries


def test_a_coordinator_sets_the_admission_policy(client_for: Any, community: Any) -> None:
    body = {
        "admission": "trust",
        "trust_threshold": 4,
        "languages": ["en", "es"],
        "application_questions": ["Hi?"],
    }
    response = patch(client_for("coordinator"), BASE, body)
    assert response.status_code == 200
    assert {k: response.json()[k] for k in body} == body


@pytest.mark.parametrize("role", ROLES)
def test_admitted_people_read_the_audit_log(client_for: Any, community: Any, role: str) -> None:
    response = client_for(role).get(f"{BASE}/audit?limit=2")
    expected = 200 if role in READERS else {"anonymous": 401}.get(role, 403)
    assert response.status_code == expected
    if expected == 200:
        body = response.json()
        newest = AuditEntry.objects.filter(community=community).order_by("-pk")
        assert [item["id"] for item in body["items"]] == [e.pk for e in newest[:2]]
        assert body["next"].endswith(f"before={newest[1].pk}")


def test_the_audit_log_has_no_write_endpoint(client_for: Any, community: Any) -> None:
    client = client_for("coordinator")
    assert client.post(f"{BASE}/audit").status_code == 405
    assert client.delete(f"{BASE}/audit").status_code == 405


def test_the_community_list_shows_public_communities_and_mine(client_for: Any, community: Any) -> None:
    Community.objects.filter(pk=community.pk).update(is_public=False)
    assert client_for("anonymous").get("/api/v1/communities").json()["count"] == 1
    slugs = [c["slug"] for c in client_for("member").get("/api/v1/communities").json()["items"]]
    assert slugs == ["hilltop", "riverside"]


def test_the_audit_log_shows_what_changed(client_for: Any, community: Any) -> None:
    patch(client_for("coordinator"), BASE, {"trust_threshold": 7})
    latest = client_for("member").get(f"{BASE}/audit").json()["items"][0]
    assert latest["action"] == "community.update"
    assert latest["actor"] == "Cato"
    assert latest["data"] == {"before": {"trust_threshold": 3}, "after": {"trust_threshold": 7}}
