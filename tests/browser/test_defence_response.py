"""From a report to an acknowledged response, on a 360 px phone (issue 19).

A member reports a raid in North in under a minute (two taps and a button); nobody is alerted yet;
the verifier on shift opens it and verifies; the responder on call in North (and only they) is
alerted, opens the alert and acknowledges; the verifier sees who is coming. Every page fits the
phone and passes axe."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import Fernet
from tests.browser.conftest import assert_fits
from tests.browser.test_aid import sign_in

from dualpower.defence.models.response import Incident, Response
from dualpower.defence.tests.factories_response import make_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_report_is_verified_and_acknowledged_on_a_phone(
    live_server: Any,
    phone: Any,
    screenshot: Any,
    assert_accessible: Any,
    settings: Any,
    community: Any,
    people: Any,
) -> None:
    settings.DP_AID_KEY = Fernet.generate_key().decode()
    base = live_server.url
    world = make_world(community, people)
    slug = community.slug

    def email(membership: Any) -> str:
        return str(membership.user.email)

    def look(page: Any, name: str) -> None:
        assert_fits(page, name)
        assert_accessible(page, name)
        screenshot(page, f"defence-phone-{name}")

    def press(page: Any, name: str) -> None:
        page.get_by_role("button", name=name).click()
        page.wait_for_load_state()

    # 1. Mara reports from her phone: what, where, send.
    mara = phone()
    sign_in(mara, base, email(world.member))
    mara.goto(f"{base}/c/{slug}/defence/")
    mara.get_by_role("link", name="Report what is happening").click()
    look(mara, "01-report")
    mara.get_by_label("Raid").check()
    mara.get_by_label("North").check()
    press(mara, "Send the report")
    incident = Incident.objects.get()
    assert incident.code in mara.content()
    assert not Response.objects.exists()  # nobody alerted before verification
    look(mara, "02-reported")

    # 2. Vera, the verifier on shift, verifies it.
    vera = phone()
    sign_in(vera, base, email(world.verifier))
    vera.goto(f"{base}/c/{slug}/defence/")
    vera.get_by_role("link", name=incident.code).click()
    vera.wait_for_load_state()
    look(vera, "03-to-verify")
    press(vera, "Verified: alert the responders of this area")
    assert {r.membership_id for r in Response.objects.all()} == {world.responder.pk, world.observer_lawyer.pk}

    # 3. Rafa, on call in North, opens the alert and acknowledges it.
    rafa = phone()
    sign_in(rafa, base, email(world.responder))
    rafa.goto(f"{base}/c/{slug}/defence/")
    rafa.get_by_role("link", name=f"Raid · North ({incident.code})").click()
    rafa.wait_for_load_state()
    look(rafa, "04-alert")
    press(rafa, "Acknowledged")
    assert Response.objects.get(membership=world.responder).state == "acknowledged"

    # 4. Vera sees who is coming.
    vera.reload()
    coming = vera.locator("main table").last.inner_text()
    assert world.responder.display_name in coming and "Acknowledged" in coming
    look(vera, "05-who-is-coming")
