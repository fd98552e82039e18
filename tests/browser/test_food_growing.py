"""The gardens on a phone: a steward opens the gardens page, logs what they just picked with one
tap, a bad quantity is answered with a sentence, and the plan shows the supply warning's chart."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from tests.browser.conftest import assert_fits

from dualpower.food.models.growing import Log
from dualpower.food.services import growing as services
from dualpower.food.tests.factories_growing import make_crop, make_planting, make_plot, make_site
from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/", wait_until="domcontentloaded")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()


def test_a_steward_logs_a_harvest_with_one_tap(
    live_server: Any, phone: Any, screenshot: Any, assert_accessible: Any
) -> None:
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )
    sol = make_membership(community, name="Sol", user=make_user("sol@example.org"))
    plot = make_plot(make_site(community, "Freedom Garden"), name="Bed 1", steward=sol)
    kale = make_crop(community, "Kale", days=55, unit="bunch", rate="6")
    planting = make_planting(plot, kale, seeded=dt.date.today() - dt.timedelta(days=60), weeks=4)
    services.crop_set_numbers(crop=kale, yield_per_m2="6", weekly_need="500", by=None)
    Client().get("/accounts/login/")  # load URLs and templates before the browser waits on them

    page = phone()
    sign_in(page, base, "sol@example.org")
    page.goto(f"{base}/c/riverside/food/gardens/", wait_until="domcontentloaded")
    assert_fits(page)
    assert_accessible(page, "food-gardens")
    main = page.locator("main")
    main.get_by_label("Kale picked (bunches)").fill("lots")
    with page.expect_navigation(wait_until="domcontentloaded"):
        main.get_by_role("button", name="Log harvest").click()
    assert "must be written as a number" in page.locator("body").inner_text()
    assert not Log.objects.filter(kind=Log.Kind.HARVEST).exists()

    page.locator("main").get_by_label("Kale picked (bunches)").fill("12")
    with page.expect_navigation(wait_until="domcontentloaded"):
        page.locator("main").get_by_role("button", name="Log harvest").click()
    assert "Logged: 12 bunches of Kale." in page.locator("body").inner_text()
    screenshot(page, "food-growing-01-logged")
    log = Log.objects.get(kind=Log.Kind.HARVEST)
    assert (log.planting_id, log.quantity, log.by_id) == (planting.pk, Decimal(12), sol.pk)

    page.goto(f"{base}/c/riverside/food/gardens/plan/", wait_until="domcontentloaded")
    assert_fits(page)
    assert_accessible(page, "food-plan")
    assert page.locator("main svg[role=img]").count() == 1
    screenshot(page, "food-growing-02-plan")
