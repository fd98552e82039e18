"""What every federation JSON view shares: the media type, content negotiation, and errors as JSON.

Another server reads these documents, not a person: a ``DomainError`` (an unknown community, a
malformed WebFinger resource) becomes ``{"detail", "code"}`` with its status, as the API's handler
does, instead of the error page the web middleware would render.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from dualpower.errors import DomainError

ACTIVITY_JSON = "application/activity+json"
_JSON_LIKE = ("application/activity+json", "application/ld+json", "application/json")


def json_response(data: Any, *, content_type: str = ACTIVITY_JSON, status: int = 200) -> HttpResponse:
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(),
        content_type=f"{content_type}; charset=utf-8" if content_type == "application/json" else content_type,
        status=status,
    )
    # Public documents, readable from anywhere (Mastodon serves WebFinger and actors the same way).
    response["Access-Control-Allow-Origin"] = "*"
    return response


def wants_html(request: HttpRequest) -> bool:
    """A browser (asking for HTML and for none of the JSON types) rather than a server."""
    accept = request.headers.get("Accept", "").lower()
    if any(kind in accept for kind in _JSON_LIKE):
        return False
    return "text/html" in accept


def json_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except DomainError as error:
            return json_response(error.as_dict(), content_type="application/json", status=error.status)

    return wrapper
