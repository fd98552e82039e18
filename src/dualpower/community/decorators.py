"""Pages of a community: resolving the ``<slug:community>`` of their URL."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from dualpower.community.selectors import community_for_visitor


def with_community(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve ``<slug:community>`` in the URL into ``request.community`` (404 with a sentence),
    with the visitor's membership read in the same query (``community_for_visitor``)."""

    @wraps(view)
    def wrapper(request: HttpRequest, community: str, *args: Any, **kwargs: Any) -> HttpResponse:
        found = community_for_visitor(slug=community, user=request.user)
        request.community = found  # type: ignore[attr-defined]  # the context processor reads it
        return view(request, found, *args, **kwargs)

    return wrapper
