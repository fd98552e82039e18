"""Pages of a community: resolving the ``<slug:community>`` of their URL."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from dualpower.community.selectors import community_get


def with_community(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve ``<slug:community>`` in the URL into ``request.community`` (404 with a sentence)."""

    @wraps(view)
    def wrapper(request: HttpRequest, community: str, *args: Any, **kwargs: Any) -> HttpResponse:
        found = community_get(slug=community)
        request.community = found  # type: ignore[attr-defined]  # the context processor reads it
        return view(request, found, *args, **kwargs)

    return wrapper
