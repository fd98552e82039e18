"""The guided set-up of a new community on a 360 px phone, then a newcomer applies through its
invitation link (issue 13).

The node's operator walks the five steps — name and place, working groups, how the general
assembly decides, money and time, invitations — going back once to check that what was typed is
kept, and meets an error that keeps the page. The community's dashboard then shows its groups, its
assembly's policy and its currencies; a newcomer opens the invitation link, signs up and applies
in one step, and the application is in the coordinator's queue. Every page fits the screen and axe
finds nothing serious on it. No JavaScript is needed: every step is a form that posts.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.conftest import assert_fits
from tests.browser.test_joining import sign_in

from dualpower.community.models import Community
from dualpower.members.invitation_models import InvitationUse
from dualpower.members.models import Application, Membership
from dualpower.members.tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEWCOMER_PASSWORD = "a long passphrase for tests"


def fits(page: Any, name: str, assert_accessible: Any, screenshot: Any) -> None:
    assert_fits(page, name)
    assert_accessible(page, name)
    screenshot(page, f"setup-{name}")


def next_step(page: Any, name: str = "Next") -> None:
    page.locator("main form").get_by_role("button", name=name, exact=True).click()
    page.wait_for_load_state()


def test_a_community_is_set_up_on_a_phone_and_a_newcomer_applies_through_its_link(
    live_server: Any, phone: Any, screenshot: Any, assert_accessible: Any
) -> None:
    base = live_server.url
    operator = make_user("operator@example.org")
    operator.is_staff = True
    operator.save(update_fields=["is_staff"])

    rosa = phone()
    sign_in(rosa, base, "operator@example.org", PASSWORD)

    # 1. Name and place (a mistake first: the name is left empty, everything else is kept).
    rosa.goto(f"{base}/setup/")
    assert "Step 1 of 5" in rosa.locator("main").inner_text()
    fits(rosa, "1-place", assert_accessible, screenshot)
    rosa.get_by_label("Where you are").fill("Riverside, Leeds")
    rosa.get_by_label("Your name in this community").fill("Rosa")
    rosa.get_by_label(re.compile("Questions for people who apply")).fill("Which street do you live on?")
    next_step(rosa)
    assert rosa.get_by_label("Where you are").input_value() == "Riverside, Leeds"
    assert "There is a problem" in rosa.locator("main").inner_text()
    fits(rosa, "1-place-error", assert_accessible, screenshot)
    rosa.get_by_label("The community's name").fill("Riverside Commons")
    next_step(rosa)

    # 2. Working groups from the templates, and one of their own.
    assert "Step 2 of 5" in rosa.locator("main").inner_text()
    rosa.get_by_label(re.compile("Community defence")).uncheck()
    rosa.get_by_label(re.compile("Other working groups")).fill("Childcare")
    fits(rosa, "2-groups", assert_accessible, screenshot)
    next_step(rosa)

    # 3. How the general assembly decides; Back keeps what step 2 said.
    assert "Step 3 of 5" in rosa.locator("main").inner_text()
    fits(rosa, "3-decisions", assert_accessible, screenshot)
    next_step(rosa, "Back")
    assert rosa.get_by_label(re.compile("Other working groups")).input_value() == "Childcare"
    assert not rosa.get_by_label(re.compile("Community defence")).is_checked()
    next_step(rosa)
    rosa.get_by_label(re.compile("Majority with a quorum")).check()
    next_step(rosa)

    # 4. Money and time, then the community is created.
    assert "Step 4 of 5" in rosa.locator("main").inner_text()
    rosa.get_by_label("Credit each new member gets", exact=True).fill("50")
    fits(rosa, "4-money", assert_accessible, screenshot)
    next_step(rosa, "Create the community")
    community = Community.objects.get(name="Riverside Commons")

    # 5. An invitation link and its QR code.
    assert "Step 5 of 5" in rosa.locator("main").inner_text()
    fits(rosa, "5-invitations", assert_accessible, screenshot)
    rosa.get_by_label(re.compile("What it is for")).fill("Street party")
    next_step(rosa, "Make an invitation link")
    link = rosa.locator(".invite-link input").input_value()
    assert "/join/" in link
    assert rosa.locator(".invite-qr svg").count() == 1
    fits(rosa, "5-invitation-link", assert_accessible, screenshot)

    # The dashboard shows the groups, how the assembly decides and the currencies.
    rosa.get_by_role("link", name=re.compile("Finish")).click()
    rosa.wait_for_load_state()
    set_up = (
        rosa.locator("section, article, .panel, div")
        .filter(has=rosa.get_by_role("heading", name="How this community is set up"))
        .last.inner_text()
    )
    for expected in ("Food", "Housing", "Childcare", "Majority with a quorum", "Roots", "Time bank"):
        assert expected in set_up, f"{expected} missing from the dashboard's set-up panel"
    assert "Community defence" not in set_up
    fits(rosa, "6-dashboard", assert_accessible, screenshot)

    # A newcomer opens the link, signs up and applies in one step.
    nia = phone()
    nia.goto(link)
    fits(nia, "7-invitation-open", assert_accessible, screenshot)
    nia.get_by_label("Email").fill("nia@example.org")
    nia.get_by_label("Password", exact=True).fill(NEWCOMER_PASSWORD)
    nia.get_by_label("Password (again)").fill(NEWCOMER_PASSWORD)
    nia.get_by_label("Your name in this community").fill("Nia")
    nia.get_by_label("Which street do you live on?").fill("Mill Lane")
    next_step(nia, "Sign up and apply")
    fits(nia, "8-applied", assert_accessible, screenshot)
    application = Application.objects.get(community=community, display_name="Nia")
    assert application.status == Application.Status.PENDING
    assert InvitationUse.objects.filter(application=application, invitation__note="Street party").exists()

    # The application is in the coordinator's queue.
    rosa.goto(f"{base}/c/{community.slug}/applications/")
    assert "Nia" in rosa.locator("main").inner_text()
    fits(rosa, "9-queue", assert_accessible, screenshot)
    assert Membership.objects.get(community=community, user=operator).role == Membership.Role.COORDINATOR
