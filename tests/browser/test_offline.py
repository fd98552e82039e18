"""Offline on a 360 px phone (issue 13): pages a person visited are readable without a network, with
a notice saying when they were saved; a page never visited gets the offline page; after signing
out, nothing of the signed-out person is served. Real chromium, real service worker."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from typing import Any

import pytest
from tests.browser.conftest import PHONE_WIDTH, assert_fits

from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NOTICE = re.compile(
    r"You are offline: this page was saved at \d{1,2}:\d{2}( [AP]M)? and may be out of date\."
)


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="en")
    context.set_default_timeout(15_000)
    yield context
    context.close()


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


def _wait_until(page: Any, function: str, arg: Any = None, seconds: float = 15) -> None:
    """Poll `function` from here until it is true.

    Not page.wait_for_function: after its first try, Playwright re-evaluates the predicate with the
    page's own eval, which the Content-Security-Policy (script-src 'self') refuses, so the wait failed
    whenever the first try came too early (on a loaded machine). page.evaluate runs through the
    DevTools protocol, which the page's policy does not cover.
    """
    deadline = time.monotonic() + seconds
    while not page.evaluate(function, arg):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {seconds} s: {function}")
        page.wait_for_timeout(100)


def _worker_ready(page: Any) -> None:
    """Wait until the service worker controls the page (it claims pages open when it starts)."""
    _wait_until(page, "() => !!navigator.serviceWorker && navigator.serviceWorker.controller !== null")


def _visit(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state()
    # The worker keeps its copy just after answering: wait until it is in the cache.
    _wait_until(
        page,
        """async (url) => {
            for (const name of await caches.keys()) {
                if (name.startsWith("dp-pages-") && await (await caches.open(name)).match(url)) return true;
            }
            return false;
        }""",
        url,
    )


def test_visited_pages_are_readable_offline_with_a_notice(
    live_server: Any, phone: Any, screenshot: Any, assert_accessible: Any
) -> None:
    community = make_community(name="Offline Street")
    person = make_user("reader@example.org")
    make_membership(community, user=person, name="Reader")
    base = live_server.url
    page = phone.new_page()
    _sign_in(page, base, person.email)
    _worker_ready(page)

    dashboard = f"{base}/c/{community.slug}/"
    groups = f"{base}/c/{community.slug}/groups/"
    _visit(page, dashboard)
    _visit(page, groups)
    page.goto(f"{base}/me/")  # an account page is visited too, but /accounts/ and /api/ never kept
    notice = page.locator("#offline-notice")
    assert notice.is_hidden()  # online: no notice

    phone.set_offline(True)
    page.goto(dashboard)
    assert notice.is_visible()
    assert NOTICE.fullmatch(notice.inner_text().strip()), notice.inner_text()
    assert "Offline Street" in page.locator("header").inner_text()
    assert_fits(page)
    screenshot(page, "offline-01-saved-page-360")
    assert_accessible(page, "offline saved page")

    page.reload()
    assert notice.is_visible()
    page.goto(groups)
    assert notice.is_visible()

    # Never visited on this phone: the offline page, as a stranger sees it.
    page.goto(f"{base}/c/{community.slug}/members/")
    assert page.locator("h1").inner_text() == "You are offline"
    assert "Offline Street" not in page.content()
    screenshot(page, "offline-02-never-visited-360")
    assert_accessible(page, "offline page")
    page.goto(f"{base}/accounts/email/")
    assert page.locator("h1").inner_text() == "You are offline"

    # Back online: the live page again, no notice.
    phone.set_offline(False)
    page.goto(dashboard)
    assert notice.is_hidden()


def test_after_signing_out_no_page_of_the_person_is_served_offline(live_server: Any, phone: Any) -> None:
    community = make_community(name="Private Lane")
    person = make_user("leaving@example.org")
    make_membership(community, user=person, name="Leaving Person")
    base = live_server.url
    page = phone.new_page()
    _sign_in(page, base, person.email)
    _worker_ready(page)
    dashboard = f"{base}/c/{community.slug}/"
    _visit(page, dashboard)

    page.get_by_text("Menu").click()
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    assert "Sign in" in page.locator("header").inner_text()
    kept = page.evaluate(
        """async () => {
            let n = 0;
            for (const name of await caches.keys()) {
                if (name.startsWith("dp-pages-")) n += (await (await caches.open(name)).keys()).length;
            }
            return n;
        }"""
    )
    assert kept == 0

    phone.set_offline(True)
    try:
        page.goto(dashboard)
    except Exception as error:  # the worker is gone (Clear-Site-Data): the browser's own error
        assert "ERR_INTERNET_DISCONNECTED" in str(error)
    else:
        text = page.content()
        assert "Private Lane" not in text and "Leaving Person" not in text
        assert page.locator("#offline-notice").is_hidden()
