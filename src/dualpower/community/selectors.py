"""Reads for a community and its audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dualpower.community.models import AuditEntry, Community
from dualpower.errors import NotFound


def community_get(*, slug: str) -> Community:
    try:
        return Community.objects.get(slug=slug)
    except Community.DoesNotExist:
        raise NotFound(f"There is no community “{slug}” on this node.") from None


def communities_visible(*, user: Any) -> QuerySet[Community]:
    """Public communities, and those ``user`` is an active member of."""
    from django.db.models import Q

    if user is None or not user.is_authenticated:
        return Community.objects.filter(is_public=True)
    mine = Q(memberships__user=user, memberships__status="active")
    return Community.objects.filter(Q(is_public=True) | mine).distinct()


def audit_entries(*, community: Community) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(community=community).select_related("actor")


def community_overview(*, community: Community, latest: int = 5) -> dict[str, Any]:
    """Counts for the dashboard: active members, working groups, the latest audit entries."""
    from dualpower.groups.models import WorkingGroup
    from dualpower.members.models import Membership

    return {
        "member_count": Membership.objects.filter(
            community=community, status=Membership.Status.ACTIVE
        ).count(),
        "group_count": WorkingGroup.objects.filter(community=community).count(),
        "latest_entries": list(audit_entries(community=community)[:latest]),
    }
