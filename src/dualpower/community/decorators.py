"""Pages of a community: resolving the ``<slug:community>`` of their URL."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.functional import LazyObject, empty

from dualpower.community.selectors import community_for_visitor


def with_community(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Resolve ``<slug:community>`` in the URL into ``request.community`` (404 with a sentence),
    with the visitor's membership read in the same query (``community_for_visitor``)."""

    @wraps(view)
    def wrapper(request: HttpRequest, community: str, *args: Any, **kwargs: Any) -> HttpResponse:
        found = community_for_visitor(slug=community, user=_account(request))
        request.community = found  # type: ignore[attr-defined]  # the context processor reads it
        return view(request, found, *args, **kwargs)

    return wrapper


def _account(request: HttpRequest) -> Any:
    """``request.user``, no longer behind Django's lazy wrapper: every page of a community needs
    the visitor's account (their membership is read with the community), and each of the dozens
    of reads a page makes of it (each permission check asks several) went through the wrapper's
    attribute lookup, which costs several times a plain one."""
    user = request.user
    if isinstance(user, LazyObject):
        if user._wrapped is empty:
            user._setup()
        user = user._wrapped
        request.user = user
    return user
