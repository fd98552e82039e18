"""The access tokens page: each kind of token is a radio inside its label, so the row is the target."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dualpower.members.models import AccessToken

pytestmark = pytest.mark.django_db


def test_each_scope_radio_sits_inside_its_choice_label(client_for: Any) -> None:
    page = client_for("member").get("/me/tokens/").content.decode()
    labels = re.findall(r'<label class="choice" for="(id_scope_\d)">\s*<input type="radio"[^>]*id="\1"', page)
    assert len(labels) == len(AccessToken.Scope.choices) >= 2


def test_a_name_left_out_keeps_the_chosen_scope_and_says_why(client_for: Any, people: dict[str, Any]) -> None:
    response = client_for("member").post("/me/tokens/", {"name": "", "scope": AccessToken.Scope.WRITE})
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert re.search(rf'value="{AccessToken.Scope.WRITE}"[^>]*checked', page)
    assert not AccessToken.objects.filter(user=people["member"]).exists()
