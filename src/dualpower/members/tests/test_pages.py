"""People's pages: who sees what, and that applying, deciding, roles and tokens work without JavaScript."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from dualpower.community.models import Community
from dualpower.members.models import AccessToken, Application, Membership, User
from dualpower.members.tests.factories import ROLES, make_user

pytestmark = pytest.mark.django_db
LOGIN = "/accounts/login/"


def mara(people: dict[str, Any]) -> Membership:
    return Membership.objects.get(user=people["member"])


def pages(people: dict[str, Any]) -> dict[str, str]:
    m = mara(people).pk
    return {
        "members": "/c/riverside/members/",
        "profile": f"/c/riverside/members/{m}/",
        "edit": "/c/riverside/profile/",
        "role": f"/c/riverside/members/{m}/role/",
        "applications": "/c/riverside/applications/",
        "apply": "/c/riverside/apply/",
        "me": "/me/",
        "tokens": "/me/tokens/",
        "export": "/me/export.json",
        "delete": "/me/delete/",
    }


# Until admitted, an applicant sees only public pages: 403 on every page about the members.
#            anonymous, applicant, observer, member, coordinator, outsider   (302 → somewhere else)
PAGE_MATRIX = {
    "members": (302, 403, 200, 200, 200, 403),
    "profile": (302, 403, 200, 200, 200, 403),
    "edit": (302, 403, 200, 200, 200, 403),
    "role": (302, 403, 403, 403, 200, 403),
    "applications": (302, 403, 403, 403, 200, 403),
    "apply": (302, 200, 302, 302, 302, 200),
    "me": (302, 200, 200, 200, 200, 200),
    "tokens": (302, 200, 200, 200, 200, 200),
    "export": (302, 200, 200, 200, 200, 200),
    "delete": (302, 200, 200, 200, 200, 200),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", sorted(PAGE_MATRIX))
def test_page_matrix(client_for: Any, people: dict[str, Any], page: str, role: str) -> None:
    response = client_for(role).get(pages(people)[page])
    assert response.status_code == PAGE_MATRIX[page][ROLES.index(role)]
    if role == "anonymous":
        assert "/accounts/" in response["Location"]


def test_a_newcomer_is_sent_to_sign_up_and_back_to_apply(client: Any, community: Community) -> None:
    response = client.get("/c/riverside/apply/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/signup/?next=/c/riverside/apply/")


def test_a_signed_in_person_applies_with_the_communitys_questions(client: Any, community: Community) -> None:
    user = make_user()
    client.force_login(user)
    page = client.get("/c/riverside/apply/").content.decode()
    assert "Why do you want to join?" in page
    bad = client.post("/c/riverside/apply/", {"display_name": "Rosa", "answer_0": ""})
    assert bad.status_code == 400
    assert not Application.objects.filter(user=user).exists()
    response = client.post(
        "/c/riverside/apply/", {"display_name": "Rosa", "answer_0": "I run the pantry."}, follow=True
    )
    assert "Your application is being reviewed" in response.content.decode()
    assert Application.objects.get(user=user).answers == ["I run the pantry."]
    about = client.get("/c/riverside/about/").content.decode()
    assert "Your application is being reviewed" in about


def test_the_applicant_withdraws_from_the_page(client_for: Any, people: dict[str, Any]) -> None:
    response = client_for("applicant").post("/c/riverside/apply/withdraw/")
    assert response.status_code == 302
    assert Application.objects.get(user=people["applicant"]).status == "withdrawn"


def test_a_coordinator_admits_from_the_applications_page(client_for: Any, people: dict[str, Any]) -> None:
    client = client_for("coordinator")
    application = Application.objects.get(user=people["applicant"])
    page = client.get("/c/riverside/applications/").content.decode()
    assert application.display_name in page and "I live here." in page
    response = client.post(f"/c/riverside/applications/{application.pk}/admit/")
    assert response.status_code == 302
    assert Membership.objects.filter(user=people["applicant"], role="member").exists()


def test_an_htmx_decline_returns_the_changed_card(client_for: Any, people: dict[str, Any]) -> None:
    application = Application.objects.get(user=people["applicant"])
    response = client_for("coordinator").post(
        f"/c/riverside/applications/{application.pk}/decline/",
        {f"a{application.pk}-reason": "We could not reach you."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<html" not in response.content.decode() and "was declined" in response.content.decode()
    application.refresh_from_db()
    assert (application.status, application.decision_reason) == ("declined", "We could not reach you.")


def test_members_give_trust_from_the_page_in_a_trust_community(
    client_for: Any, people: dict[str, Any], community: Community
) -> None:
    Community.objects.filter(pk=community.pk).update(admission="trust", trust_threshold=1)
    application = Application.objects.get(user=people["applicant"])
    client = client_for("member")
    assert "Give trust" in client.get("/c/riverside/applications/").content.decode()
    response = client.post(f"/c/riverside/applications/{application.pk}/trust/", follow=True)
    assert "is now a member" in response.content.decode()
    assert Membership.objects.filter(user=people["applicant"]).exists()


def test_the_member_list_filters_and_hides_contact(client_for: Any, people: dict[str, Any]) -> None:
    Membership.objects.filter(user=people["observer"]).update(skills=["Plumbing"], contact="olu@example.org")
    client = client_for("member")
    page = client.get("/c/riverside/members/?skill=plumb").content.decode()
    assert "Olu" in page and "Mara" not in page.split("<tbody>")[1]
    profile = client.get(
        f"/c/riverside/members/{Membership.objects.get(user=people['observer']).pk}/"
    ).content.decode()
    assert "olu@example.org" not in profile and "Not shown to you." in profile


def test_i_edit_my_profile_and_an_address_is_refused(client_for: Any, people: dict[str, Any]) -> None:
    client = client_for("member")
    form = {
        "display_name": "Mara",
        "languages": "es, en",
        "neighbourhood": "12 Elm Street",
        "skills": "",
        "contact": "",
        "contact_visibility": "nobody",
    }
    bad = client.post("/c/riverside/profile/", form)
    assert bad.status_code == 400 and "street address" in bad.content.decode()
    assert mara(people).neighbourhood == ""
    form["neighbourhood"] = "Riverside"
    assert client.post("/c/riverside/profile/", form).status_code == 302
    assert (mara(people).neighbourhood, mara(people).languages) == ("Riverside", ["es", "en"])


def test_a_coordinator_changes_a_role_with_a_reason_on_the_page(
    client_for: Any, people: dict[str, Any]
) -> None:
    client = client_for("coordinator")
    url = f"/c/riverside/members/{mara(people).pk}/role/"
    assert client.post(url, {"role": "observer", "reason": ""}).status_code == 400
    assert client.post(url, {"role": "observer", "reason": "Asked to step back"}).status_code == 302
    assert mara(people).role == "observer"


def test_the_last_coordinator_is_told_on_the_form(client_for: Any, people: dict[str, Any]) -> None:
    cato = Membership.objects.get(user=people["coordinator"])
    response = client_for("coordinator").post(
        f"/c/riverside/members/{cato.pk}/role/", {"role": "member", "reason": "Tired"}
    )
    assert response.status_code == 400
    assert "at least one coordinator" in response.content.decode()


def test_a_coordinator_without_totp_is_sent_to_set_it_up(
    client_for: Any, people: dict[str, Any], settings: Any
) -> None:
    settings.DP_REQUIRE_COORDINATOR_MFA = True
    client = client_for("coordinator")
    response = client.get("/c/riverside/applications/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/2fa/totp/activate/")
    dashboard = client.get("/c/riverside/").content.decode()
    assert "Set up two-factor authentication" in dashboard
    Authenticator.objects.create(
        user=people["coordinator"], type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    assert client.get("/c/riverside/applications/").status_code == 200


def test_the_dashboard_shows_coordinators_the_pending_applications(client_for: Any) -> None:
    page = client_for("coordinator").get("/c/riverside/").content.decode()
    assert "1 application is waiting for a decision." in page
    assert "waiting for a decision" not in client_for("member").get("/c/riverside/").content.decode()


def test_a_new_token_is_shown_once_and_revoked_from_the_page(client_for: Any, people: dict[str, Any]) -> None:
    client = client_for("member")
    created = client.post("/me/tokens/", {"name": "backup"})
    raw = created.context["raw"]
    assert raw.startswith("dp_") and raw in created.content.decode()
    assert created["Cache-Control"].startswith("max-age=0")
    assert raw not in client.get("/me/tokens/").content.decode()
    token = AccessToken.objects.get(user=people["member"])
    assert client.post(f"/me/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_my_data_downloads_as_json(client_for: Any, people: dict[str, Any]) -> None:
    response = client_for("member").get("/me/export.json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["account"]["email"] == people["member"].email


def test_i_delete_my_account_from_the_page(client_for: Any, people: dict[str, Any]) -> None:
    client = client_for("member")
    wrong = client.post("/me/delete/", {"confirm_email": "nope@example.org"})
    assert wrong.status_code == 400
    assert User.objects.filter(pk=people["member"].pk).exists()
    response = client.post("/me/delete/", {"confirm_email": people["member"].email}, follow=True)
    assert "Your account has been deleted." in response.content.decode()
    assert not User.objects.filter(pk=people["member"].pk).exists()
    assert not response.context["user"].is_authenticated


def test_filtering_with_htmx_returns_only_the_results(client_for: Any, people: dict[str, Any]) -> None:
    Membership.objects.filter(user=people["observer"]).update(neighbourhood="Old Town")
    client = client_for("member")
    response = client.get("/c/riverside/members/?neighbourhood=old", headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body and "Olu" in body and "Mara" not in body


def test_a_refused_decision_comes_back_to_its_card_or_page_with_the_sentence(
    client_for: Any, people: dict[str, Any]
) -> None:
    application = Application.objects.get(user=people["applicant"])
    client = client_for("coordinator")
    url = f"/c/riverside/applications/{application.pk}/decline/"
    piece = client.post(url, {f"a{application.pk}-reason": ""}, headers={"HX-Request": "true"})
    assert piece.status_code == 200 and 'role="alert"' in piece.content.decode()
    page = client.post(url, {f"a{application.pk}-reason": ""}, follow=True)
    assert page.redirect_chain[-1][0] == "/c/riverside/applications/"
    assert "The reason is needed." in page.content.decode()
    application.refresh_from_db()
    assert application.status == "pending"
