"""The single permission check used by API routers and views."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualpower.errors import NotAuthenticated, PermissionDenied


def check(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """Raise the DomainError that says why, unless the user has ``perm`` on ``obj``.

    401 for anonymous visitors; ``mfa_required`` (403) for a coordinator refused only because the
    node requires two-factor authentication and theirs is not set up; 403 otherwise.
    """
    if request.user.has_perm(perm, obj):
        return
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    from dualpower.members.errors import MfaRequired
    from dualpower.members.rules import has_required_mfa, is_coordinator

    if is_coordinator(request.user, obj) and not has_required_mfa(request.user, obj):
        raise MfaRequired()
    raise PermissionDenied()
