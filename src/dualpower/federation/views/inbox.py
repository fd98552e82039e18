"""The inboxes: the node's shared inbox and each community's. POST only, no CSRF (other servers
sign their requests instead; inbox.py verifies before anything else). The answer carries no body
beyond a short JSON reason: another server reads it, and it says nothing about our data."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from dualpower.community.selectors import community_find
from dualpower.federation import inbox
from dualpower.federation.views._responses import json_response


def _receive(request: HttpRequest, *, slug: str | None) -> HttpResponse:
    # Refuse a body announced too large before reading it; a body without (or lying about) its
    # length is read at most one byte past the limit.
    try:
        announced = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        announced = 0
    if announced > inbox.MAX_BODY:
        return json_response({"detail": "too large"}, content_type="application/json", status=413)
    community = None
    if slug is not None:
        community = community_find(slug=slug)
        if community is None:
            return json_response({"detail": "not found"}, content_type="application/json", status=404)
    body = request.read(inbox.MAX_BODY + 1)
    headers = {name.lower(): value for name, value in request.headers.items()}
    received = inbox.inbox_receive(
        method=request.method or "POST",
        path=request.get_full_path(),
        headers=headers,
        body=body,
        community=community,
    )
    return json_response({"detail": received.reason}, content_type="application/json", status=received.status)


@csrf_exempt
@require_POST
def shared_inbox(request: HttpRequest) -> HttpResponse:
    return _receive(request, slug=None)


@csrf_exempt
@require_POST
def community_inbox(request: HttpRequest, slug: str) -> HttpResponse:
    return _receive(request, slug=slug)
