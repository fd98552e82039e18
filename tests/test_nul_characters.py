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
from dualpower.web.middleware import refused_at_the_door

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
    assert not refused_at_the_door(escaped)
    # Uploaded files are bytes, not text: a photo may hold zero bytes.
    photo = SimpleUploadedFile("photo.jpg", b"\xff\xd8\x00\x00\xff\xd9", content_type="image/jpeg")
    assert not refused_at_the_door(
        factory.post("/c/riverside/budgets/1/photos/", {"photo": photo, "caption": "ok"})
    )
    assert refused_at_the_door(factory.post("/c/riverside/budgets/1/photos/", {"caption": "o\x00k"}))


# Issue 14, "Input at the door": the rest of what no database can store.
SURROGATE = "Text may not contain a lone surrogate (U+D800 to U+DFFF)."


def test_an_api_body_not_labelled_json_is_refused_and_nothing_is_written(client_for: Any) -> None:
    member = client_for("member")
    answer = member.post("/api/v1/me/tokens", data='{"name": "my\\u0000script"}', content_type="text/plain")
    assert answer.status_code == 415
    assert "Content-Type: application/json" in answer.json()["detail"]
    assert not AccessToken.objects.exists()


def test_a_nul_in_a_body_of_any_content_type_is_refused(client_for: Any) -> None:
    answer = client_for("member").post(
        "/c/riverside/groups/", data="name=Bikes\x00", content_type="text/plain"
    )
    assert answer.status_code == 400 and SENTENCE in answer.content.decode()


def test_a_lone_surrogate_is_refused_and_nothing_is_written(client_for: Any) -> None:
    member = client_for("member")
    answer = member.post(
        "/api/v1/me/tokens", data='{"name": "half \\ud800 a character"}', content_type="application/json"
    )
    assert answer.status_code == 400
    assert answer.json() == {"detail": SURROGATE, "code": "invalid"}
    assert not AccessToken.objects.exists()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('{"name": "t", "points": 9223372036854775808}', "The number at “points” is too large"),
        ('{"name": "t", "limits": [1, -9223372036854775809]}', "The number at “limits/1” is too large"),
        ('{"name": "t", "points": NaN}', "Numbers must be finite: NaN is not accepted."),
        ('{"name": "t", "points": -Infinity}', "Numbers must be finite: -Infinity is not accepted."),
    ],
)
def test_numbers_no_column_can_hold_are_refused(client_for: Any, body: str, expected: str) -> None:
    answer = client_for("member").post("/api/v1/me/tokens", data=body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["detail"].startswith(expected)
    assert not AccessToken.objects.exists()


def test_the_widest_numbers_a_column_holds_pass_the_door() -> None:
    factory = RequestFactory()
    widest = json.dumps({"a": 2**63 - 1, "b": -(2**63), "c": 1.5e300, "d": True})
    assert not refused_at_the_door(factory.post("/api/v1/x", data=widest, content_type="application/json"))
