"""The inventory pages on a phone (issue 13): every cell names its column, and a stock keeper picks
the aid request a stock-out served from a list instead of typing its code."""

from __future__ import annotations

import re
from typing import Any

import pytest
from cryptography.fernet import Fernet

from dualpower.aid.tests.factories import AidRequestFactory
from dualpower.inventory import services
from dualpower.inventory.models import Item

pytestmark = pytest.mark.django_db
BASE = "/c/riverside/inventory"


def test_every_cell_names_its_column(client_as: Any, rice: Item) -> None:
    services.stock_out(item=rice, quantity=2, by=None, reason="Tuesday")
    for url in (f"{BASE}/", f"{BASE}/{rice.pk}/"):
        page = client_as("coordinator").get(url).content.decode()
        bodies = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)
        cells = [c for body in bodies for c in re.findall(r"<(?:td|th)\b[^>]*>", body)]
        assert cells and all("data-label" in c for c in cells if "colspan" not in c), url


def test_the_stock_out_form_offers_the_open_requests_to_pick(
    client_as: Any, community: Any, rice: Item, settings: Any
) -> None:
    settings.DP_AID_KEY = Fernet.generate_key().decode()
    request = AidRequestFactory.create(community=community, description="Two food boxes for the Ortiz family")
    page = client_as("coordinator").get(f"{BASE}/{rice.pk}/").content.decode()
    assert 'list="aid-requests-open"' in page
    assert f'<option value="{request.code}">{request.code} — Two food boxes' in page
    # Picking one records the stock-out against it.
    client_as("coordinator").post(
        f"{BASE}/{rice.pk}/", {"kind": "out", "quantity": "2", "reason": "", "aid_request": request.code}
    )
    assert rice.movements.filter(aid_request=request).exists()
