"""The list of requests shows no private details, so it leaves them sealed: a dispatcher, who may
read every request's details, opens the list without a single one being decrypted (issue 21:
the list unsealed each row's details, work for nothing and plaintext held for nothing)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dualpower.aid import crypto
from dualpower.aid.tests.factories import AidWorld, make_request

pytestmark = pytest.mark.django_db


def test_the_list_of_requests_decrypts_no_private_details(
    world: AidWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    for n in range(3):
        make_request(world, description=f"Groceries {n}")
    unsealed: list[Any] = []
    real = crypto.unseal

    def counting(sealed: Any) -> Any:
        unsealed.append(sealed)
        return real(sealed)

    monkeypatch.setattr(crypto, "unseal", counting)
    client = Client()
    client.force_login(world.users["dispatcher"])
    response = client.get(f"/c/{world.community.slug}/aid/")
    assert response.status_code == 200
    assert "Groceries 2" in response.content.decode()
    assert unsealed == []
    # The page of one request still shows them to the dispatcher: the details are there to unseal.
    code = response.context["content"]()["rows"][0]["code"]  # the page's content (a Later)
    assert client.get(f"/c/{world.community.slug}/aid/requests/{code}/").status_code == 200
    assert unsealed
