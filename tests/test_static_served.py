"""Static files as the app really serves them (issue 21): collected by the production storage
(whitenoise's ``CompressedManifestStaticFilesStorage``, settings.py), then asked for through the
whole middleware stack, whitenoise included. A hashed name is cached for a year or more and marked
immutable, and comes compressed; an unhashed name is not cached for long (it may change). What the main
pages weigh as sent is checked in tests/test_page_weight.py.

Here ``DEBUG`` is off as in production, so whitenoise reads the collected files (not the finders).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client, override_settings

MANIFEST = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
YEAR = 365 * 24 * 3600
HASHED = re.compile(r"^/static/(?P<name>.+)\.(?P<hash>[0-9a-f]{12})\.(?P<ext>css|js)$")
ASSETS = re.compile(r"""<(?:link[^>]*rel="stylesheet"[^>]*href|script[^>]*src)="(/static/[^"]+)\"""")
# What a browser sends: compressed answers welcome; the site's own request (web/compression.py).
BROWSER: dict[str, Any] = {"HTTP_ACCEPT_ENCODING": "gzip, deflate, br", "HTTP_SEC_FETCH_SITE": "same-origin"}


@pytest.fixture(scope="module")
def collected(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The static files collected once for the module, as ``make run`` and ``dualpower serve`` do."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES={"staticfiles": MANIFEST}):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture
def served(settings: Any, collected: Path) -> Iterator[Client]:
    """A client whose requests go through a whitenoise that has read the collected files."""
    settings.DEBUG = False
    settings.STATIC_ROOT = collected
    settings.STORAGES = {**settings.STORAGES, "staticfiles": MANIFEST}
    settings.WHITENOISE_USE_FINDERS = False
    settings.WHITENOISE_AUTOREFRESH = False
    yield Client()  # a new client builds the middleware, whitenoise scanning STATIC_ROOT


def _sent(response: Any) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return bytes(response.content)


def _max_age(cache_control: str) -> int:
    found = re.search(r"max-age=(\d+)", cache_control)
    return int(found.group(1)) if found else 0


def _assets(html: str) -> list[str]:
    return ASSETS.findall(html)


def test_hashed_static_files_are_compressed_and_cached_for_a_year(
    served: Client, collected: Path, db: None
) -> None:
    page = served.get("/accounts/login/", **BROWSER)
    html = (
        gzip.decompress(page.content) if page.get("Content-Encoding") == "gzip" else page.content
    ).decode()
    urls = _assets(html)
    assert any(u.endswith(".css") for u in urls) and any(u.endswith(".js") for u in urls), urls
    for url in urls:
        hashed = HASHED.match(url)
        assert hashed, f"{url}: the page links the file by its unhashed name"
        response = served.get(url, HTTP_ACCEPT_ENCODING="gzip, br")
        assert response.status_code == 200, url
        body = _sent(response)
        cache_control = response["Cache-Control"]
        assert _max_age(cache_control) >= YEAR and "immutable" in cache_control, (url, cache_control)
        encoding = response.get("Content-Encoding")
        assert encoding in {"gzip", "br"}, f"{url} sent uncompressed"
        assert "Accept-Encoding" in response.get("Vary", "")
        original = (collected / url.removeprefix("/static/")).read_bytes()
        if encoding == "gzip":
            assert gzip.decompress(body) == original
        assert len(body) < len(original)


def test_an_unhashed_name_is_not_cached_for_long(served: Client, db: None) -> None:
    response = served.get("/static/css/dualpower.css", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "immutable" not in response["Cache-Control"] and _max_age(response["Cache-Control"]) < 3600
