"""A coordinator sets up a panel, members volunteer, the seed is announced, the panel is drawn,
and a volunteer sees whether they were selected; the delegates' pages pass axe-core too.

Real browser (Debian's chromium via Playwright), real server (live_server). Screenshots land in
test-results/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user
from dualpower.panels import services
from dualpower.panels.models import Panel, Volunteer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


def test_a_panel_is_set_up_volunteered_for_and_drawn(
    live_server: Any, new_page: Any, screenshot: Any, assert_accessible: Any
) -> None:
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )
    mara = make_membership(community, name="Mara", user=make_user("mara@example.org"))

    # 1. The coordinator sets up the panel with its quotas.
    cato = new_page()
    sign_in(cato, base, "cato@example.org")
    cato.goto(f"{base}/c/riverside/panels/new/")
    assert_accessible(cato, "panel form")
    cato.get_by_label("Title").fill("Park redesign panel")
    cato.get_by_label("Panel size").fill("2")
    cato.get_by_label("Features and quotas").fill("side: north 1-1, south 1-1")
    cato.get_by_role("button", name="Open for volunteers").click()
    cato.wait_for_load_state()
    panel = Panel.objects.get()

    # 2. Mara volunteers on the page; three neighbours volunteered already.
    for i, side in enumerate(("north", "south", "south")):
        person = make_membership(community, name=f"Neighbour {i}")
        services.volunteer_signup(panel=panel, membership=person, answers={"side": side})
    page = new_page()
    sign_in(page, base, "mara@example.org")
    page.goto(f"{base}/c/riverside/panels/{panel.pk}/")
    assert_accessible(page, "panel, open")
    page.get_by_label("side").select_option("north")
    page.get_by_role("button", name="Volunteer").click()
    page.wait_for_load_state()
    mine = Volunteer.objects.get(membership=mara)
    assert mine.public_id in page.content()

    # 3. The coordinator closes sign-up, announces the seed, draws.
    cato.goto(f"{base}/c/riverside/panels/{panel.pk}/")
    assert cato.get_by_role("button", name="Draw the panel").count() == 0  # not before the seed
    cato.get_by_text("Close sign-up…").click()  # irreversible: it asks first
    cato.get_by_label("Where the seed will come from").fill("The lottery of 5 December")
    cato.get_by_role("button", name="Yes, close sign-up and publish the lottery").click()
    cato.wait_for_load_state()
    assert_accessible(cato, "panel, closed")
    cato.get_by_text("Announce the seed…").click()
    cato.get_by_label("The seed").fill("2026-12-05 4 17 23 31 42")
    cato.get_by_role("button", name="Yes, announce this seed").click()
    cato.wait_for_load_state()
    cato.get_by_text("Draw the panel…").click()
    cato.get_by_role("button", name="Yes, draw the panel").click()
    cato.wait_for_load_state()
    screenshot(cato, "panels-01-drawn")
    panel.refresh_from_db()
    assert panel.state == Panel.State.DRAWN

    # 4. Mara sees the outcome and can check the draw.
    page.reload()
    mine.refresh_from_db()
    expected = "You were drawn for this panel." if mine.selected else "You were not drawn this time."
    assert expected in page.content()
    assert_accessible(page, "panel, drawn")
    page.get_by_role("link", name="How to check the draw yourself").click()
    page.wait_for_load_state()
    assert_accessible(page, "reproduce")
    page.goto(f"{base}/c/riverside/delegates/")
    assert_accessible(page, "delegates")
