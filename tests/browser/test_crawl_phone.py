"""Every page reachable from the home page fits a 360 px phone (issue 13), for the coordinator and
for a plain member of the demo community.

One page per URL pattern (Django's resolved view name and the names of its arguments): the first
link found to it, breadth-first from the home page, GET links of this site only, no downloads and
no sign-out. A page fails when it is wider than the screen (``scrollWidth > 360``), answers with
an error, or has a target smaller than 24 x 24 CSS px (WCAG 2.2, 2.5.8: links inline in a
sentence are exempt, and so are radios and checkboxes inside their label, which is the target).
For the coordinator, axe-core also runs on each page type: its serious and critical violations
fail the page too. Every failing page is listed, with its problems, in one assertion message.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from tests.browser.conftest import PHONE_WIDTH, wider_than_screen

from dualpower.demo import COORDINATOR_EMAIL, COORDINATOR_PASSWORD, MEMBER_EMAIL, MEMBER_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.django_db(transaction=True)]

WIDTH, HEIGHT = PHONE_WIDTH, 740
SKIP_PATHS = ("/accounts/logout/", "/i18n/", "/api/", "/static/", "/media/", "/admin/")
DOWNLOADS = re.compile(r"(\.(csv|ics|pdf|json|txt|zip|svg|png)$)|/export(/|$)")
# Kept in step with /work/notes/fit.py (the helpers' manual check).
SMALL_TARGETS = """() => {
  const out = [];
  for (const el of document.querySelectorAll(
      'a[href], button, input:not([type=hidden]), select, textarea, summary')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;
    const cs = getComputedStyle(el);
    if (cs.visibility === 'hidden') continue;
    const choice = el.tagName === 'INPUT' && (el.type === 'radio' || el.type === 'checkbox');
    if (choice && el.closest('label')) continue;  // the label is the target
    if (el.tagName === 'A' && cs.display === 'inline') {
      const parentText = (el.parentElement.innerText || '').trim();
      if (parentText.length > (el.innerText || '').trim().length + 1) continue;  // inline in a sentence
    }
    if (r.width < 24 || r.height < 24) {
      const label = (el.innerText || el.value || el.name || el.getAttribute('aria-label') || '').trim();
      const size = `${Math.round(r.width)}x${Math.round(r.height)}`;
      out.push(`${el.tagName.toLowerCase()} "${label.slice(0, 30)}" ${size}`);
    }
  }
  return out;
}"""


@pytest.fixture(scope="module", autouse=True)
def flush_lifts_every_trigger() -> Iterator[None]:
    """The demo writes append-only registers (ledger, coops, assemblies...): their triggers refuse
    the DELETE with which Django empties the tables after a transactional test on SQLite. Here the
    flush lifts every trigger and puts it back (the shared conftest does it for the audit log).
    Module-scoped: pytest-django sets the database up before any function fixture (live_server
    asks for it), so the patch must outlive the test's own teardown."""
    import django.db.backends.sqlite3.base  # noqa: F401 - the backend first (see the root conftest)
    from django.db.backends.sqlite3.operations import DatabaseOperations

    before = DatabaseOperations.sql_flush

    def sql_flush(self: Any, style: Any, tables: Any, **kwargs: Any) -> list[str]:
        statements: list[str] = before(self, style, tables, **kwargs)
        if not statements:
            return statements
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL")
            triggers = cursor.fetchall()
        drop = [f'DROP TRIGGER IF EXISTS "{name}";' for name, _sql in triggers]
        create = [
            re.sub(
                r"^\s*CREATE\s+TRIGGER\s+(IF\s+NOT\s+EXISTS\s+)?",
                "CREATE TRIGGER IF NOT EXISTS ",
                sql,
                flags=re.I,
            )
            for _name, sql in triggers
        ]
        return [*drop, *statements, *create]

    DatabaseOperations.sql_flush = sql_flush  # type: ignore[method-assign]
    yield
    DatabaseOperations.sql_flush = before  # type: ignore[method-assign]


@pytest.fixture
def demo_loaded(transactional_db: None) -> None:
    from django.urls import reverse

    from dualpower.ops.demo import demo_load

    reverse("home")  # load every app's URLs before the first page
    demo_load(seed=7, say=lambda _line: None)


