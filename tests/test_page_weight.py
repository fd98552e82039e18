"""What a page makes a cheap phone download and run (issue 13: under 100 KB, Lighthouse ≥ 95).

Lighthouse's mobile score is lost on total blocking time: the main thread's work after the first
paint, slowed four times. On our pages that work is script start-up (htmx reads 52 KB of script,
then walks the page), so:

- htmx is loaded by exactly the pages whose templates (or the pieces they include) use hx-get,
  hx-post… (``{% block htmx %}{% include "partials/_htmx.html" %}{% endblock %}``); the others
  run only static/js/offline.js.
- Every script is our own file and deferred; one stylesheet, no inline style or script (CSP).
- Pages are sent compressed to the site's own requests (web/compression.py; BREACH is discussed
  there), and never to another site's.
- The ten pages bench/bench_phone.py measures stay under a budget of compressed HTML, CSS and
  JavaScript and of HTML elements (Lighthouse warns from 800).

The figures on a throttled line and Lighthouse's scores: docs/benchmarks/phone.md.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.test import Client, RequestFactory

from dualpower.web.compression import OwnRequestGZipMiddleware

SRC = Path(settings.BASE_DIR)
HTMX_PARTIAL = "partials/_htmx.html"
# An attribute that makes htmx send a request: the page needs htmx. (hx-headers, on every page's
# <body>, only configures htmx where it runs.)
HX_REQUEST = re.compile(r"\bhx-(?:get|post|put|patch|delete)\s*=")
EXTENDS = re.compile(r"""\{%\s*extends\s+["']([^"']+)["']""")
INCLUDES = re.compile(r"""\{%\s*include\s+["']([^"']+)["']""")

# Budgets for each of the ten phone pages, compressed as sent (measured 2026-12-06: HTML 2.0–3.6 KB,
# the stylesheet 4.7 KB, offline.js 0.7 KB; 131–273 elements). htmx alone is 17 KB compressed.
BUDGET_HTML_KB = 12
BUDGET_CSS_KB = 10
BUDGET_PAGE_KB = 30  # HTML + CSS + scripts, compressed
BUDGET_ELEMENTS = 800
BUDGET_MAIN_PAGE_KB = 100  # issue 21: a main page with everything it loads, compressed


# --- Which pages load htmx -------------------------------------------------------------------


def templates() -> dict[str, str]:
    """Every template of the project by the name Django finds it under (first directory wins)."""
    found: dict[str, str] = {}
    for directory in sorted(SRC.glob("**/templates")):
        for path in sorted(directory.glob("**/*.html")):
            found.setdefault(path.relative_to(directory).as_posix(), path.read_text(encoding="utf-8"))
    return found


def rendered(name: str, sources: dict[str, str]) -> set[str]:
    """The templates a page made from ``name`` renders: itself, what it extends, all they include."""
    seen: set[str] = set()
    todo = [name]
    while todo:
        current = todo.pop()
        if current in seen or current not in sources:
            continue
        seen.add(current)
        todo += EXTENDS.findall(sources[current]) + INCLUDES.findall(sources[current])
    return seen


def pages(sources: dict[str, str]) -> Iterator[str]:
    """Templates that are whole pages: they extend base.html, directly or through a layout."""
    for name, text in sources.items():
        parent = EXTENDS.findall(text)
        while parent:
            if parent[0] == "base.html":
                yield name
                break
            parent = EXTENDS.findall(sources.get(parent[0], ""))


def test_htmx_is_loaded_by_exactly_the_pages_that_use_it() -> None:
    sources = templates()
    assert "base.html" in sources and HTMX_PARTIAL in sources
    assert "htmx.min.js" not in sources["base.html"], "base.html loads htmx on every page"
    without, needless = [], []
    checked = list(pages(sources))
    assert len(checked) > 50, "the template scan found too few pages"
    for page in checked:
        parts = rendered(page, sources)
        uses = any(HX_REQUEST.search(sources[part]) for part in parts)
        loads = HTMX_PARTIAL in parts
        if uses and not loads:
            without.append(page)
        if loads and not uses:
            needless.append(page)
    assert not without, (
        f'pages with hx- requests but no {{% block htmx %}}{{% include "{HTMX_PARTIAL}" %}}: {without}'
    )
    assert not needless, f"pages that load htmx without using it (slower on a phone): {needless}"


# --- What every page loads -------------------------------------------------------------------


class PageParts(HTMLParser):
    """Scripts, stylesheets, inline styles and the number of elements of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[dict[str, str | None]] = []
        self.stylesheets: list[str] = []
        self.inline: list[str] = []
        self.elements = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements += 1
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        elif tag == "link" and attributes.get("rel") == "stylesheet":
            self.stylesheets.append(attributes.get("href") or "")
        elif tag == "style" or "style" in attributes:
            self.inline.append(tag)


def parts_of(html: str) -> PageParts:
    parser = PageParts()
    parser.feed(html)
    return parser


def static_file(url: str) -> bytes:
    assert url.startswith(settings.STATIC_URL), f"{url} is not one of our static files"
    path = finders.find(url.removeprefix(settings.STATIC_URL))
    assert path, f"{url} is missing"
    return Path(path).read_bytes()


def kb(data: bytes) -> float:
    return len(gzip.compress(data, compresslevel=6)) / 1024


def check_page(label: str, html: str) -> list[str]:
    """What is wrong with one page: scripts not deferred, weight over budget, too many elements."""
    found = []
    parts = parts_of(html)
    for script in parts.scripts:
        src = script.get("src") or ""
        if not src.startswith(settings.STATIC_URL):
            found.append(f"{label}: a script that is not one of our static files ({src or 'inline'})")
        if "defer" not in script and "async" not in script and script.get("type") != "module":
            found.append(f"{label}: {src} holds up the first paint (no defer)")
    if parts.inline:
        found.append(f"{label}: inline style ({', '.join(parts.inline)}) is refused by the CSP")
    if len(parts.stylesheets) != 1:
        found.append(
            f"{label}: {len(parts.stylesheets)} stylesheets, each a round trip before the first paint"
        )
    html_kb = kb(html.encode())
    css_kb = sum(kb(static_file(href)) for href in parts.stylesheets)
    ours = [s["src"] or "" for s in parts.scripts if (s.get("src") or "").startswith(settings.STATIC_URL)]
    js_kb = sum(kb(static_file(src)) for src in ours)
    if html_kb > BUDGET_HTML_KB:
        found.append(f"{label}: HTML {html_kb:.1f} KB compressed (budget {BUDGET_HTML_KB} KB)")
    if css_kb > BUDGET_CSS_KB:
        found.append(f"{label}: stylesheet {css_kb:.1f} KB compressed (budget {BUDGET_CSS_KB} KB)")
    if html_kb + css_kb + js_kb > BUDGET_PAGE_KB:
        found.append(
            f"{label}: HTML {html_kb:.1f} + CSS {css_kb:.1f} + JS {js_kb:.1f} KB compressed "
            f"(budget {BUDGET_PAGE_KB} KB)"
        )
    if parts.elements > BUDGET_ELEMENTS:
        found.append(f"{label}: {parts.elements} elements (budget {BUDGET_ELEMENTS})")
    return found


def test_a_page_without_htmx_runs_only_the_small_offline_script(client: Client, db: None) -> None:
    html = client.get("/accounts/login/").content.decode()
    parts = parts_of(html)
    assert [s.get("src") for s in parts.scripts] == [f"{settings.STATIC_URL}js/offline.js"]
    assert check_page("sign-in", html) == []


def test_the_budget_check_can_fail() -> None:
    script = (
        f'<link rel="stylesheet" href="{settings.STATIC_URL}css/dualpower.css"><script src="/x.js"></script>'
    )
    assert check_page("made up", script + "<p>" * 900) == [
        "made up: a script that is not one of our static files (/x.js)",
        "made up: /x.js holds up the first paint (no defer)",
        "made up: 902 elements (budget 800)",
    ]


@pytest.mark.slow
def test_the_phone_pages_and_the_main_pages_stay_under_their_budget(db: None) -> None:
    """Run alone: ``pytest tests/test_page_weight.py`` (it loads the demo: a minute on one core)."""
    from tests.phone_pages import main_pages, phone_pages

    from dualpower.demo import COORDINATOR_EMAIL
    from dualpower.members.models import User
    from dualpower.ops.demo import demo_load

    demo_load(seed=7, say=lambda _line: None)
    client = Client()
    client.force_login(User.objects.get(email=COORDINATOR_EMAIL))
    found = []
    measured = phone_pages()
    assert len(measured) == 10
    for label, path in measured:
        response = client.get(path)
        assert response.status_code == 200, f"{label} ({path}) answers {response.status_code}"
        html = response.content.decode()
        found += check_page(label, html)
        uses_htmx = bool(HX_REQUEST.search(html))
        loads_htmx = "htmx.min.js" in html
        if uses_htmx != loads_htmx:
            found.append(f"{label}: uses htmx {uses_htmx}, loads it {loads_htmx}")
    # Issue 21's main pages (some are not phone pages): HTML, CSS and scripts under 100 KB compressed.
    for label, path in main_pages():
        response = client.get(path)
        assert response.status_code == 200, f"{label} ({path}) answers {response.status_code}"
        html = response.content.decode()
        parts = parts_of(html)
        assets = parts.stylesheets + [s.get("src") or "" for s in parts.scripts]
        total = kb(html.encode()) + sum(kb(static_file(url)) for url in assets)
        if total >= BUDGET_MAIN_PAGE_KB:
            found.append(f"{label}: {total:.1f} KB compressed (budget {BUDGET_MAIN_PAGE_KB} KB)")
    assert not found, "\n".join(found)


# --- Compressed for the site's own requests --------------------------------------------------


def answer(content_type: str = "text/html; charset=utf-8", **headers: str) -> HttpResponse:
    request = RequestFactory().get("/c/demo/", HTTP_ACCEPT_ENCODING="gzip, deflate, br", **headers)
    page = HttpResponse(b"<!doctype html><p>" + b"a line of a page " * 200, content_type=content_type)
    return OwnRequestGZipMiddleware(lambda _request: page)(request)  # type: ignore[return-value]


@pytest.mark.parametrize("site", ["same-origin", "none"])
def test_a_page_the_site_asked_for_is_compressed(site: str) -> None:
    response = answer(HTTP_SEC_FETCH_SITE=site)
    assert response["Content-Encoding"] == "gzip"
    assert gzip.decompress(response.content).startswith(b"<!doctype html>")
    assert len(response.content) < 400
    assert {"Accept-Encoding", "Sec-Fetch-Site"} <= {v.strip() for v in response["Vary"].split(",")}


@pytest.mark.parametrize("site", ["cross-site", "same-site", None])
def test_a_page_another_site_asked_for_is_not_compressed(site: str | None) -> None:
    # BREACH: another site could measure a compressed page's length to guess a secret in it.
    response = answer(**({"HTTP_SEC_FETCH_SITE": site} if site else {}))
    assert not response.has_header("Content-Encoding")
    assert response.content.startswith(b"<!doctype html>")
    assert "Sec-Fetch-Site" in response["Vary"]


def test_images_are_not_compressed_again() -> None:
    response = answer("image/png", HTTP_SEC_FETCH_SITE="same-origin")
    assert not response.has_header("Content-Encoding")


def test_the_middleware_is_installed_after_whitenoise() -> None:
    # Static files are answered by whitenoise, already compressed, before this middleware runs.
    middleware: list[Any] = list(settings.MIDDLEWARE)
    ours = middleware.index("dualpower.web.compression.OwnRequestGZipMiddleware")
    assert middleware.index("whitenoise.middleware.WhiteNoiseMiddleware") < ours
    assert ours < middleware.index("django.middleware.common.CommonMiddleware")
