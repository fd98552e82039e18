"""A coordinator sets the community's directory profile on a phone (360 px) and sees the directory
with its map drawn by the server: no sideways scrolling, no serious accessibility problem, the map's
points link to the list, and nothing is loaded from another server (screenshots under
test-results/directory-*.png)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.conftest import assert_fits

from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_coordinator_lists_the_community_and_sees_it_on_the_map(
    live_server: Any, phone: Any, screenshot: Any, assert_accessible: Any, settings: Any
) -> None:
    settings.SITE_URL = live_server.url
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(
        community,
        role=Membership.Role.COORDINATOR,
        name="Cato",
        user=make_user("cato@example.org"),
    )
    page = phone()
    elsewhere: list[str] = []
    page.on("request", lambda r: None if r.url.startswith(base) else elsewhere.append(r.url))
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill("cato@example.org")
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()

    page.goto(f"{base}/c/riverside/network/")
    page.get_by_role("link", name=re.compile("Directory of the network")).click()
    page.get_by_role("link", name="Set its directory profile").click()
    page.get_by_label("List this community in the network's directory").check()
    page.get_by_label("Region").fill("Jackson, Mississippi, US")
    page.get_by_label("Latitude on the map (optional)").fill("32.29876")
    page.get_by_label("Longitude on the map (optional)").fill("-90.18481")
    page.get_by_label("English").check()
    assert_fits(page, "directory profile at 360")
    screenshot(page, "directory-profile-360")
    page.get_by_role("button", name="Save and tell the network").click()
    page.wait_for_load_state()

    main = page.locator("main")
    assert "Jackson, Mississippi, US" in main.inner_text()
    assert page.locator("svg.directory-map a[href='#dir-0']").count() == 1
    assert_fits(page, "directory at 360")
    assert_accessible(page, "directory")
    screenshot(page, "directory-360")
    assert elsewhere == []
