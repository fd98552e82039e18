"""A dispatcher takes a phone request, the engine suggests a volunteer, both sides confirm, the
volunteer sees the address only after confirmation, and marks the request fulfilled (issue 6).

Real browser (Debian's chromium via Playwright), real server. No JavaScript is needed: every step
is a form that posts.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from cryptography.fernet import Fernet

from dualpower.aid import services
from dualpower.aid.models import AidRequest
from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ADDRESS = "Flat 2, 7 Calle del Olivo"


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


def test_a_phone_request_is_matched_confirmed_and_fulfilled(
    live_server: Any, new_page: Any, screenshot: Any, assert_accessible: Any, settings: Any
) -> None:
    settings.DP_AID_KEY = Fernet.generate_key().decode()
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    coordinator = make_membership(community, role=Membership.Role.COORDINATOR, name="Cato")
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

    # 1. The dispatcher takes the call.
    dee = new_page()
    sign_in(dee, base, "dee@example.org")
    dee.goto(f"{base}/c/riverside/aid/dispatch/intake/")
    assert_accessible(dee, "aid-intake")
    dee.get_by_label(re.compile("Their name")).fill("Rosa")
    dee.get_by_label("How to reach them").select_option("phone")
    dee.get_by_label("Contact details").fill("+34 600 123 456")
    dee.get_by_label("Language to contact them in").fill("Spanish")
    dee.get_by_label("What kind of help").select_option("food")
    dee.get_by_label("What is needed").fill("Food for a family of four this week")
    dee.get_by_label("Neighbourhood or cross streets").fill("Riverside")
    dee.get_by_label("Exact address").fill(ADDRESS)
    dee.get_by_label(re.compile(r"^Languages")).fill("Spanish")
    screenshot(dee, "aid-01-intake")
    dee.get_by_role("button", name="Record the request").click()
    dee.wait_for_load_state()
    code = AidRequest.objects.get().code
    assert code in dee.content()

    # 2. The engine suggests Vic, with reasons; the dispatcher proposes Vic and confirms for Rosa.
    assert_accessible(dee, "aid-dispatch-request")
    suggestion = dee.get_by_role("row").filter(has_text="Vic")
    assert "same neighbourhood" in suggestion.inner_text()
    assert "speaks Spanish" in suggestion.inner_text()
    screenshot(dee, "aid-02-suggestions")
    dee.get_by_role("button", name="Propose Vic").click()
    dee.wait_for_load_state()
    dee.get_by_role("button", name="Confirm for the person helped").click()
    dee.wait_for_load_state()

    # 3. Vic sees the request without the address, confirms, then sees it.
    vic = new_page()
    sign_in(vic, base, "vic@example.org")
    vic.goto(f"{base}/c/riverside/aid/requests/{code}/")
    assert ADDRESS not in vic.content() and "Rosa" not in vic.content()
    screenshot(vic, "aid-03-before-confirming")
    vic.get_by_role("button", name="Confirm: I will help").click()
    vic.wait_for_load_state()
    assert ADDRESS in vic.content()
    assert_accessible(vic, "aid-request-confirmed")
    screenshot(vic, "aid-04-confirmed")

    # 4. Vic delivers and marks it fulfilled.
    vic.get_by_text("Mark fulfilled…").click()  # it asks first: this cannot be undone
    vic.get_by_role("button", name="Yes, mark fulfilled").click()
    vic.wait_for_load_state()
    request = AidRequest.objects.get()
    assert request.status == AidRequest.Status.FULFILLED
    assert ADDRESS not in vic.content()  # the match is over: the address closes again
    screenshot(vic, "aid-05-fulfilled")
