"""Cross-cutting HTTP behaviour: the Content-Security-Policy header, domain errors on pages, and
input no database can store refused at the door."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dualpower.errors import DomainError, InvalidInput, NotAuthenticated
from dualpower.web.actions import is_htmx

# The API's interactive docs page (Swagger UI) runs an inline script; nothing else may.
_DOCS_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        policy = _DOCS_CSP if request.path.startswith("/api/v1/docs") else settings.DP_CSP
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class DomainErrorMiddleware:
    """A DomainError raised by a service while rendering a page becomes a page with its sentence."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        htmx = is_htmx(request)
        if isinstance(exception, NotAuthenticated) and request.method == "GET" and not htmx:
            return redirect_to_login(request.get_full_path())
        if htmx:
            return render(request, "partials/_error.html", {"error": exception}, status=exception.status)
        messages.error(request, exception.detail)
        return render(request, "error.html", {"error": exception}, status=exception.status)


_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")
_JSON_NUL = b"\\u0000"


def _holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(v) for v in value)
    return False


def _carries_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or any(_holds_nul([k, *vs]) for k, vs in request.GET.lists()):
        return True
    if request.method not in {"POST", "PUT", "PATCH", "DELETE"}:
        return False
    if request.content_type == "application/json":
        body = request.body
        if _JSON_NUL not in body:
            return False  # the common case, without parsing the body twice
        try:
            return _holds_nul(json.loads(body))
        except ValueError:
            return False  # not JSON: the API says so itself
    if request.content_type in _FORM_TYPES:
        return any(_holds_nul([k, *vs]) for k, vs in request.POST.lists())
    return False


class RefuseNulCharacterMiddleware:
    """Refuse text carrying the NUL character (U+0000) with a 400 and a sentence.

    PostgreSQL cannot store it in text, so such a value would end in a database error (a 500)
    wherever it reached a query; SQLite would store it and hand it to the next reader. No one
    types it. Django's form fields already refuse it; query strings, JSON bodies and values that
    views read directly are checked here, before any view, for pages and the API alike. Uploaded
    files are not text and are not looked at.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _carries_nul(request):
            return self.get_response(request)
        error = InvalidInput(_("Text may not contain the NUL character (U+0000)."))
        if request.path.startswith("/api/"):
            return JsonResponse(error.as_dict(), status=error.status)
        return render(request, "error.html", {"error": error}, status=error.status)
