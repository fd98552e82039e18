"""What the learn app's pages share."""

from __future__ import annotations

from django.http import HttpRequest

from dualpower.community.models import Community
from dualpower.errors import PermissionDenied
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for


def me(request: HttpRequest, community: Community) -> Membership:
    """The visitor's membership (the permission check ran first, so there is one)."""
    membership = membership_for(request.user, community)
    if membership is None:
        raise PermissionDenied()
    return membership


def before(request: HttpRequest) -> int | None:
    value = request.GET.get("before", "")
    return int(value) if value.isdigit() and len(value) < 12 else None


def picked_id(value: object) -> int | None:
    text = str(value or "").strip()
    return int(text) if text.isdigit() and len(text) < 12 else None
