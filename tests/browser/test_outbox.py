"""On a 360 px phone, the coordinator goes from the dashboard to "Mail sent from this node" and
reads an email whose long link wraps instead of widening the page, and can be followed."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from tests.browser.conftest import PHONE_WIDTH, assert_fits

from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user
from dualpower.outbox.selectors import FILE_BACKEND

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LINK = "http://127.0.0.1:8000/accounts/confirm-email/" + "MTQ:1vQ" * 12 + "/"


def test_a_coordinator_reads_the_confirmation_email_on_a_phone(
    live_server: Any, browser: Any, settings: Any, tmp_path: Path, screenshot: Any, assert_accessible: Any
) -> None:
    settings.EMAIL_BACKEND = FILE_BACKEND
    settings.EMAIL_FILE_PATH = tmp_path / "mail"
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )
    mail.EmailMessage(
        "[dualpower] Please confirm your email address",
        f"Hello,\n\nTo confirm that lee.a.very.long.address.indeed@example.org is yours, open {LINK}\n",
        to=["lee.a.very.long.address.indeed@example.org"],
    ).send()

    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="en")
    context.set_default_timeout(15_000)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.get_by_label("Email").fill("cato@example.org")
        page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
        page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
        page.wait_for_load_state()
        page.goto(f"{live_server.url}/c/riverside/")
        page.get_by_role("link", name="Read the mail this node sent").click()
        page.wait_for_load_state()
        assert page.get_by_role("heading", name="Mail sent from this node").is_visible()
        assert page.get_by_role("heading", name="[dualpower] Please confirm your email address").is_visible()
        link = page.get_by_role("link", name=LINK)
        assert link.get_attribute("href") == LINK
        box = link.bounding_box()
        assert box is not None and box["height"] >= 24
        assert_fits(page)
        screenshot(page, "outbox-360")
        assert_accessible(page, "outbox")
    finally:
        context.close()
