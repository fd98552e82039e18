"""The members API: what each role gets, and that bad input is a 4xx with nothing written."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from dualpower.community.models import AuditEntry, Community
from dualpower.members.models import AccessToken, Application, Membership, RoleChange
from dualpower.members.tests.factories import ROLES, make_application

pytestmark = pytest.mark.django_db
API = "/api/v1"


def call(client: Any, method: str, url: str, body: Any = None, **headers: str) -> Any:
    kwargs: dict[str, Any] = {"headers": headers} if headers else {}
    if body is not None:
        kwargs.update(
            data=body if isinstance(body, str) else json.dumps(body), content_type="application/json"
        )
    return getattr(client, method)(API + url, **kwargs)


def mid(people: dict[str, Any], role: str, community: Community) -> int:
    return Membership.objects.get(user=people[role], community=community).pk


def app_id(people: dict[str, Any]) -> int:
    return Application.objects.get(user=people["applicant"]).pk


# --- the matrix over HTTP ------------------------------------------------------------------

READS = [
    ("get", "/communities/riverside/members", (401, 403, 200, 200, 200, 403)),
    ("get", "/communities/riverside/members/me", (401, 403, 200, 200, 200, 403)),
    ("get", "/communities/riverside/applications", (401, 403, 403, 403, 200, 403)),
    ("get", "/me", (401, 200, 200, 200, 200, 200)),
    ("get", "/me/export", (401, 200, 200, 200, 200, 200)),
    ("get", "/me/tokens", (401, 200, 200, 200, 200, 200)),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("method", "url", "expected"), READS)
def test_api_reads_per_role(
    client_for: Any, role: str, method: str, url: str, expected: tuple[int, ...]
) -> None:
    response = call(client_for(role), method, url)
    assert response.status_code == expected[ROLES.index(role)], response.content
    if response.status_code >= 400:
        assert set(response.json()) >= {"detail", "code"}


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_admit_over_the_api(client_for: Any, people: dict[str, Any], role: str) -> None:
    response = call(client_for(role), "post", f"/communities/riverside/applications/{app_id(people)}/admit")
    expected = {"anonymous": 401, "coordinator": 200}.get(role, 403)
    assert response.status_code == expected, response.content
    assert Membership.objects.filter(user=people["applicant"]).exists() is (role == "coordinator")


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_change_roles_over_the_api(
    client_for: Any, people: dict[str, Any], community: Community, role: str
) -> None:
    url = f"/communities/riverside/members/{mid(people, 'observer', community)}/role"
    response = call(client_for(role), "post", url, {"role": "member", "reason": "Took part for a year"})
    expected = {"anonymous": 401, "coordinator": 200}.get(role, 403)
    assert response.status_code == expected, response.content
    assert RoleChange.objects.exists() is (role == "coordinator")


# --- members and profiles ------------------------------------------------------------------


def test_the_member_list_shows_admitted_people_only(client_for: Any, people: dict[str, Any]) -> None:
    data = call(client_for("member"), "get", "/communities/riverside/members").json()
    assert data["next"] is None
    assert [m["display_name"] for m in data["items"]] == ["Cato", "Mara", "Olu"]
    assert all(m["contact"] is None for m in data["items"])


def test_the_member_list_is_read_a_page_at_a_time_by_position(
    client_for: Any, people: dict[str, Any]
) -> None:
    client = client_for("member")
    first = call(client, "get", "/communities/riverside/members?limit=2").json()
    assert [m["display_name"] for m in first["items"]] == ["Cato", "Mara"]
    assert f"after={first['items'][1]['id']}" in first["next"]
    second = client.get(first["next"]).json()
    assert [m["display_name"] for m in second["items"]] == ["Olu"]
    assert second["next"] is None
    back = call(
        client, "get", f"/communities/riverside/members?limit=2&before={second['items'][0]['id']}"
    ).json()
    assert [m["display_name"] for m in back["items"]] == ["Cato", "Mara"]
    refused = call(client, "get", "/communities/riverside/members?offset=2")
    assert refused.status_code == 400
    assert refused.json()["field"] == "offset"


def test_the_member_list_filters_by_skill_and_neighbourhood(
    client_for: Any, people: dict[str, Any], community: Community
) -> None:
    Membership.objects.filter(user=people["observer"]).update(skills=["Plumbing"], neighbourhood="Old Town")
    client = client_for("member")
    by_skill = call(client, "get", "/communities/riverside/members?skill=plumb").json()
    assert [m["display_name"] for m in by_skill["items"]] == ["Olu"]
    by_place = call(client, "get", "/communities/riverside/members?neighbourhood=old%20town").json()
    assert [m["display_name"] for m in by_place["items"]] == ["Olu"]


def test_contact_is_shown_over_the_api_only_when_allowed(
    client_for: Any, people: dict[str, Any], community: Community
) -> None:
    Membership.objects.filter(user=people["member"]).update(
        contact="mara@example.org", contact_visibility="coordinators"
    )
    url = f"/communities/riverside/members/{mid(people, 'member', community)}"
    assert call(client_for("observer"), "get", url).json()["contact"] is None
    assert call(client_for("coordinator"), "get", url).json()["contact"] == "mara@example.org"


def test_a_member_of_another_community_is_not_found_here(
    client_for: Any, people: dict[str, Any], other_community: Community
) -> None:
    otto = mid(people, "outsider", other_community)
    response = call(client_for("member"), "get", f"/communities/riverside/members/{otto}")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_i_update_my_own_profile(client_for: Any, people: dict[str, Any]) -> None:
    response = call(
        client_for("member"),
        "patch",
        "/communities/riverside/members/me",
        {"neighbourhood": "Riverside", "skills": ["first aid"]},
    )
    assert response.status_code == 200, response.content
    mara = Membership.objects.get(user=people["member"])
    assert (mara.neighbourhood, mara.skills, mara.display_name) == ("Riverside", ["first aid"], "Mara")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"display_name": "x" * 81}, "display_name"),
        ({"contact": "x" * 201}, "contact"),
        ({"skills": "plumbing"}, "skills"),
        ({"skills": [1, 2]}, "skills.0"),
        ({"neighbourhood": "14 Elm Street"}, "neighbourhood"),
        ({"contact_visibility": "everyone"}, "contact_visibility"),
        ({"display_name": ""}, "display_name"),
    ],
)
def test_bad_profile_input_is_refused_and_nothing_changes(
    client_for: Any, people: dict[str, Any], body: dict, field: str
) -> None:
    response = call(client_for("member"), "patch", "/communities/riverside/members/me", body)
    assert 400 <= response.status_code < 500
    assert response.json()["field"] == field
    mara = Membership.objects.get(user=people["member"])
    assert (mara.display_name, mara.contact, mara.skills, mara.neighbourhood) == ("Mara", "", [], "")


def test_malformed_json_is_a_4xx(client_for: Any) -> None:
    response = call(client_for("member"), "patch", "/communities/riverside/members/me", "{not json")
    assert 400 <= response.status_code < 500


# --- applications --------------------------------------------------------------------------


def test_a_signed_in_person_applies_over_the_api(client_for: Any, people: dict[str, Any]) -> None:
    response = call(
        client_for("outsider"),
        "post",
        "/communities/riverside/applications",
        {"display_name": "Otto", "answers": ["I live here"]},
    )
    assert response.status_code == 201, response.content
    assert response.json()["status"] == "pending"
    assert Application.objects.filter(user=people["outsider"], status="pending").count() == 1


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({"answers": ["x"]}, 422, "display_name"),
        ({"display_name": "Otto", "answers": "x"}, 422, "answers"),
        ({"display_name": "Otto", "answers": []}, 400, "answers"),
        ({"display_name": "Otto", "answers": ["x" * 2001]}, 400, "answers"),
        ({"display_name": "x" * 81, "answers": ["x"]}, 422, "display_name"),
        ({"display_name": 12, "answers": ["x"]}, 422, "display_name"),
    ],
)
def test_a_bad_application_is_refused_and_nothing_written(
    client_for: Any, people: dict[str, Any], body: dict, status: int, field: str
) -> None:
    response = call(client_for("outsider"), "post", "/communities/riverside/applications", body)
    assert response.status_code == status, response.content
    assert response.json()["field"] == field
    assert not Application.objects.filter(user=people["outsider"]).exists()


def test_applying_twice_is_a_conflict(client_for: Any) -> None:
    body = {"display_name": "A", "answers": ["again"]}
    response = call(client_for("applicant"), "post", "/communities/riverside/applications", body)
    assert response.status_code == 409
    assert response.json()["code"] == "application_pending"


def test_an_unknown_community_or_application_is_404(client_for: Any) -> None:
    client = client_for("coordinator")
    assert call(client, "get", "/communities/nowhere/members").status_code == 404
    assert call(client, "post", "/communities/riverside/applications/999999/admit").status_code == 404
    assert call(client, "post", "/communities/riverside/applications/abc/admit").status_code == 422


def test_another_communitys_application_cannot_be_decided_here(
    client_for: Any, people: dict[str, Any], other_community: Community
) -> None:
    theirs = make_application(other_community, answers=[])
    response = call(
        client_for("coordinator"), "post", f"/communities/riverside/applications/{theirs.pk}/admit"
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == "pending"
    # And through their own slug, our coordinator is no coordinator there.
    response = call(client_for("coordinator"), "post", f"/communities/hilltop/applications/{theirs.pk}/admit")
    assert response.status_code == 403
    assert not Membership.objects.filter(user=theirs.user).exists()


def test_declining_needs_a_reason_over_the_api(client_for: Any, people: dict[str, Any]) -> None:
    url = f"/communities/riverside/applications/{app_id(people)}/decline"
    missing = call(client_for("coordinator"), "post", url, {})
    assert missing.status_code == 422 and missing.json()["field"] == "reason"
    ok = call(client_for("coordinator"), "post", url, {"reason": "We could not reach you."})
    assert ok.status_code == 200 and ok.json()["status"] == "declined"
    again = call(client_for("coordinator"), "post", url, {"reason": "twice"})
    assert again.status_code == 409


def test_members_give_trust_over_the_api_in_a_trust_community(
    client_for: Any, people: dict[str, Any], community: Community
) -> None:
    Community.objects.filter(pk=community.pk).update(admission="trust", trust_threshold=2)
    url = f"/communities/riverside/applications/{app_id(people)}/trust"
    first = call(client_for("member"), "post", url)
    assert first.status_code == 200 and first.json()["admitted"] is False
    listed = call(client_for("member"), "get", "/communities/riverside/applications").json()
    assert listed["items"][0]["trust_given_by_me"] is True
    assert call(client_for("member"), "post", url).json()["code"] == "trust_already_given"
    assert call(client_for("observer"), "post", url).status_code == 403
    second = call(client_for("coordinator"), "post", url)
    assert second.json()["admitted"] is True
    assert Membership.objects.filter(user=people["applicant"], role="member").count() == 1


def test_the_applicant_withdraws_over_the_api(client_for: Any, people: dict[str, Any]) -> None:
    url = f"/communities/riverside/applications/{app_id(people)}/withdraw"
    assert call(client_for("member"), "post", url).status_code == 403
    assert call(client_for("applicant"), "post", url).json()["status"] == "withdrawn"


# --- roles ---------------------------------------------------------------------------------


def test_removing_the_last_coordinator_is_a_clear_409(
    client_for: Any, people: dict[str, Any], community: Community
) -> None:
    url = f"/communities/riverside/members/{mid(people, 'coordinator', community)}/role"
    response = call(client_for("coordinator"), "post", url, {"role": "member", "reason": "Stepping down"})
    assert response.status_code == 409
    assert response.json()["code"] == "last_coordinator"
    assert Membership.objects.get(user=people["coordinator"]).role == "coordinator"


@pytest.mark.parametrize(
    "body",
    [{"role": "member"}, {"role": "member", "reason": ""}, {"role": "king", "reason": "x"}, {"reason": "x"}],
)
def test_a_role_change_needs_a_known_role_and_a_reason(
    client_for: Any, people: dict[str, Any], community: Community, body: dict
) -> None:
    url = f"/communities/riverside/members/{mid(people, 'observer', community)}/role"
    response = call(client_for("coordinator"), "post", url, body)
    assert 400 <= response.status_code < 500
    assert response.json()["field"] in {"role", "reason"}
    assert not RoleChange.objects.exists()


def test_coordinators_without_totp_get_mfa_required(
    client_for: Any, people: dict[str, Any], community: Community, settings: Any
) -> None:
    settings.DP_REQUIRE_COORDINATOR_MFA = True
    response = call(
        client_for("coordinator"), "post", f"/communities/riverside/applications/{app_id(people)}/admit"
    )
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"
    assert (
        call(client_for("member"), "get", "/communities/riverside/applications").json()["code"]
        == "permission_denied"
    )
    Authenticator.objects.create(
        user=people["coordinator"], type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    response = call(
        client_for("coordinator"), "post", f"/communities/riverside/applications/{app_id(people)}/admit"
    )
    assert response.status_code == 200


# --- my account and tokens -----------------------------------------------------------------


def test_a_token_works_as_bearer_until_revoked(client: Any, client_for: Any, people: dict[str, Any]) -> None:
    me = client_for("member")
    created = call(me, "post", "/me/tokens", {"name": "my script"})
    assert created.status_code == 201
    raw = created.json()["token"]
    assert not AccessToken.objects.filter(token_hash=raw).exists()
    assert raw not in json.dumps(list(AccessToken.objects.values()), default=str)
    listed = call(me, "get", "/me/tokens").json()
    assert "token" not in listed["items"][0] and "token_hash" not in listed["items"][0]
    client.logout()
    bearer = {"Authorization": f"Bearer {raw}"}
    assert call(client, "get", "/communities/riverside/members", **bearer).status_code == 200
    assert call(client, "get", "/me", **bearer).json()["email"] == people["member"].email
    me = client_for("member")
    assert call(me, "delete", f"/me/tokens/{created.json()['id']}").status_code == 204
    client.logout()
    response = call(client, "get", "/me", **bearer)
    assert response.status_code == 401
    assert call(client, "get", "/me", Authorization="Bearer dp_made_up").status_code == 401


def test_i_cannot_revoke_someone_elses_token(client_for: Any, people: dict[str, Any]) -> None:
    from dualpower.members.services import token_create

    token, _raw = token_create(user=people["coordinator"], name="theirs")
    assert call(client_for("member"), "delete", f"/me/tokens/{token.pk}").status_code == 404
    assert AccessToken.objects.get(pk=token.pk).revoked_at is None


@pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": "x" * 81}, {"name": ["x"]}])
def test_a_token_needs_a_name(client_for: Any, body: dict) -> None:
    response = call(client_for("member"), "post", "/me/tokens", body)
    assert response.status_code == 422
    assert response.json()["field"] == "name"
    assert not AccessToken.objects.exists()


def test_deleting_my_account_over_the_api_needs_my_email(
    client_for: Any, people: dict[str, Any], community: Community
) -> None:
    client = client_for("member")
    wrong = call(client, "delete", "/me", {"confirm_email": "someone@example.org"})
    assert wrong.status_code == 400 and wrong.json()["field"] == "confirm_email"
    assert call(client, "delete", "/me", {}).status_code == 422
    assert Membership.objects.get(pk=mid(people, "member", community)).user_id is not None
    right = call(client, "delete", "/me", {"confirm_email": people["member"].email.upper()})
    assert right.status_code == 204
    assert Membership.objects.filter(display_name="former member", status="former").count() == 1
    assert AuditEntry.objects.filter(action="member.leave").count() == 1
