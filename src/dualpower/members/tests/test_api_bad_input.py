"""Bad input to the members API found by fuzzing: each is a 4xx with {detail, code}, nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dualpower.community.models import AuditEntry
from dualpower.members.models import Membership

pytestmark = pytest.mark.django_db
API = "/api/v1"


@pytest.mark.parametrize("url", ["/communities/riverside/applications"])
def test_an_offset_beyond_any_list_is_refused_naming_the_field(client_for: Any, url: str) -> None:
    # Past 2**63 it reached SQLite as an overflowing number: a 500.
    response = client_for("coordinator").get(f"{API}{url}?offset={2**64}")
    assert response.status_code == 422
    assert response.json()["field"] == "offset"
    assert response.json()["code"] == "validation_error"


@pytest.mark.parametrize("position", ["after", "before"])
def test_a_member_list_position_that_is_no_id_is_refused_naming_it(client_for: Any, position: str) -> None:
    response = client_for("coordinator").get(f"{API}/communities/riverside/members?{position}={2**64}")
    assert response.status_code == 400
    assert response.json()["field"] == position


@pytest.mark.parametrize("body", ['"Mara"', "[]", "0", "null"])
def test_a_profile_patch_that_is_not_an_object_changes_nothing(
    client_for: Any, people: dict[str, Any], community: Any, body: str
) -> None:
    entries = AuditEntry.objects.count()
    response = client_for("member").patch(
        f"{API}/communities/riverside/members/me", data=body, content_type="application/json"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"detail", "code"}
    assert AuditEntry.objects.count() == entries
    assert Membership.objects.get(user=people["member"], community=community).display_name == "Mara"


def test_an_anonymous_write_is_told_to_sign_in_not_a_csrf_failure(db: None) -> None:
    # Without a session cookie there is no session to forge: it was a 403 "CSRF check Failed".
    response = Client(enforce_csrf_checks=True).post(
        f"{API}/me/tokens", data='{"name": "script"}', content_type="application/json"
    )
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"


def test_a_signed_in_browser_without_the_csrf_token_is_still_refused(people: dict[str, Any]) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["member"])
    response = browser.post(f"{API}/me/tokens", data='{"name": "script"}', content_type="application/json")
    assert response.status_code == 403
    assert set(response.json()) >= {"detail", "code"}
