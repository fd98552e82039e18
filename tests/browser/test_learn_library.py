"""The library of things on a phone: a member places a hold on a drill another member has; the
other brings it back (noting its condition); the first is told it is ready and borrows it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from tests.browser.conftest import assert_fits

from dualpower.learn.models import Hold, Loan
from dualpower.learn.services import library
from dualpower.learn.tests.factories import make_thing
from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user
from dualpower.notifications.models import Notification

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/", wait_until="domcontentloaded")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()


def click(page: Any, name: str) -> None:
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("main").get_by_role("button", name=name).click()


def test_a_member_holds_another_returns_and_the_member_borrows(
    live_server: Any, phone: Any, screenshot: Any, assert_accessible: Any
) -> None:
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )
    mara = make_membership(community, name="Mara", user=make_user("mara@example.org"))
    bea = make_membership(community, name="Bea", user=make_user("bea@example.org"))
    drill = make_thing(community, title="Cordless drill", pickup="Old Market, the tool shed")
    library.loan_start(thing=drill, borrower=bea, by=bea)
    Client().get("/accounts/login/")  # load URLs and templates before the browser waits on them

    # 1. Mara finds the drill out on loan and places a hold.
    mara_page = phone()
    sign_in(mara_page, base, "mara@example.org")
    mara_page.goto(f"{base}/c/riverside/learn/library/", wait_until="domcontentloaded")
    assert_fits(mara_page)
    assert_accessible(mara_page, "learn-library")
    with mara_page.expect_navigation(wait_until="domcontentloaded"):
        mara_page.locator("main").get_by_role("link", name="Cordless drill").click()
    click(mara_page, "Place a hold")
    assert "You are in the queue" in mara_page.locator("main").inner_text()
    assert_fits(mara_page)
    screenshot(mara_page, "learn-01-held")
    assert Hold.objects.get(thing=drill).membership_id == mara.pk

    # 2. Bea brings it back, noting it is worn.
    bea_page = phone()
    sign_in(bea_page, base, "bea@example.org")
    bea_page.goto(f"{base}/c/riverside/learn/library/{drill.pk}/", wait_until="domcontentloaded")
    assert_accessible(bea_page, "learn-thing-borrowed")
    bea_page.locator("main").get_by_label("Condition on return").first.select_option("worn")
    click(bea_page, "I brought it back")
    assert "it is back" in bea_page.locator("main").inner_text()
    assert not Loan.objects.filter(thing=drill).exists()

    # 3. Mara is told, and borrows it.
    assert Notification.objects.filter(user=mara.user, kind="learn.hold_ready").exists()
    mara_page.goto(f"{base}/c/riverside/learn/library/{drill.pk}/", wait_until="domcontentloaded")
    assert "It is ready for you" in mara_page.locator("main").inner_text()
    screenshot(mara_page, "learn-02-ready")
    click(mara_page, "Borrow it")
    assert "It is yours until" in mara_page.locator("main").inner_text()
    assert_fits(mara_page)
    screenshot(mara_page, "learn-03-borrowed")
    loan = Loan.objects.get(thing=drill)
    assert loan.borrower_id == mara.pk and loan.condition_out == "worn"
