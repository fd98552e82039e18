"""The working-groups API: status codes per role, bad input, another community's groups."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dualpower.community.models import AuditEntry
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.groups.tests.factories import food, put_in_group
from dualpower.members.tests.factories import ROLES, membership_of

pytestmark = pytest.mark.django_db
BASE = "/api/v1/communities/riverside/groups"
READ_STATUS = {
    "anonymous": 401,
    "applicant": 403,
    "outsider": 403,
    "observer": 200,
    "member": 200,
    "coordinator": 200,
}


def call(client: Any, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(path, data=data, content_type="application/json")


def counts() -> tuple[int, int, int]:
    return WorkingGroup.objects.count(), GroupMembership.objects.count(), AuditEntry.objects.count()


@pytest.mark.parametrize("role", ROLES)
def test_admitted_people_list_the_groups_with_member_counts(
    client_for: Any, community: Any, role: str
) -> None:
    put_in_group(food(community), name="Rosa")
    response = client_for(role).get(BASE)
    assert response.status_code == READ_STATUS[role]
    if response.status_code == 200:
        items = {g["slug"]: g for g in response.json()["items"]}
        assert items["food"]["member_count"] == 1
        assert response.json()["count"] == 5
    else:
        assert response.json()["code"] in {"not_authenticated", "permission_denied"}


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_start_groups(client_for: Any, community: Any, role: str) -> None:
    before = counts()
    response = call(
        client_for(role), "post", BASE, {"name": "Bike repair", "purpose": "Fix bikes", "is_open": False}
    )
    expected = {"coordinator": 201, "anonymous": 401}.get(role, 403)
    assert response.status_code == expected
    if expected == 201:
        assert response.json()["slug"] == "bike-repair"
        assert response.json()["is_open"] is False
    else:
        assert counts() == before


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": 42}, "name"),
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": "Ok", "purpose": "x" * 5001}, "purpose"),
        ({"name": "Ok", "is_open": "perhaps"}, "is_open"),
        ({"name": "Ok", "purpose": ["a list"]}, "purpose"),
    ],
)
def test_bad_input_to_create_names_the_field_and_writes_nothing(
    client_for: Any, community: Any, body: Any, field: str
) -> None:
    before = counts()
    response = call(client_for("coordinator"), "post", BASE, body)
    assert response.status_code == 422
    assert response.json()["code"] == "validation_error"
    assert response.json()["field"] == field
    assert counts() == before


def test_a_name_already_used_is_a_conflict(client_for: Any, community: Any) -> None:
    response = call(client_for("coordinator"), "post", BASE, {"name": "Housing"})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"


def test_broken_json_is_a_4xx(client_for: Any, community: Any) -> None:
    response = client_for("coordinator").post(BASE, data="{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    "path", ["/api/v1/communities/nowhere/groups", f"{BASE}/no-such-group", f"{BASE}/no-such-group/members"]
)
def test_unknown_communities_and_groups_are_not_found(client_for: Any, community: Any, path: str) -> None:
    response = client_for("member").get(path)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_coordinator_cannot_touch_another_communitys_group(
    client_for: Any, community: Any, other_community: Any
) -> None:
    before = counts()
    client = client_for("coordinator")
    assert (
        call(client, "patch", "/api/v1/communities/hilltop/groups/food", {"name": "Mine"}).status_code == 403
    )
    assert call(client, "delete", "/api/v1/communities/hilltop/groups/food").status_code == 403
    assert call(client, "post", "/api/v1/communities/hilltop/groups/food/join").status_code == 403
    assert counts() == before
    assert food(other_community).name == "Food"


def test_a_place_in_another_group_is_not_found_here(
    client_for: Any, community: Any, other_community: Any
) -> None:
    elsewhere = put_in_group(food(other_community), pending=True, name="Pat")
    response = call(client_for("coordinator"), "post", f"{BASE}/food/members/{elsewhere.pk}/approve")
    assert response.status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.status == GroupMembership.Status.PENDING


@pytest.mark.parametrize("role", ROLES)
def test_who_may_join_a_group(client_for: Any, community: Any, role: str) -> None:
    response = call(client_for(role), "post", f"{BASE}/food/join")
    expected = {"member": 201, "coordinator": 201, "anonymous": 401}.get(role, 403)
    assert response.status_code == expected
    assert GroupMembership.objects.count() == (1 if expected == 201 else 0)


def test_joining_by_approval_waits_for_a_convener(client_for: Any, community: Any) -> None:
    WorkingGroup.objects.filter(pk=food(community).pk).update(is_open=False)
    client = client_for("member")
    response = call(client, "post", f"{BASE}/food/join")
    assert response.json()["status"] == "pending"
    again = call(client, "post", f"{BASE}/food/join")
    assert again.status_code == 409
    assert again.json()["detail"] == "You have already asked to join this group."


def test_join_then_leave(client_for: Any, community: Any) -> None:
    client = client_for("member")
    assert call(client, "post", f"{BASE}/food/join").status_code == 201
    assert client.post(f"{BASE}/food/leave").status_code == 204
    assert not GroupMembership.objects.exists()
    assert call(client, "post", f"{BASE}/food/leave").status_code == 403


def test_the_last_convener_gets_a_clear_409_then_names_a_successor(
    client_for: Any, people: Any, community: Any
) -> None:
    group = food(community)
    put_in_group(group, membership_of(people["member"], community), convener=True)
    rosa = put_in_group(group, name="Rosa")
    client = client_for("member")
    refused = call(client, "post", f"{BASE}/food/leave")
    assert refused.status_code == 409
    assert "last convener" in refused.json()["detail"]
    wrong = call(client, "post", f"{BASE}/food/leave", {"new_convener": "Rosa"})
    assert wrong.status_code == 422
    assert wrong.json()["field"] == "new_convener"
    unknown = call(client, "post", f"{BASE}/food/leave", {"new_convener": 999999})
    assert unknown.status_code == 400
    assert GroupMembership.objects.count() == 2
    assert call(client, "post", f"{BASE}/food/leave", {"new_convener": rosa.pk}).status_code == 204
    rosa.refresh_from_db()
    assert rosa.is_convener


def test_members_list_and_requests_are_for_those_who_decide(
    client_for: Any, people: Any, community: Any
) -> None:
    group = food(community)
    put_in_group(group, name="Rosa")
    asking = put_in_group(group, pending=True, name="Pat")
    member = client_for("member")
    names = [m["display_name"] for m in member.get(f"{BASE}/food/members").json()["items"]]
    assert names == ["Rosa"]
    assert member.get(f"{BASE}/food/members?status=pending").status_code == 403
    assert member.get(f"{BASE}/food/members?status=nonsense").status_code == 422
    coordinator = client_for("coordinator")
    pending = coordinator.get(f"{BASE}/food/members?status=pending").json()["items"]
    assert [m["id"] for m in pending] == [asking.pk]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_approve_a_request(client_for: Any, community: Any, role: str) -> None:
    asking = put_in_group(food(community), pending=True, name="Pat")
    response = call(client_for(role), "post", f"{BASE}/food/members/{asking.pk}/approve")
    expected = {"coordinator": 200, "anonymous": 401}.get(role, 403)
    assert response.status_code == expected
    asking.refresh_from_db()
    assert (asking.status == "active") is (expected == 200)


def test_a_convener_declines_a_request(client_for: Any, people: Any, community: Any) -> None:
    group = food(community)
    put_in_group(group, membership_of(people["member"], community), convener=True)
    asking = put_in_group(group, pending=True, name="Pat")
    assert call(client_for("member"), "post", f"{BASE}/food/members/{asking.pk}/decline").status_code == 204
    assert not GroupMembership.objects.filter(pk=asking.pk).exists()


@pytest.mark.parametrize(
    ("member_id", "body", "status"),
    [
        ("abc", {"is_convener": True}, 422),
        ("999999", {"is_convener": True}, 404),
        ("{pk}", {}, 422),
        ("{pk}", {"is_convener": "perhaps"}, 422),
    ],
)
def test_bad_convener_requests(
    client_for: Any, community: Any, member_id: str, body: Any, status: int
) -> None:
    rosa = put_in_group(food(community), name="Rosa")
    path = f"{BASE}/food/members/{member_id.format(pk=rosa.pk)}/convener"
    before = counts()
    assert call(client_for("coordinator"), "post", path, body).status_code == status
    assert counts() == before
    rosa.refresh_from_db()
    assert not rosa.is_convener


def test_a_coordinator_names_a_convener_and_removes_a_member(client_for: Any, community: Any) -> None:
    rosa = put_in_group(food(community), name="Rosa")
    client = client_for("coordinator")
    response = call(client, "post", f"{BASE}/food/members/{rosa.pk}/convener", {"is_convener": True})
    assert response.status_code == 200
    assert response.json()["is_convener"] is True
    assert call(client, "delete", f"{BASE}/food/members/{rosa.pk}").status_code == 204
    assert not GroupMembership.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "status"),
    [
        ({"name": None}, "name", 400),
        ({"name": ""}, "name", 422),
        ({"purpose": "x" * 5001}, "purpose", 422),
        ({"is_open": None}, "is_open", 400),
        ({"is_open": [1]}, "is_open", 422),
    ],
)
def test_bad_changes_to_a_group_write_nothing(
    client_for: Any, community: Any, body: Any, field: str, status: int
) -> None:
    before = counts()
    response = call(client_for("coordinator"), "patch", f"{BASE}/food", body)
    assert response.status_code == status
    assert response.json()["field"] == field
    assert counts() == before


def test_a_coordinator_renames_then_deletes_a_group(client_for: Any, community: Any) -> None:
    client = client_for("coordinator")
    response = call(client, "patch", f"{BASE}/food", {"name": "Food sovereignty", "is_open": False})
    assert response.status_code == 200
    assert (response.json()["name"], response.json()["slug"], response.json()["is_open"]) == (
        "Food sovereignty",
        "food",
        False,
    )
    assert call(client, "delete", f"{BASE}/food").status_code == 204
    assert call(client, "get", f"{BASE}/food").status_code == 404
    assert AuditEntry.objects.filter(action="group.delete").count() == 1


def test_a_member_cannot_rename_a_group_they_do_not_convene(client_for: Any, community: Any) -> None:
    assert call(client_for("member"), "patch", f"{BASE}/food", {"name": "Mine"}).status_code == 403
    assert food(community).name == "Food"


def test_the_groups_api_is_in_the_openapi_schema(client: Any, db: None) -> None:
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/communities/{slug}/groups/{group_slug}/members/{member_id}/approve" in paths
