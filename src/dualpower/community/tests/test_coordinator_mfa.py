"""When the node requires it, a coordinator acts only with two-factor authentication set up."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator


@pytest.fixture
def mfa_required(settings: Any) -> None:
    settings.DP_REQUIRE_COORDINATOR_MFA = True


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("patch", "/api/v1/communities/riverside", {"description": "New words"}),
        ("post", "/api/v1/communities/riverside/groups", {"name": "Transport", "purpose": "Rides"}),
        ("delete", "/api/v1/communities/riverside/groups/food", None),
    ],
)
def test_a_coordinator_without_totp_is_told_to_set_it_up(
    mfa_required: None, client_for: Any, method: str, path: str, body: Any
) -> None:
    client = client_for("coordinator")
    response = getattr(client, method)(path, body, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "mfa_required"


def test_a_coordinator_with_totp_may_act(mfa_required: None, client_for: Any, people: dict[str, Any]) -> None:
    Authenticator.objects.create(
        user=people["coordinator"], type=Authenticator.Type.TOTP, data={"secret": "x"}
    )
    client = client_for("coordinator")
    response = client.post(
        "/api/v1/communities/riverside/groups",
        {"name": "Transport", "purpose": "Rides"},
        content_type="application/json",
    )
    assert response.status_code in (200, 201), response.content


def test_without_the_requirement_a_coordinator_acts_without_totp(client_for: Any) -> None:
    response = client_for("coordinator").patch(
        "/api/v1/communities/riverside", {"description": "New words"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
