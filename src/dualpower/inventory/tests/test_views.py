"""The inventory pages: status codes per role, and recording stock without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.inventory.models import Item, Movement
from dualpower.inventory.tests.conftest import ROLES

pytestmark = pytest.mark.django_db
BASE = "/c/riverside/inventory"
READ = {
    "anonymous": 302,
    "applicant": 403,
    "outsider": 403,
    "observer": 200,
    "member": 200,
    "organiser": 200,
    "coordinator": 200,
}
KEEP = {**READ, "observer": 403, "member": 403}


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_each_role(client_as: Any, series: Any, rice: Item, role: str) -> None:
    client = client_as(role)
    for url, expected in [
        (f"{BASE}/", READ),
        (f"{BASE}/{rice.pk}/", READ),
        (f"{BASE}/{rice.pk}/edit/", KEEP),
    ]:
        assert client.get(url).status_code == expected[role], url


def test_a_low_item_shows_a_badge(client_as: Any, community: Any, rice: Item) -> None:
    from dualpower.inventory import services

    services.stock_out(item=rice, quantity=16, by=None)
    html = client_as("member").get(f"{BASE}/").content.decode()
    assert "1 item is low on stock" in html and ">low<" in html


def test_members_see_the_stock_but_not_the_forms(client_as: Any, rice: Item) -> None:
    html = client_as("member").get(f"{BASE}/{rice.pk}/").content.decode()
    assert "20 kg in stock" in html and "Record stock" not in html
    assert client_as("member").post(f"{BASE}/{rice.pk}/", {"kind": "out", "quantity": "1"}).status_code == 403


def test_recording_a_stock_out_from_the_page(client_as: Any, series: Any, rice: Item) -> None:
    response = client_as("organiser").post(
        f"{BASE}/{rice.pk}/", {"kind": "out", "quantity": "4", "reason": "Saturday"}
    )
    assert response.status_code == 302
    rice.refresh_from_db()
    assert rice.stock == 16


def test_too_much_out_is_explained_on_the_page(client_as: Any, rice: Item) -> None:
    response = client_as("coordinator").post(f"{BASE}/{rice.pk}/", {"kind": "out", "quantity": "50"})
    assert response.status_code == 400
    assert "Only 20 kg of Rice are in stock" in response.content.decode()
    assert Movement.objects.count() == 1


def test_adding_an_item_from_the_page(client_as: Any, rice: Item) -> None:
    response = client_as("coordinator").post(
        f"{BASE}/", {"name": "Soap", "unit": "bars", "low_threshold": "3"}
    )
    assert response.status_code == 302
    assert Item.objects.filter(name="Soap").exists()


def test_stock_keepers_see_low_items_on_their_dashboard(
    rf: Any, everyone: Any, community: Any, rice: Item
) -> None:
    from django.template.loader import render_to_string

    from dualpower.inventory import services
    from dualpower.inventory.widgets import low_stock_panel

    request = rf.get("/c/riverside/")
    request.user = everyone["coordinator"]
    assert low_stock_panel(request, community) is None  # nothing is low
    services.stock_out(item=rice, quantity=16, by=None)
    panel = low_stock_panel(request, community)
    assert panel is not None
    assert "Rice" in render_to_string(panel.template, {"panel": panel, "community": community})
    request.user = everyone["member"]
    assert low_stock_panel(request, community) is None
