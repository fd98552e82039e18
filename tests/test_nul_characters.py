"""Text carrying the NUL character (U+0000) is refused at the door with a 400 and a sentence.

PostgreSQL cannot store it in text: before this, a NUL in a query string or a JSON body reached a
query and answered 500 there (found by tests/test_api_fuzz.py run on PostgreSQL). Run on both
databases.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory

from dualpower.members.models import AccessToken
from dualpower.web.middleware import _carries_nul

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]
SENTENCE = "Text may not contain the NUL character (U+0000)."


def test_a_json_body_with_nul_is_refused_and_nothing_is_written(client_for: Any) -> None:
    member = client_for("member")
    answer = member.post(
        "/api/v1/me/tokens", data=json.dumps({"name": "my\u0000script"}), content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json() == {"detail": SENTENCE, "code": "invalid"}
    assert not AccessToken.objects.exists()


def test_a_query_string_with_nul_is_refused_on_the_api_and_on_pages(client_for: Any) -> None:
    member = client_for("member")
    api = member.get("/api/v1/communities/riverside/members?role=%00")
    assert api.status_code == 400 and api.json()["code"] == "invalid"
    page = member.get("/c/riverside/members/?q=a%00b")
    assert page.status_code == 400 and SENTENCE in page.content.decode()


def test_a_form_with_nul_is_refused(client_for: Any) -> None:
    answer = client_for("member").post("/c/riverside/groups/", {"name": "Bikes\x00"})
    assert answer.status_code == 400 and SENTENCE in answer.content.decode()


def test_what_only_looks_like_nul_passes() -> None:
    factory = RequestFactory()
    # The text "\u0000" (a backslash, then u0000), escaped in JSON, is not the character.
    escaped = factory.post(
        "/api/v1/me/tokens", data=json.dumps({"name": "\\u0000"}), content_type="application/json"
    )
    assert not _carries_nul(escaped)
    # Uploaded files are bytes, not text: a photo may hold zero bytes.
    photo = SimpleUploadedFile("photo.jpg", b"\xff\xd8\x00\x00\xff\xd9", content_type="image/jpeg")
    assert not _carries_nul(factory.post("/c/riverside/budgets/1/photos/", {"photo": photo, "caption": "ok"}))
    assert _carries_nul(factory.post("/c/riverside/budgets/1/photos/", {"caption": "o\x00k"}))
