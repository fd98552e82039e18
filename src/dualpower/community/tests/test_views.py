"""The community pages: front page, about, dashboard, audit log and the community's settings."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.community.models import AuditEntry
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db
READ = {
    "anonymous": 302,
    "applicant": 403,
    "outsider": 403,
    "observer": 200,
    "member": 200,
    "coordinator": 200,
}
PAGES = [
    # An applicant opening the community's home is sent to their application's status.
    ("/c/riverside/", {**READ, "applicant": 302}),
    ("/c/riverside/audit/", READ),
    ("/c/riverside/about/", dict.fromkeys(ROLES, 200)),
    ("/c/riverside/settings/", {**READ, "observer": 403, "member": 403}),
]


@pytest.mark.parametrize(("url", "expected"), PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_each_role(client_for: Any, community: Any, role: str, url: str, expected: dict) -> None:
    response = client_for(role).get(url)
    assert response.status_code == expected[role]


def test_an_applicant_opening_the_home_sees_their_application(client_for: Any, community: Any) -> None:
    response = client_for("applicant").get("/c/riverside/", follow=True)
    assert response.redirect_chain == [("/c/riverside/apply/", 302)]
    assert "Your application is being reviewed" in response.content.decode()


def test_an_unknown_community_page_is_not_found(client: Any, db: None) -> None:
    assert client.get("/c/nowhere/about/").status_code == 404


def test_the_front_page_lists_public_communities(client: Any, community: Any, other_community: Any) -> None:
    html = client.get("/").content.decode()
    assert "Riverside Mutual Aid" in html
    assert "Hilltop Tenants" in html


def test_a_member_of_one_community_goes_straight_to_its_dashboard(client_for: Any, community: Any) -> None:
    response = client_for("member").get("/")
    assert response.status_code == 302
    assert response.url == "/c/riverside/"


def test_the_dashboard_shows_the_community_at_a_glance(client_for: Any, community: Any) -> None:
    html = client_for("observer").get("/c/riverside/").content.decode()
    assert "Your community" in html
    assert "3 members" in html
    assert "5 working groups" in html


def test_the_audit_log_page_shows_what_happened(client_for: Any, community: Any) -> None:
    html = client_for("member").get("/c/riverside/audit/").content.decode()
    # As sentences ("The working group “Food” was started"), never as codes.
    assert "The working group “" in html and "was started" in html
    assert "group.create" not in html
    assert "Nobody can edit this record." in html


@pytest.mark.parametrize("url", ["/c/riverside/about/", "/c/riverside/"])
def test_only_coordinators_see_the_settings_link(client_for: Any, community: Any, url: str) -> None:
    assert "/c/riverside/settings/" in client_for("coordinator").get(url).content.decode()
    assert "/c/riverside/settings/" not in client_for("member").get(url).content.decode()


VALID = {
    "name": "Riverside Mutual Aid",
    "description": "We share.",
    "languages": "en, es",
    "admission": "trust",
    "trust_threshold": "4",
    "application_questions": "Why do you want to join?\nWhat can you offer?",
    "is_public": "on",
}


def test_a_coordinator_saves_the_settings(client_for: Any, community: Any) -> None:
    response = client_for("coordinator").post("/c/riverside/settings/", VALID)
    assert response.status_code == 302
    community.refresh_from_db()
    assert (community.admission, community.trust_threshold) == ("trust", 4)
    assert community.languages == ["en", "es"]
    assert community.application_questions == ["Why do you want to join?", "What can you offer?"]
    assert AuditEntry.objects.filter(action="community.update").count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"languages": "english"}, "is not a language code"),
        ({"trust_threshold": "0"}, "greater than or equal to 1"),
        ({"name": ""}, "required"),
        ({"admission": "lottery"}, "Select a valid choice"),
    ],
)
def test_bad_settings_are_shown_again_and_nothing_changes(
    client_for: Any, community: Any, change: dict, message: str
) -> None:
    response = client_for("coordinator").post("/c/riverside/settings/", {**VALID, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not AuditEntry.objects.filter(action="community.update").exists()


def test_a_member_cannot_post_settings(client_for: Any, community: Any) -> None:
    assert client_for("member").post("/c/riverside/settings/", VALID).status_code == 403
    community.refresh_from_db()
    assert community.admission == "coordinators"
