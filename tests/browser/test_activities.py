"""An organiser starts a weekly food distribution; a member takes a place, sees it on their
dashboard and gives it back; a place that needs a trust role says how to get it. No JavaScript
is needed for any of it; every page passes axe-core.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from dualpower.activities import services
from dualpower.activities.models import Series, SignUp
from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/", wait_until="domcontentloaded")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_shift_is_created_taken_and_given_back(
    live_server: Any, new_page: Any, screenshot: Any, assert_accessible: Any
) -> None:
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )
    make_membership(community, name="Mara", user=make_user("mara@example.org"))
    role = services.trust_role_create(community=community, name="Accompanier", threshold=2, by=None)

    # Load the URLs and templates in this process first: on a busy machine the first page otherwise
    # takes longer than the browser waits.
    Client().get("/accounts/login/")
    Client().get("/api/v1/docs")

    # 1. The coordinator starts a weekly activity with places for two roles.
    cato = new_page()
    sign_in(cato, base, "cato@example.org", PASSWORD)
    cato.goto(f"{base}/c/riverside/activities/series/new/", wait_until="domcontentloaded")
    assert_accessible(cato, "activities-new")
    cato.get_by_label("Title").fill("Saturday food distribution")
    cato.get_by_label("Place", exact=True).fill("Church hall")
    cato.get_by_label("Every week").check()
    cato.get_by_label("Saturday").check()
    cato.get_by_label("First date").fill((dt.date.today() + dt.timedelta(days=1)).isoformat())
    cato.get_by_label("Starts at").fill("10:00")
    cato.get_by_label("Role 1", exact=True).fill("Drivers")
    cato.get_by_label("Places for role 1").fill("2")
    cato.get_by_label("Role 2", exact=True).fill("Accompaniers")
    cato.get_by_label("Places for role 2").fill("1")
    cato.get_by_label("Trust role needed for role 2").select_option(label="Accompanier")
    with cato.expect_navigation(wait_until="domcontentloaded"):
        cato.get_by_role("button", name="Create").click()
    screenshot(cato, "activities-01-created")
    errors = cato.locator("main [role=alert]").all_inner_texts()
    assert errors == [], errors
    assert "was created" in cato.locator("main").inner_text()
    series = Series.objects.get(title="Saturday food distribution")
    assert series.activities.count() >= 4

    # 2. A member finds it and takes a place as a driver.
    mara = new_page()
    sign_in(mara, base, "mara@example.org", PASSWORD)
    mara.goto(f"{base}/c/riverside/activities/", wait_until="domcontentloaded")
    assert_accessible(mara, "activities-list")
    with mara.expect_navigation(wait_until="domcontentloaded"):
        mara.locator("main").get_by_role("link", name="Saturday food distribution").first.click()
    assert_accessible(mara, "activities-detail")
    assert (
        mara.locator("main").get_by_role("link", name=re.compile("How to become “Accompanier”")).is_visible()
    )
    with mara.expect_navigation(wait_until="domcontentloaded"):
        mara.get_by_role("button", name=re.compile("Take a place · Drivers")).click()
    assert "You have a place as “Drivers”" in mara.locator("main").inner_text()
    screenshot(mara, "activities-02-taken")
    assert SignUp.objects.count() == 1

    # 3. The member's dashboard shows it; then they give it back.
    mara.goto(f"{base}/c/riverside/", wait_until="domcontentloaded")
    assert "Saturday food distribution" in mara.locator("main").inner_text()
    mara.goto(f"{base}/c/riverside/activities/", wait_until="domcontentloaded")
    with mara.expect_navigation(wait_until="domcontentloaded"):
        mara.locator("main").get_by_role("link", name="Saturday food distribution").first.click()
    with mara.expect_navigation(wait_until="domcontentloaded"):
        mara.get_by_role("button", name="Give my place back").click()
    assert "You gave your place back" in mara.locator("main").inner_text()
    assert SignUp.objects.count() == 0

    # 4. The trust roles page: the member vouches for the coordinator.
    mara.goto(f"{base}/c/riverside/activities/roles/", wait_until="domcontentloaded")
    assert_accessible(mara, "activities-roles")
    mara.get_by_label("Vouch for someone as “Accompanier”").select_option(label="Cato (0 of 2)")
    with mara.expect_navigation(wait_until="domcontentloaded"):
        mara.get_by_role("button", name="Vouch", exact=True).click()
    assert role.vouches.count() == 1
