"""The aid pages for a phone (issue 13): every cell names its column, irreversible steps ask first
with a destructive button, a refused step keeps what was typed, and the words say what is true."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from dualpower.aid import services
from dualpower.aid.models import AidRequest
from dualpower.aid.tests.factories import AidWorld, make_request

pytestmark = pytest.mark.django_db


def client_as(world: AidWorld, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def url(world: AidWorld, rest: str = "") -> str:
    return f"/c/{world.community.slug}/aid/{rest}"


def cells_without_label(page: str) -> list[str]:
    """The <td>s with content and the row headers that say nothing of their column."""
    page = re.sub(r"<figure class='chart'>.*?</figure>", "", page, flags=re.S)  # web.charts' own tables
    bodies = re.findall(r"<tbody>(.*?)</tbody>", page, re.S)
    cells = [c for body in bodies for c in re.findall(r"<(?:td|th)\b[^>]*>", body)]
    # A cell holding only the row's button (class "aid-act") needs no label: the button says it.
    return [c for c in cells if "data-label" not in c and "colspan" not in c and "aid-act" not in c]


def test_every_table_cell_of_the_aid_pages_names_its_column(world: AidWorld) -> None:
    request = make_request(world, quantity=1)
    services.match_accept(request=make_request(world, quantity=1), volunteer=world.volunteer)
    dispatcher = client_as(world, "dispatcher")
    for rest in (
        "",
        "offers/",
        "dispatch/",
        f"dispatch/requests/{request.code}/",
        "dispatch/dashboard/",
        "dispatch/assign/",
    ):
        page = dispatcher.get(url(world, rest)).content.decode()
        missing = cells_without_label(page)
        # The assign page's first cell is the label of its checkbox: the row's own title.
        missing = [c for c in missing if not (rest == "dispatch/assign/" and c == '<th scope="row">')]
        assert missing == [], f"{rest}: {missing[:3]}"


def test_a_fully_committed_request_says_so_instead_of_no_volunteer(world: AidWorld) -> None:
    request = make_request(world, quantity=1)
    services.match_accept(request=request, volunteer=world.volunteer, offer=world.food_offer)
    page = (
        client_as(world, "dispatcher").get(url(world, f"dispatch/requests/{request.code}/")).content.decode()
    )
    assert "Fully committed: every part of this request has a volunteer." in page
    assert "No volunteer fits right now" not in page


def test_closing_steps_ask_first_with_a_destructive_button(world: AidWorld) -> None:
    request = make_request(world)
    page = (
        client_as(world, "dispatcher").get(url(world, f"dispatch/requests/{request.code}/")).content.decode()
    )
    assert page.count('<details class="confirm aid-confirm"') == 3
    for answer in ("Yes, close as fulfilled", "Yes, refer and close", "Yes, cancel the request"):
        assert re.search(rf'<button type="submit" class="danger">{answer}</button>', page)
    mine = client_as(world, "member").get(url(world, f"requests/{request.code}/")).content.decode()
    assert '<details class="confirm aid-confirm">' in mine and "Yes, cancel the request" in mine


def test_a_refused_close_keeps_what_was_typed_and_the_step_open(world: AidWorld) -> None:
    request = make_request(world)
    client = client_as(world, "dispatcher")
    long_text = "x" * 301
    response = client.post(
        url(world, f"dispatch/requests/{request.code}/"), {"action": "cancel", "reason": long_text}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert f'value="{long_text}"' in page
    assert '<details class="confirm aid-confirm" open>' in page and 'id="cancel-error"' in page
    request.refresh_from_db()
    assert request.status == AidRequest.Status.OPEN
    # Nothing delivered and no word on how it was met: the close is refused on the page.
    response = client.post(
        url(world, f"dispatch/requests/{request.code}/"), {"action": "close", "reason": ""}
    )
    assert response.status_code == 400 and "say how the need was met" in response.content.decode()
    # With a reason it closes.
    response = client.post(
        url(world, f"dispatch/requests/{request.code}/"), {"action": "close", "reason": "The food bank"}
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == AidRequest.Status.FULFILLED


def test_a_refused_request_form_keeps_everything_typed(world: AidWorld) -> None:
    form = {
        "category": "food",
        "description": "Nappies and formula",
        "urgency": "2",
        "quantity": "0",
        "unit": "packs",
        "neighbourhood": "Old Market",
        "privacy": "volunteers",
        "address": "Flat 1, 3 Calle Luna",
    }
    response = client_as(world, "member").post(url(world, "requests/new/"), form)
    page = response.content.decode()
    assert response.status_code == 400
    for typed in ("Nappies and formula", "packs", "Old Market", "Flat 1, 3 Calle Luna"):
        assert typed in page
    assert "error-summary" in page


def test_offers_show_their_status_in_words_and_withdrawing_asks_first(world: AidWorld) -> None:
    page = client_as(world, "matched_volunteer").get(url(world, "offers/")).content.decode()
    assert ">Active" in page
    assert "Yes, withdraw my offer" in page and 'class="danger"' in page


def test_the_dashboard_writes_hours_with_plurals(world: AidWorld) -> None:
    from dualpower.aid.views.dispatch import _hours_text

    assert _hours_text(1.0) == "1 hour"
    assert _hours_text(2.5) == "2.5 hours"
    assert _hours_text(None) == ""
