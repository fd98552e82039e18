"""From a harvest logged on a phone to a food request marked delivered (issue 17), at 360 px.

Gil picks kale and logs it with one tap on his plot's page; Fen, of the food working group,
computes the week on "Food: plan to plate", reads why the urgent request comes first, and gives the
week out; Rae, who asked for food, sees her request fulfilled. Every page fits the screen and axe
finds nothing serious on it.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from tests.browser.conftest import assert_fits
from tests.browser.test_ledger import sign_in

from dualpower.aid.models import AidRequest
from dualpower.food.tests import factories_growing as growing
from dualpower.food.tests import factories_plate as plate
from dualpower.members.tests.factories import make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(page: Any, assert_accessible: Any, name: str) -> None:
    assert_fits(page, name)
    assert_accessible(page, name)


def test_a_harvest_reaches_a_food_request_on_a_phone(
    live_server: Any, phone: Any, screenshot: Any, assert_accessible: Any
) -> None:
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    gil = make_membership(community, name="Gil", user=make_user("gil@example.org"))
    fen = plate.in_food_group(
        community, make_membership(community, name="Fen", user=make_user("fen@example.org"))
    )
    rae = make_membership(community, name="Rae", user=make_user("rae@example.org"))
    kale = growing.make_crop(community, "Kale")
    plot = growing.make_plot(growing.make_site(community, "Freedom Farm"), name="Bed 1", steward=gil)
    growing.make_planting(plot, kale)
    request = plate.food_request(community, quantity=2, urgency=3, requester=rae)

    gil_phone = phone()
    sign_in(gil_phone, base, "gil@example.org")
    gil_phone.goto(f"{base}/c/riverside/food/gardens/plots/{plot.pk}/")
    gil_phone.get_by_label("Kale picked (kilograms)").fill("3")
    gil_phone.get_by_role("button", name="Log harvest").click()
    gil_phone.wait_for_load_state()
    _fits(gil_phone, assert_accessible, "food-plate-harvest")

    fen_phone = phone()
    sign_in(fen_phone, base, "fen@example.org")
    fen_phone.goto(f"{base}/c/riverside/food/plate/")
    _fits(fen_phone, assert_accessible, "food-plate-home")
    fen_phone.get_by_role("button", name="Compute the allocation").click()
    fen_phone.wait_for_load_state()
    page = fen_phone.locator("main").inner_text()
    assert request.code in page and "Step 1 of 5 (Urgent food requests)" in page
    _fits(fen_phone, assert_accessible, "food-plate-allocation")
    screenshot(fen_phone, "food-plate-01-allocation")
    fen_phone.get_by_text("Give it out…").click()
    fen_phone.get_by_role("button", name="Yes, give it out").click()
    fen_phone.wait_for_load_state()
    assert "The harvest was given out" in fen_phone.locator("main").inner_text()
    _fits(fen_phone, assert_accessible, "food-plate-written")

    fresh = AidRequest.objects.get(pk=request.pk)
    assert (fresh.quantity_delivered, fresh.status) == (2, AidRequest.Status.FULFILLED)
    rae_phone = phone()
    sign_in(rae_phone, base, "rae@example.org")
    rae_phone.goto(base + reverse("aid:request_detail", args=["riverside", request.code]))
    shown = rae_phone.locator("main").inner_text()
    assert "Fulfilled" in shown
    _fits(rae_phone, assert_accessible, "food-plate-request-fulfilled")
    screenshot(rae_phone, "food-plate-02-request-fulfilled")
    assert fen.pk != gil.pk
