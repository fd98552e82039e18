"""Reads for the node."""

from __future__ import annotations

from django.db.models import QuerySet

from dualpower.errors import NotFound
from dualpower.node.models import AuditEntry, Community


def community_get(*, slug: str) -> Community:
    try:
        return Community.objects.get(slug=slug)
    except Community.DoesNotExist:
        raise NotFound(f"There is no community “{slug}” on this node.") from None


def audit_entries(*, community: Community) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(community=community).select_related("actor")