def _pattern(path: str) -> str | None:
    """The page type of a path: its view name and the names of its arguments (None: not a page)."""
    from django.urls import Resolver404, resolve

    try:
        match = resolve(path)
    except Resolver404:
        return None
    return f"{match.view_name}({','.join(sorted(match.kwargs))})"


def _crawl(
    page: Any, base: str, *, check_page: Callable[[Any, str], list[str]]
) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Breadth-first from the home page, one page per pattern. Returns (pattern -> path visited,
    path -> problems)."""
    visited: dict[str, str] = {}
    problems: dict[str, list[str]] = {}
    queue = ["/"]
    queued = {_pattern("/")}
    while queue:
        path = queue.pop(0)
        try:
            response = page.goto(base + path)
        except Exception as error:  # a download that slipped through the filter, a timeout
            if "Download is starting" not in str(error):
                problems[path] = [f"could not open: {str(error).splitlines()[0]}"]
            continue
        final = urlsplit(page.url)
        if not page.url.startswith(base):
            continue
        if response is None or "text/html" not in (response.headers.get("content-type") or ""):
            continue
        key = _pattern(final.path) or path
        if key in visited and final.path != path:
            continue  # a redirect to a page type already seen
        visited[key] = final.path
        found: list[str] = []
        if response.status >= 400:
            found.append(f"answers {response.status}")
        found += check_page(page, final.path)
        if found:
            problems[final.path + (f"?{final.query}" if final.query else "")] = found
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
        for href in hrefs:
            parts = urlsplit(urljoin(page.url, href))
            if f"{parts.scheme}://{parts.netloc}" != base:
                continue
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            if parts.path.startswith(SKIP_PATHS) or DOWNLOADS.search(parts.path):
                continue
            pattern = _pattern(parts.path)
            if pattern is None or pattern in queued:
                continue
            queued.add(pattern)
            queue.append(target)
    return visited, problems


def _fit(page: Any, _path: str) -> list[str]:
    found = []
    if problem := wider_than_screen(page):
        found.append(problem)
    small = page.evaluate(SMALL_TARGETS)
    if small:
        found.append(f"{len(small)} small targets: {'; '.join(small[:6])}{' …' if len(small) > 6 else ''}")
    return found


def _fit_and_axe(page: Any, path: str) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    found = _fit(page, path)
    results = Axe().run(page)
    for violation in results.response["violations"]:
        if violation.get("impact") in {"serious", "critical"}:
            targets = [node["target"] for node in violation["nodes"]][:3]
            found.append(f"axe {violation['id']} ({violation['impact']}): {targets}")
    return found


def _sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()
    assert "/accounts/login/" not in page.url, f"{email} could not sign in"


def test_every_page_of_the_demo_fits_a_360px_phone(demo_loaded: None, live_server: Any, browser: Any) -> None:
    report: list[str] = []
    summary: list[str] = []
    roles = (
        ("coordinator", COORDINATOR_EMAIL, COORDINATOR_PASSWORD, _fit_and_axe),
        ("member", MEMBER_EMAIL, MEMBER_PASSWORD, _fit),
    )
    for role, email, password, check in roles:
        started = time.monotonic()
        # No service worker: the crawl measures pages, not the offline copies.
        context = browser.new_context(
            viewport={"width": WIDTH, "height": HEIGHT}, locale="en", service_workers="block"
        )
        context.set_default_timeout(20_000)
        page = context.new_page()
        try:
            _sign_in(page, live_server.url, email, password)
            visited, problems = _crawl(page, live_server.url, check_page=check)
        finally:
            context.close()
        summary.append(
            f"{role}: {len(visited)} page types in {time.monotonic() - started:.0f} s, "
            f"{len(problems)} with problems"
        )
        report += [f"[{role}] {path}: {' | '.join(found)}" for path, found in sorted(problems.items())]
        assert len(visited) > 20, f"the {role}'s crawl found only {sorted(visited.values())}"
    print("\n".join(summary))
    assert not report, (
        "Pages that do not fit a 360 px phone:\n" + "\n".join(report) + "\n" + "; ".join(summary)
    )
