"""Who someone is in a community: the one lookup every permission predicate starts from."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualpower.community.models import Community
from dualpower.community.selectors import KNOWN_MEMBERSHIPS, active_membership
from dualpower.errors import NotAuthenticated, PermissionDenied
from dualpower.members.models import Membership, User

# Shared with the community's own read: a page that resolved its community with
# ``community_for_visitor`` has left the visitor's membership here already.
_CACHE_ATTR = KNOWN_MEMBERSHIPS


def signed_in(request: HttpRequest) -> User:
    """The account of a request that must be signed in (behind ``login_required``, an API
    endpoint that requires authentication, or a rule only members pass); 401 otherwise."""
    user = request.user
    if not isinstance(user, User):
        raise NotAuthenticated()
    return user


def membership_for(user: Any, community: Community | None) -> Membership | None:
    """The active membership of ``user`` in ``community``, or None (anonymous, applicant, outsider).

    Cached on the user object, which Django creates anew for every request, so a page that checks
    twenty permissions runs one query.
    """
    if community is None or user is None or not getattr(user, "is_authenticated", False):
        return None
    cache: dict[int, Membership | None] | None = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    if community.pk not in cache:
        cache[community.pk] = active_membership(community=community, user_id=user.pk)
    return cache[community.pk]


def membership_required(user: Any, community: Community) -> Membership:
    """The active membership of ``user`` in ``community``, for a step that a permission check has
    already reserved for members; 403 if there is none after all."""
    membership = membership_for(user, community)
    if membership is None:
        raise PermissionDenied()
    return membership


def forget_memberships(user: Any) -> None:
    """Drop the cache after a service changes someone's membership within the same request."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)
