"""Browser tests: Debian's chromium driven by Playwright against a live server.

Never downloads a browser. When chromium is missing the tests skip, unless CI=true or
DP_REQUIRE_BROWSER=1, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("DP_CHROMIUM", "/usr/bin/chromium")
RESULTS = Path(__file__).resolve().parents[2] / "test-results"
# Flags for a closed network: without them chromium keeps trying to reach Google's hosts.
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def _browser_required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("DP_REQUIRE_BROWSER") == "1"


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Debian's chromium is not installed at {CHROMIUM} (apt-get install chromium)."
        if _browser_required():
            pytest.fail(message)
        pytest.skip(message)
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (factories) are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield launched
        launched.close()


@pytest.fixture(autouse=True)
def _everyone_signs_in_from_one_address(settings: Any) -> None:
    """Every person of every browser test signs in from 127.0.0.1, dozens a minute on an idle
    machine: allauth's limit of sign-ins per address (30 a minute) would refuse the later ones
    (their pages then show the sign-in form). A real node sees people from their own addresses;
    the limits on failed sign-ins stay as they are."""
    settings.ACCOUNT_RATE_LIMITS = {"login": "10000/m/ip"}


# The phone every page must fit (issue 13): 360 CSS px wide.
PHONE_WIDTH = 360


def wider_than_screen(page: Any) -> str:
    """ "" when ``page`` fits its window, else how much wider it is ("412 px wide on a 360 px screen")."""
    width, screen = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    return f"{width} px wide on a {screen} px screen" if width > screen else ""


def assert_fits(page: Any, name: str = "") -> None:
    """Fail when ``page`` scrolls sideways: its content wider than its window (360 px on the ``phone``)."""
    problem = wider_than_screen(page)
    assert not problem, f"{name or page.url} is {problem}"


def _pages(browser: Any, viewport: dict[str, int]) -> Iterator[Any]:
    contexts = []

    def make() -> Any:
        context = browser.new_context(viewport=viewport, locale="en")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def new_page(browser: Any) -> Iterator[Any]:
    """``new_page()`` opens a fresh context (its own cookies): one per person in a flow."""
    yield from _pages(browser, {"width": 390, "height": 844})


@pytest.fixture
def phone(browser: Any) -> Iterator[Any]:
    """``phone()`` opens a fresh 360 × 740 context (its own cookies): one per person."""
    yield from _pages(browser, {"width": PHONE_WIDTH, "height": 740})


@pytest.fixture
def screenshot() -> Any:
    """``screenshot(page, name)`` saves a full-page PNG under test-results/."""
    return _screenshot


@pytest.fixture
def assert_accessible() -> Any:
    """``assert_accessible(page, name)`` fails on any serious or critical axe-core violation."""
    return _assert_accessible


def _screenshot(page: Any, name: str) -> Path:
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _assert_accessible(page: Any, name: str) -> None:
    """Run axe-core on the page; no serious or critical violation may remain."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    bad = [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    assert bad == [], f"accessibility problems on {name}: {bad}"
