"""The single permission check used by API routers and views.

It knows no app: an app that can say more precisely why a permission is refused registers a
``Refusal`` with ``register_refusal`` (members does, for coordinators who must first set up
two-factor authentication).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest

from dualpower.errors import DomainError, NotAuthenticated, PermissionDenied

# ``refusal(user, obj)``: the error that says why ``user`` is refused on ``obj``, or None.
Refusal = Callable[[Any, Any], DomainError | None]
_refusals: list[Refusal] = []


def register_refusal(refusal: Refusal) -> None:
    if refusal not in _refusals:
        _refusals.append(refusal)


# The node's authentication backends (settings.AUTHENTICATION_BACKENDS): of these only the rules
# answer for an object; Django's ModelBackend (and allauth's, built on it) give no permission on one.
_OBJECT_RULES_ONLY = (
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
)


def may(user: Any, perm: str, obj: Any = None) -> bool:
    """``user.has_perm(perm, obj)``, asking the rules directly when that is all Django would ask:
    an object given and the node's own backends. Django loads (imports and instantiates) every
    backend on each call, about half of what a menu of a dozen links cost in permission checks."""
    if obj is None or tuple(settings.AUTHENTICATION_BACKENDS) != _OBJECT_RULES_ONLY:
        return bool(user.has_perm(perm, obj))
    # Django's own first answer (auth.models.PermissionsMixin.has_perm), then the rules' backend's.
    if user.is_active and user.is_superuser:
        return True
    try:
        return bool(rules.has_perm(perm, user, obj))
    except DjangoPermissionDenied:  # as Django: a backend that refuses outright says no
        return False


def check(request: HttpRequest, perm: str, obj: Any = None) -> None:
    """Raise the DomainError that says why, unless the user has ``perm`` on ``obj``.

    401 for anonymous visitors; a registered refusal's own error when one applies (such as
    ``mfa_required``, 403, for a coordinator refused only because the node requires two-factor
    authentication and theirs is not set up); 403 otherwise.
    """
    if may(request.user, perm, obj):
        return
    if not request.user.is_authenticated:
        raise NotAuthenticated()
    for refusal in _refusals:
        error = refusal(request.user, obj)
        if error is not None:
            raise error
    raise PermissionDenied()
