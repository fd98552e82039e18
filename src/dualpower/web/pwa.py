"""The installable web app (issue 13, cheap phones and weak networks).

- ``/manifest.webmanifest``: name, icons and colours, so a phone can add dualpower to its home
  screen and open it full screen (``display: standalone``).
- ``/sw.js``: the service worker (its code is static/sw.js), served from the root so that its
  scope is the whole site. This view puts in front of it the cache version (the collected static
  manifest's hash: a new deployment empties the old caches), the files to keep at install and
  the offline page's address.
- ``/offline/``: the page shown offline in place of a page never visited on this phone.
- Sign-out (``/accounts/logout/``, allauth's view) answers with ``Clear-Site-Data``, so nothing
  the signed-out person read stays on the phone; the service worker also forgets its pages when a
  person signs in or out.

Nothing here reads the database except the manifest's name (through the function urls.py passes,
since this plumbing sits below the apps), and nothing is loaded from a third party.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

from allauth.account.views import logout as allauth_logout
from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

SERVICE_WORKER = Path(__file__).resolve().parents[1] / "static" / "sw.js"
# Kept at install: what every page needs (the rest, htmx included, is kept the first time it is
# fetched: only the few pages that use htmx load it, see templates/partials/_htmx.html).
PRECACHE = ("css/dualpower.css", "js/offline.js", "favicon.svg", "icons/icon-192.png")
# The colours of the stylesheet (dualpower.css :root --accent and --bg).
THEME_COLOR = "#8a1c1c"
BACKGROUND_COLOR = "#ffffff"
DEFAULT_NAME = "dualpower"


@require_safe
def manifest(request: HttpRequest, communities: Callable[[], Any] | None = None) -> JsonResponse:
    """The web app manifest. Its name is the community's when the node hosts one, else "dualpower"."""
    name = DEFAULT_NAME
    if communities is not None:
        hosted = list(communities()[:2])
        if len(hosted) == 1:
            name = hosted[0].name
    icons = [
        {
            "src": staticfiles_storage.url(f"icons/icon-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
        }
        for size in (192, 512)
    ] + [
        {
            "src": staticfiles_storage.url(f"icons/maskable-{size}.png"),
            "sizes": f"{size}x{size}",
            "type": "image/png",
            "purpose": "maskable",
        }
        for size in (192, 512)
    ]
    data = {
        "id": "/",
        "name": name,
        "short_name": _short(name),
        "description": _("dualpower: free software for self-governing communities"),
        "lang": request.LANGUAGE_CODE if hasattr(request, "LANGUAGE_CODE") else settings.LANGUAGE_CODE,
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "theme_color": THEME_COLOR,
        "background_color": BACKGROUND_COLOR,
        "icons": icons,
    }
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


def _short(name: str) -> str:
    """The name under the icon, where a phone shows about 12 characters: the name, its first word."""
    for candidate in (name, name.split()[0] if name.split() else ""):
        if 0 < len(candidate) <= 12:
            return candidate
    return DEFAULT_NAME


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, with its settings in front. Served at the root: its scope is "/"."""
    head = (
        f"const VERSION = {json.dumps(cache_version())};\n"
        f"const PRECACHE = {json.dumps([staticfiles_storage.url(name) for name in PRECACHE])};\n"
        f"const OFFLINE_URL = {json.dumps(reverse('offline'))};\n"
        f"const STATIC_URL = {json.dumps(settings.STATIC_URL)};\n"
    )
    response = HttpResponse(head + _service_worker_source(), content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    # The browser asks again on every visit (it compares the bytes to decide on an update).
    response["Cache-Control"] = "no-cache"
    return response


@require_safe
def offline(request: HttpRequest) -> HttpResponse:
    """Shown offline for a page this phone never kept. The worker keeps it as a stranger sees it."""
    return render(request, "offline.html")


def sign_out(request: HttpRequest) -> HttpResponse:
    """allauth's sign-out, telling the browser to drop every page and file kept for this site."""
    response: HttpResponse = allauth_logout(request)
    if request.method == "POST":
        response["Clear-Site-Data"] = '"cache", "storage"'
    return response


def cache_version() -> str:
    """Changes whenever a static file or the worker changes: the collected manifest's hash when
    there is one (production), else the hash of the files kept at install (development, tests)."""
    digest = hashlib.sha256(_service_worker_source().encode())
    manifest_hash = getattr(staticfiles_storage, "manifest_hash", "")
    if manifest_hash:
        digest.update(manifest_hash.encode())
    else:
        for name in PRECACHE:
            found = finders.find(name)
            if isinstance(found, str):
                digest.update(Path(found).read_bytes())
    return digest.hexdigest()[:16]


@cache
def _service_worker_source_cached() -> str:
    return SERVICE_WORKER.read_text(encoding="utf-8")


def _service_worker_source() -> str:
    return SERVICE_WORKER.read_text(encoding="utf-8") if settings.DEBUG else _service_worker_source_cached()
