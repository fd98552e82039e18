"""Access tokens have a scope, cannot manage tokens or the account, and die with the password."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.password_reset import reset_password
from django.urls import reverse

from dualpower.members import services
from dualpower.members.models import AccessToken, User
from dualpower.members.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db
API = "/api/v1"


def call(client: Any, method: str, url: str, raw: str, body: Any = None) -> Any:
    kwargs: dict[str, Any] = {"headers": {"Authorization": f"Bearer {raw}"}}
    if body is not None:
        kwargs.update(data=json.dumps(body), content_type="application/json")
    return getattr(client, method)(API + url, **kwargs)


def token(user: User, scope: str = "read") -> tuple[AccessToken, str]:
    return services.token_create(user=user, name=f"{scope} script", scope=scope)


def test_a_new_token_only_reads_unless_asked(people: dict[str, Any]) -> None:
    created, _raw = services.token_create(user=people["member"], name="default")
    assert created.scope == AccessToken.Scope.READ


def test_a_read_token_reads_and_cannot_write(client: Any, people: dict[str, Any]) -> None:
    _token, raw = token(people["member"], "read")
    assert call(client, "get", "/me", raw).status_code == 200
    assert call(client, "get", "/communities/riverside/members", raw).status_code == 200
    response = call(client, "patch", "/communities/riverside/members/me", raw, {"neighbourhood": "Docks"})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert "only read" in response.json()["detail"]
    assert people["member"].memberships.get().neighbourhood != "Docks"


def test_a_write_token_writes(client: Any, people: dict[str, Any]) -> None:
    _token, raw = token(people["member"], "write")
    response = call(client, "patch", "/communities/riverside/members/me", raw, {"neighbourhood": "Docks"})
    assert response.status_code == 200, response.content
    assert people["member"].memberships.get().neighbourhood == "Docks"


@pytest.mark.parametrize("scope", ["read", "write"])
def test_no_token_manages_tokens_or_the_account(client: Any, people: dict[str, Any], scope: str) -> None:
    user = people["member"]
    mine, raw = token(user, scope)
    other, _ = token(user, "read")
    attempts = [
        ("get", "/me/tokens", None),
        ("post", "/me/tokens", {"name": "minted", "scope": "write"}),
        ("delete", f"/me/tokens/{other.pk}", None),
        ("delete", "/me", {"confirm_email": user.email}),
    ]
    for method, url, body in attempts:
        response = call(client, method, url, raw, body)
        assert response.status_code == 403, (method, url, response.content)
        if scope == "write":  # a read token is refused earlier, for writing at all
            assert "signed-in session" in response.json()["detail"]
    assert AccessToken.objects.filter(user=user).count() == 2
    assert AccessToken.objects.get(pk=other.pk).revoked_at is None
    assert User.objects.filter(pk=user.pk).exists()
    assert AccessToken.objects.get(pk=mine.pk).revoked_at is None


def test_a_session_still_manages_tokens(client_for: Any) -> None:
    me = client_for("member")
    response = me.post(
        API + "/me/tokens",
        data=json.dumps({"name": "cron", "scope": "write"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["scope"] == "write"
    assert AccessToken.objects.get(pk=response.json()["id"]).scope == "write"
    listed = me.get(API + "/me/tokens").json()["items"]
    assert listed[0]["scope"] == "write"


def test_an_unknown_scope_is_refused(client_for: Any) -> None:
    response = client_for("member").post(
        API + "/me/tokens", data=json.dumps({"name": "x", "scope": "admin"}), content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["field"] == "scope"


def test_the_page_creates_a_token_with_the_chosen_scope(client_for: Any, people: dict[str, Any]) -> None:
    page = client_for("member").post(reverse("me:tokens"), {"name": "backup", "scope": "write"})
    assert page.status_code == 200
    assert AccessToken.objects.get(user=people["member"], name="backup").scope == "write"
    client_for("member").post(reverse("me:tokens"), {"name": "unsaid"})
    assert AccessToken.objects.get(user=people["member"], name="unsaid").scope == "read"


def test_changing_the_password_revokes_every_token(client: Any, people: dict[str, Any]) -> None:
    user = people["member"]
    user.set_password(PASSWORD)
    user.save()
    _read, raw_read = token(user, "read")
    _write, raw_write = token(user, "write")
    client.force_login(user)
    response = client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a new long passphrase 42",
            "password2": "a new long passphrase 42",
        },
    )
    assert response.status_code == 302, response.content
    assert not AccessToken.objects.filter(user=user, revoked_at__isnull=True).exists()
    client.logout()
    assert call(client, "get", "/me", raw_read).status_code == 401
    assert call(client, "get", "/me", raw_write).status_code == 401


def test_a_password_reset_revokes_every_token(people: dict[str, Any]) -> None:
    user = people["member"]
    token(user, "write")
    reset_password(user, "a reset long passphrase 42")
    assert not AccessToken.objects.filter(user=user, revoked_at__isnull=True).exists()


def test_setting_a_password_through_the_adapter_revokes_only_that_persons_tokens(
    people: dict[str, Any],
) -> None:
    token(people["member"], "write")
    token(people["coordinator"], "write")
    get_adapter().set_password(people["member"], "yet another passphrase 42")
    assert not AccessToken.objects.filter(user=people["member"], revoked_at__isnull=True).exists()
    assert AccessToken.objects.filter(user=people["coordinator"], revoked_at__isnull=True).count() == 1
