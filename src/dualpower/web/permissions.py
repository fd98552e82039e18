"""The single permission check used by API routers and views.

It knows no app: an app that can say more precisely why a permission is refused registers a
``Refusal`` with ``register_refusal`` (members does, for coordinators who must first set up
two-factor authentication).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from dualpower.errors import DomainError, NotAuthenticated, PermissionDenied

# ``refusal(user, obj)``: the error that says why ``user`` is refused on ``obj``, or None.
Refusal = Callable[[Any, Any], DomainError | None]
_refusals: list[Refusal] = []


def register_refusal(refusal: Refusal) -> None:
    if refusal not in _refusals:
        _refusals.append(refusal)


def check(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """Raise the DomainError that says why, unless the user has ``perm`` on ``obj``.

    401 for anonymous visitors; a registered refusal's own error when one applies (such as
    ``mfa_required``, 403, for a coordinator refused only because the node requires two-factor
    authentication and theirs is not set up); 403 otherwise.
    """
    if request.user.has_perm(perm, obj):
        return
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    for refusal in _refusals:
        error = refusal(request.user, obj)
        if error is not None:
            raise error
    raise PermissionDenied()
