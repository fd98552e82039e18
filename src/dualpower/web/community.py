"""Resolving the community a page belongs to and checking permissions in views."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse

from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.web.permissions import check


def with_community(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve ``<slug:community>`` in the URL into ``request.community`` (404 with a sentence)."""

    @wraps(view)
    def wrapper(request: HttpRequest, community: str, *args: Any, **kwargs: Any) -> HttpResponse:
        request.community = community_get(slug=community)  # type: ignore[attr-defined]
        return view(request, request.community, *args, **kwargs)  # type: ignore[attr-defined]

    return wrapper


require_perm = check


def current_community(request: HttpRequest) -> Community | None:
    return getattr(request, "community", None)
