"""A dispatch from request to fulfilled, on a 360 px phone (issue 13).

A member asks for help, a dispatcher proposes the volunteer the engine suggests, the member and the
volunteer confirm, and the volunteer marks it fulfilled: each page fits the screen (no sideways
scrolling), axe finds nothing serious on it, and the last page says the request was fulfilled.
Every step is a form that posts; no JavaScript is needed.
"""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from tests.browser.conftest import PHONE_WIDTH, assert_fits
from tests.browser.test_aid import sign_in

from dualpower.aid import services
from dualpower.aid.models import AidMatch, AidRequest
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTH = PHONE_WIDTH


def test_a_request_is_dispatched_and_fulfilled_on_a_phone(
    live_server: Any, phone: Any, screenshot: Any, assert_accessible: Any, settings: Any
) -> None:
    settings.DP_AID_KEY = Fernet.generate_key().decode()
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    coordinator = make_membership(community, role=Membership.Role.COORDINATOR, name="Cato")
    make_membership(community, name="Mara", user=make_user("mara@example.org"))
    dispatcher = make_membership(community, name="Dee", user=make_user("dee@example.org"))
    volunteer = make_membership(community, name="Vic", user=make_user("vic@example.org"))
    services.dispatcher_grant(community=community, membership=dispatcher, by=coordinator)
    services.offer_create(
        community=community,
        volunteer=volunteer,
        categories=["food"],
        description="Food deliveries by bike",
        neighbourhood="Riverside",
        languages=["Spanish"],
        capacity=3,
    )

    def look(page: Any, name: str) -> None:
        """The page fits the phone, passes axe, and is kept as a screenshot."""
        assert_fits(page, name)
        assert_accessible(page, name)
        screenshot(page, f"dispatch-phone-{name}")

    def submit(page: Any, name: str) -> None:
        page.get_by_role("button", name=name, exact=True).click()
        page.wait_for_load_state()

    # 1. Mara asks for help from her phone.
    mara = phone()
    sign_in(mara, base, "mara@example.org")
    mara.goto(f"{base}/c/riverside/aid/requests/new/")
    look(mara, "01-ask")
    mara.get_by_label("What kind of help").select_option("food")
    mara.get_by_label("What is needed").fill("Food for a family of four this week")
    mara.get_by_label("Neighbourhood or cross streets").fill("Riverside")
    mara.get_by_label("Exact address").fill("Flat 2, 7 Calle del Olivo")
    mara.get_by_label("Languages (comma-separated)").fill("Spanish")
    submit(mara, "Ask for help")
    code = AidRequest.objects.get().code
    assert code in mara.locator("h1").inner_text()
    look(mara, "02-asked")

    # 2. Dee finds it on the dispatch board and proposes the volunteer the engine suggests.
    dee = phone()
    sign_in(dee, base, "dee@example.org")
    dee.goto(f"{base}/c/riverside/aid/dispatch/")
    look(dee, "03-board")
    dee.get_by_role("link", name=code).click()
    dee.wait_for_load_state()
    look(dee, "04-suggestions")
    propose = dee.get_by_role("button", name="Propose Vic")
    propose.scroll_into_view_if_needed()
    box = propose.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= WIDTH and box["height"] >= 44
    propose.click()
    dee.wait_for_load_state()
    assert "Fully committed: every part of this request has a volunteer." in dee.content()
    look(dee, "05-proposed")

    # 3. Mara confirms for herself; Vic confirms he will help.
    mara.goto(f"{base}/c/riverside/aid/requests/{code}/")
    submit(mara, "Confirm for the person helped")
    assert "Requester side confirmed." in mara.content()
    look(mara, "06-requester-confirmed")
    vic = phone()
    sign_in(vic, base, "vic@example.org")
    vic.goto(f"{base}/c/riverside/aid/requests/{code}/")
    look(vic, "07-volunteer-sees")
    submit(vic, "Confirm: I will help")
    assert "Flat 2, 7 Calle del Olivo" in vic.content()  # the address opens once both confirmed
    look(vic, "08-confirmed")

    # 4. Vic delivers: marking it fulfilled asks first, then the request says it was fulfilled.
    vic.get_by_text("Mark fulfilled…").click()
    look(vic, "09-confirm-fulfilled")
    submit(vic, "Yes, mark fulfilled")
    facts = vic.locator("main dl").first.inner_text()
    assert "Fulfilled" in facts
    assert "Flat 2, 7 Calle del Olivo" not in vic.content()  # the match is over: the address closes
    look(vic, "10-fulfilled")
    request = AidRequest.objects.get()
    assert request.status == AidRequest.Status.FULFILLED and request.quantity_delivered == 1
    assert AidMatch.objects.get().status == AidMatch.Status.FULFILLED
