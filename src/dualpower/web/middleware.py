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
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}
# The widest integer both databases store (a signed 64-bit column). A larger number in a JSON body
# would fail inside the database driver (OverflowError, a 500) wherever it reached a query.
_INT_MIN, _INT_MAX = -(2**63), 2**63 - 1


class _Unreadable(ValueError):
    """Why a request's input cannot be stored: ``sentence`` is said to the person."""

    def __init__(self, sentence: str, status: int = 400) -> None:
        super().__init__(sentence)
        self.sentence = sentence
        self.status = status


def _check_text(value: str) -> None:
    if "\x00" in value:
        raise _Unreadable(_("Text may not contain the NUL character (U+0000)."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate ("\ud800" in JSON): no UTF-8 text can hold it, so no database can.
        raise _Unreadable(_("Text may not contain a lone surrogate (U+D800 to U+DFFF).")) from None


def _check_value(value: Any, where: str = "") -> None:
    if isinstance(value, str):
        _check_text(value)
    elif isinstance(value, bool):
        return
    elif isinstance(value, int):
        if not _INT_MIN <= value <= _INT_MAX:
            raise _Unreadable(
                _(
                    "The number at “%(field)s” is too large: whole numbers must stay "
                    "between %(low)s and %(high)s."
                )
                % {"field": where or "/", "low": _INT_MIN, "high": _INT_MAX}
            )
    elif isinstance(value, dict):
        for key, item in value.items():
            _check_text(key)
            _check_value(item, f"{where}/{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_value(item, f"{where}/{index}" if where else str(index))


def _refuse_constant(name: str) -> Any:
    raise _Unreadable(_("Numbers must be finite: %(value)s is not accepted.") % {"value": name})


def _check_json(body: bytes) -> None:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        raise _Unreadable(_("The request body is not UTF-8 text.")) from None
    _check_text(text)
    try:
        document = json.loads(text, parse_constant=_refuse_constant)
    except _Unreadable:
        raise
    except ValueError:
        return  # not JSON at all: the API says so itself, naming what it expected
    _check_value(document)


def _check_request(request: HttpRequest) -> None:
    """Raise ``_Unreadable`` when the request carries input that no database can store."""
    _check_text(request.path)
    for key, values in request.GET.lists():
        for value in (key, *values):
            _check_text(value)
    if request.method not in _WRITES:
        return
    content_type = request.content_type or ""
    if content_type in _FORM_TYPES:
        for key, values in request.POST.lists():
            for value in (key, *values):
                _check_text(value)
        return
    body = request.body
    if not body:
        return
    if request.path.startswith("/api/") and content_type != "application/json":
        # The API reads its bodies as JSON whatever the label said: a text/plain body would
        # otherwise slip past every check made on JSON.
        raise _Unreadable(
            _("Send the body as JSON, with the header “Content-Type: application/json”."), status=415
        )
    _check_json(body)


def refused_at_the_door(request: HttpRequest) -> bool:
    """Does the request carry input that no database can store?"""
    try:
        _check_request(request)
    except _Unreadable:
        return True
    return False


class RefuseUnstorableInputMiddleware:
    """Refuse, with a 4xx and a sentence, input that no database can store, before any view.

    - the NUL character (U+0000) in any text: PostgreSQL cannot store it, so it ended in a 500
      wherever it reached a query (SQLite stored it and handed it to the next reader);
    - lone surrogates ("\\ud800" in JSON), which no UTF-8 text can hold (UnicodeEncodeError);
    - whole numbers outside a 64-bit column and NaN/Infinity in JSON bodies (OverflowError);
    - API bodies not labelled ``application/json``: the API parses bodies as JSON whatever their
      label, so a ``text/plain`` body would pass unchecked.

    Query strings, form fields and bodies of every content type are checked, for pages and the API
    alike. Uploaded files are bytes, not text, and are not looked at.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            _check_request(request)
        except _Unreadable as refusal:
            error = InvalidInput(refusal.sentence)
            if request.path.startswith("/api/"):
                return JsonResponse(error.as_dict(), status=refusal.status)
            return render(request, "error.html", {"error": error}, status=refusal.status)
        return self.get_response(request)
