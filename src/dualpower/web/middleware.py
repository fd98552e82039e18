"""Cross-cutting HTTP behaviour: the Content-Security-Policy header and domain errors on pages."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dualpower.errors import DomainError, NotAuthenticated

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
        is_htmx = bool(request.headers.get("HX-Request"))
        if isinstance(exception, NotAuthenticated) and request.method == "GET" and not is_htmx:
            return redirect_to_login(request.get_full_path())
        if request.headers.get("HX-Request"):
            return render(request, "partials/_error.html", {"error": exception}, status=exception.status)
        messages.error(request, exception.detail)
        return render(request, "error.html", {"error": exception}, status=exception.status)
