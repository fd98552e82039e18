"""On a 360 px phone, the demo's coordinator opens the proposal that waits only for them, votes,
closes the vote (after the confirmation step), and sees the outcome at once with its action done:
the general assembly now discusses for three days. Real browser, real server, the real demo."""

from __future__ import annotations

import random
import re
from typing import Any

import pytest
from tests.browser.conftest import PHONE_WIDTH, assert_fits

from dualpower.assemblies.demo import DECIDE_NOW
from dualpower.assemblies.models import Policy, Proposal
from dualpower.demo import COORDINATOR_EMAIL, COORDINATOR_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_demo_coordinator_decides_a_proposal_and_its_action_takes_effect(
    live_server: Any, browser: Any, screenshot: Any, assert_accessible: Any
) -> None:
    from django.urls import reverse

    from dualpower.assemblies.demo import load_assemblies
    from dualpower.ops import demo_people

    reverse("home")  # load every app's URLs before the first page, so it is not timed out
    # The demo's people and its assemblies (the rest of the demo writes append-only registers,
    # which a live-server test cannot flush afterwards).
    load_assemblies(demo_people.build(rng=random.Random(7), say=lambda _line: None))
    proposal = Proposal.objects.get(title=DECIDE_NOW)
    assert Policy.objects.get(assembly=proposal.assembly).discussion_days == 7

    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="en")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill(COORDINATOR_EMAIL)
        page.get_by_label(re.compile(r"^Password:?$")).fill(COORDINATOR_PASSWORD)
        page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/c/demo/assemblies/")
        page.get_by_role("link", name="General assembly").first.click()
        page.get_by_role("link", name=DECIDE_NOW).first.click()
        page.wait_for_load_state()
        assert "1 member has not voted yet" in page.locator("main").inner_text()
        assert_fits(page)

        # The coordinator's vote is the last one: now the vote may be closed without a reason.
        page.get_by_label("Agree", exact=True).check()
        page.locator("main form").get_by_role("button", name="Vote").click()
        page.wait_for_load_state()
        assert "Everyone who can vote has voted" in page.locator("main").inner_text()

        # An irreversible step asks first, saying what will happen.
        opener = page.get_by_text("Close the vote now…")
        box = opener.bounding_box()
        assert box is not None and box["height"] >= 24 and box["width"] >= 24
        confirm = page.get_by_role("button", name="Yes, close the vote")
        assert not confirm.is_visible()
        opener.click()
        assert page.locator("details.confirm[open]").get_by_text("This cannot be undone.").is_visible()
        assert_fits(page)
        screenshot(page, "close-vote-01-confirm-360")
        assert_accessible(page, "close-vote-confirm")
        confirm.click()
        page.wait_for_load_state()

        main = page.locator("main").inner_text()
        assert "The vote is closed" in main
        assert "Passed by" in main and "Its actions were carried out." in main
        assert "Close the vote now" not in main
        assert_fits(page)
        screenshot(page, "close-vote-02-outcome-360")
        assert_accessible(page, "close-vote-outcome")

        # The action took effect: the policy page says three days of discussion.
        page.goto(f"{live_server.url}{proposal.assembly.get_absolute_url()}policy/")
        row = page.get_by_role("row", name=re.compile("days of discussion", re.I))
        assert re.search(r"\b3\b", row.inner_text())
        assert_fits(page)
    finally:
        context.close()
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.CLOSED
    assert Policy.objects.get(assembly=proposal.assembly).discussion_days == 3
