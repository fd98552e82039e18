"""A person opens a care circle on her phone, invites two helpers, one takes a meal slot and sees
only that slot's details, and the person closes the circle (issue 16).

Real browser (Debian's chromium via Playwright), real server, 360 px wide. Every step is a form
that posts: no JavaScript is needed.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from cryptography.fernet import Fernet
from tests.browser.conftest import assert_fits

from dualpower.care.models.circles import Circle, Need
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MEAL_DETAILS = "Ground floor, ring twice; no nuts"
RIDE_DETAILS = "Pick up at the clinic's side door"


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


def add_need(page: Any, kind: str, when: str, label: str, details: str) -> None:
    form = page.locator("form", has=page.get_by_role("button", name="Add to the calendar"))
    if not form.is_visible():  # the form sits in a <details>, open while the calendar is empty
        page.locator("summary", has_text="Add a need").click()
    form.get_by_label("Kind").select_option(kind)
    form.get_by_label("When").fill(when)
    form.get_by_label("Short description").fill(label)
    form.get_by_label("Details for the helper who takes it").fill(details)
    form.get_by_role("button", name="Add to the calendar").click()
    page.wait_for_load_state()


def invite(page: Any, name: str) -> None:
    form = page.locator("form", has=page.get_by_role("button", name="Invite", exact=True))
    if not form.is_visible():  # in a <details>, open while nobody is in the pod
        page.locator("summary", has_text="Invite someone").click()
    form.get_by_label("Who").select_option(label=name)
    form.get_by_role("button", name="Invite", exact=True).click()
    page.wait_for_load_state()


def test_a_person_opens_a_circle_a_helper_takes_a_meal_and_the_person_closes_it(
    live_server: Any, phone: Any, screenshot: Any, settings: Any
) -> None:
    settings.DP_AID_KEY = Fernet.generate_key().decode()
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(community, name="Ana", user=make_user("ana@example.org"))
    make_membership(community, name="Hana", user=make_user("hana@example.org"))
    make_membership(community, name="Nico", user=make_user("nico@example.org"))

    # 1. Ana opens her circle and puts a meal and a ride on its calendar.
    ana = phone()
    sign_in(ana, base, "ana@example.org")
    ana.goto(f"{base}/c/riverside/care/circles/")
    ana.get_by_role("link", name="Open a circle for me").click()
    ana.get_by_label("What is it for?").select_option("surgery")
    ana.get_by_label("Title").fill("Meals while Ana recovers")
    ana.get_by_role("button", name="Open the circle").click()
    ana.wait_for_load_state()
    circle = Circle.objects.get()
    assert ana.url.endswith(f"/care/circles/{circle.pk}/")
    add_need(ana, "meal", "2030-03-02T18:30", "Dinner for two", MEAL_DETAILS)
    add_need(ana, "ride", "2030-03-03T09:00", "Lift to physio", RIDE_DETAILS)

    # 2. She invites Hana and Nico.
    invite(ana, "Hana")
    invite(ana, "Nico")
    assert_fits(ana, "the circle page")
    screenshot(ana, "care-circles-01-person")

    # 3. Hana accepts and takes the meal: she sees its details and not the ride's.
    hana = phone()
    sign_in(hana, base, "hana@example.org")
    hana.goto(f"{base}/c/riverside/care/circles/")
    hana.get_by_role("button", name="Join the circle").click()
    hana.wait_for_load_state()
    assert MEAL_DETAILS not in hana.content()
    meal = Need.objects.get(kind="meal")
    hana.locator(f"#need-{meal.pk}").get_by_role("button", name="I'll do it").click()
    hana.wait_for_load_state()
    body = hana.content()
    assert MEAL_DETAILS in body
    assert RIDE_DETAILS not in body
    assert_fits(hana, "the helper's circle page")
    screenshot(hana, "care-circles-02-helper")

    # 4. Nico joins too: the meal is taken (no details for him), the ride is open.
    nico = phone()
    sign_in(nico, base, "nico@example.org")
    nico.goto(f"{base}/c/riverside/care/circles/")
    nico.get_by_role("button", name="Join the circle").click()
    nico.wait_for_load_state()
    assert MEAL_DETAILS not in nico.content() and RIDE_DETAILS not in nico.content()

    # 5. Ana closes the circle; Hana no longer sees it.
    ana.reload()
    ana.get_by_text("Close the circle…").click()
    ana.get_by_role("button", name="Yes, close the circle").click()
    ana.wait_for_load_state()
    assert Circle.objects.get().status == Circle.Status.CLOSED
    hana.goto(f"{base}/c/riverside/care/circles/{circle.pk}/")
    assert MEAL_DETAILS not in hana.content()
    screenshot(ana, "care-circles-03-closed")
