"""The single permission check used by API routers and views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualpower.errors import NotAuthenticated, PermissionDenied


def check(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """Raise NotAuthenticated (401) or PermissionDenied (403) unless the user has ``perm`` on ``obj``."""
    if request.user.has_perm(perm, obj):
        return
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    raise PermissionDenied()
