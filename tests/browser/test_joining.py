"""A newcomer signs up, applies, is admitted by a coordinator, joins a working group and sees it.

On the way: the application form that sent them to sign up is where confirming their e-mail leads
back to; while they wait, the community's home shows their application's status (not a refusal);
the coordinator's "Admit" asks first.

Real browser (Debian's chromium via Playwright), real server (pytest-django's live_server on a
real database). Screenshots land in test-results/.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlparse

import pytest
from django.core import mail

from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEWCOMER = "newcomer@example.org"
NEWCOMER_PASSWORD = "a long passphrase for tests"


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


def test_a_newcomer_is_admitted_and_joins_a_working_group(
    live_server: Any, new_page: Any, screenshot: Any, assert_accessible: Any
) -> None:
    base = live_server.url
    community = make_community(
        "Riverside Mutual Aid", slug="riverside", application_questions=["Why do you want to join?"]
    )
    make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )

    # 1. Open the application form, which asks to sign up first; sign up and confirm the email address.
    newcomer = new_page()
    newcomer.set_viewport_size({"width": 360, "height": 740})  # a small phone
    newcomer.goto(f"{base}/c/riverside/apply/")
    assert "/accounts/signup/" in newcomer.url
    assert_accessible(newcomer, "signup")
    newcomer.get_by_label("Email").fill(NEWCOMER)
    newcomer.get_by_label(re.compile(r"^Password:?$")).fill(NEWCOMER_PASSWORD)
    newcomer.get_by_label(re.compile(r"Password \(again\)", re.I)).fill(NEWCOMER_PASSWORD)
    screenshot(newcomer, "01-signup")
    newcomer.locator("main form").get_by_role("button", name=re.compile("Sign Up", re.I)).click()
    newcomer.wait_for_load_state()
    confirm = re.compile(r"https?://\S+/accounts/confirm-email/\S+")
    links = [link for msg in mail.outbox for link in confirm.findall(msg.body)]
    assert links, "no confirmation email was sent"
    # The link carries the way back to the application form, also into another browser.
    assert "/c/riverside/apply/" in unquote(unquote(links[-1]))
    newcomer.goto(links[-1])
    newcomer.get_by_role("button", name=re.compile("Confirm", re.I)).click()
    newcomer.wait_for_load_state()
    # Confirming leads back to the application form (through signing in, not up, when not signed in).
    assert "/c/riverside/apply/" in unquote(newcomer.url)
    assert "/accounts/signup/" not in newcomer.url

    # 2. Apply to the community, answering its own question.
    if "/accounts/login/" in newcomer.url:
        newcomer.get_by_label("Email").fill(NEWCOMER)
        newcomer.get_by_label(re.compile(r"^Password:?$")).fill(NEWCOMER_PASSWORD)
        newcomer.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
        newcomer.wait_for_load_state()
    assert urlparse(newcomer.url).path == "/c/riverside/apply/"
    screenshot(newcomer, "02-apply-page")
    assert_accessible(newcomer, "apply")
    newcomer.get_by_label(re.compile("Your name in this community")).fill("Nia")
    newcomer.get_by_label("Why do you want to join?").fill("I cook for my block and want to help the pantry.")
    screenshot(newcomer, "02-apply")
    newcomer.locator("main form").get_by_role("button", name=re.compile("apply|send", re.I)).first.click()
    newcomer.wait_for_load_state()
    # Until admitted, the applicant sees only public pages; the community's home shows their
    # application's status rather than a refusal.
    newcomer.goto(f"{base}/c/riverside/groups/")
    assert "Food" not in newcomer.locator("main").inner_text()
    response = newcomer.goto(f"{base}/c/riverside/")
    assert response is not None and response.status == 200
    assert newcomer.get_by_role("heading", name=re.compile("Your application is being reviewed")).is_visible()
    screenshot(newcomer, "02-application-status")

    # 3. A coordinator admits them.
    coordinator = new_page()
    sign_in(coordinator, base, "cato@example.org", PASSWORD)
    coordinator.goto(f"{base}/c/riverside/applications/")
    assert_accessible(coordinator, "applications")
    application = coordinator.locator("main").get_by_text("Nia").first
    assert application.is_visible()
    screenshot(coordinator, "03-applications")
    # Admitting asks first, saying what follows.
    coordinator.locator("main summary").filter(has_text=re.compile("Admit Nia", re.I)).first.click()
    assert coordinator.locator("main").get_by_text(re.compile("Nia becomes a member")).is_visible()
    screenshot(coordinator, "03-admit-asks-first")
    admit = coordinator.locator("main").get_by_role("button", name=re.compile("Yes, admit Nia", re.I)).first
    admit.click()
    # htmx swaps the application's card in place: wait until the decision has come back.
    admit.wait_for(state="detached")
    assert Membership.objects.filter(community=community, display_name="Nia", status="active").exists()

    # 4. The new member joins the food group and sees it on their dashboard.
    newcomer.goto(f"{base}/c/riverside/groups/")
    assert_accessible(newcomer, "groups")
    food = newcomer.locator("main li, main article, main section").filter(has_text="Food").first
    join = food.get_by_role("button", name=re.compile("^Join", re.I))
    join.click()
    join.wait_for(state="detached")
    newcomer.goto(f"{base}/c/riverside/")
    assert_accessible(newcomer, "dashboard")
    screenshot(newcomer, "04-dashboard")
    my_groups = newcomer.locator("section").filter(has=newcomer.get_by_role("heading", name="My groups"))
    assert "Food" in my_groups.inner_text()
