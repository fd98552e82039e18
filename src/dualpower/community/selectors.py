"""Reads for a community and its audit log."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from dualpower.community import hooks
from dualpower.community.models import AuditEntry, Community
from dualpower.errors import NotFound


def community_get(*, slug: str) -> Community:
    try:
        return Community.objects.get(slug=slug)
    except Community.DoesNotExist:
        raise NotFound(f"There is no community “{slug}” on this node.") from None


def community_find(*, slug: str) -> Community | None:
    """The community called ``slug`` on this node, or None (``community_get`` raises instead)."""
    return Community.objects.filter(slug=slug).first()


def communities_all() -> QuerySet[Community]:
    """Every community on this node, by name."""
    return Community.objects.all()


def communities_public() -> QuerySet[Community]:
    """The communities listed on the node's front page."""
    return Community.objects.filter(is_public=True)


def communities_visible(*, user: Any) -> QuerySet[Community]:
    """Public communities, and those ``user`` is an active member of."""
    from django.db.models import Q

    if user is None or not user.is_authenticated:
        return Community.objects.filter(is_public=True)
    mine = Q(memberships__user=user, memberships__status="active")
    return Community.objects.filter(Q(is_public=True) | mine).distinct()


def audit_entries(*, community: Community) -> QuerySet[AuditEntry]:
    return hooks.audit_view(AuditEntry.objects.filter(community=community).select_related("actor"))


def audit_entries_as_stored(*, community: Community) -> QuerySet[AuditEntry]:
    """The entries as they were written, before any view of them (redactions) is applied: for the
    services that maintain those views."""
    return AuditEntry.objects.filter(community=community)


def audit_entries_by(*, user: Any) -> QuerySet[AuditEntry]:
    """What ``user`` did, across communities, oldest first: the entries whose actor is one of
    their memberships (for the export of their data)."""
    return AuditEntry.objects.filter(actor__user=user).select_related("community").order_by("created_at")


def community_overview(*, community: Community, latest: int = 5) -> dict[str, Any]:
    """Counts for the dashboard (active members and working groups, registered by their apps in
    ``hooks.register_overview_count``) and the latest audit entries."""
    return {
        **hooks.overview_counts(community),
        "latest_entries": list(audit_entries(community=community)[:latest]),
    }
