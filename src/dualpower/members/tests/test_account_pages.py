"""Signing up, in and out, and two-factor authentication: allauth's pages inside our own layout."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template

from dualpower.community.models import Community
from dualpower.members.models import User

pytestmark = pytest.mark.django_db
OUR_TEMPLATES = Path(__file__).resolve().parents[1] / "templates"


def test_allauth_pages_use_our_layout() -> None:
    # Our app comes before allauth in INSTALLED_APPS, so this override wins.
    template = get_template("allauth/layouts/base.html")
    assert isinstance(template, DjangoTemplate)
    origin = template.origin.name
    assert str(OUR_TEMPLATES) in origin


@pytest.mark.parametrize(
    "url",
    [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/accounts/confirm-email/",
    ],
)
def test_account_pages_have_our_header_landmarks_and_labels(client: Any, url: str) -> None:
    page = client.get(url).content.decode()
    assert 'class="site-header"' in page and '<main id="main"' in page and "skip-link" in page
    assert page.count("<title>") == 1
    for field_id in re.findall(r'<input[^>]+type="(?:email|password|text)"[^>]*id="([^"]+)"', page):
        assert f'for="{field_id}"' in page, f"{url}: {field_id} has no label"


def test_signed_in_account_pages_use_our_layout(client_for: Any) -> None:
    client = client_for("member")
    for url in (
        "/accounts/2fa/",
        "/accounts/reauthenticate/",
        "/accounts/password/change/",
        "/accounts/logout/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert 'class="site-header"' in response.content.decode(), url


def test_signing_up_sends_a_confirmation_email(client: Any, community: Community) -> None:
    response = client.post(
        "/accounts/signup/?next=/c/riverside/apply/",
        {
            "email": "Rosa@Example.org",
            "password1": "a long pass phrase 42",
            "password2": "a long pass phrase 42",
        },
    )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="rosa@example.org")
    assert user.email == "rosa@example.org"
    assert len(mail.outbox) == 1 and "rosa@example.org" in mail.outbox[0].to
    # Email verification is mandatory: the new account is not signed in before confirming.
    assert client.get("/me/").status_code == 302


def test_signing_up_in_spanish_remembers_the_language(client: Any) -> None:
    client.cookies["django_language"] = "es"
    password = "una frase larga 42"
    client.post(
        "/accounts/signup/", {"email": "ana@example.org", "password1": password, "password2": password}
    )
    assert User.objects.get(email="ana@example.org").preferred_language == "es"
