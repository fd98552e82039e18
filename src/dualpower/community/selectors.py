"""Reads for a community and its audit log."""

from __future__ import annotations

from dataclasses import dataclass
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


AUDIT_PAGE_SIZE = 50


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit log, newest first, found by keyset: "older than entry N" or "newer
    than entry N", never "page 3". A new entry never moves the entries of a page already linked
    to, and a page deep in the log costs what the first one does (no OFFSET to walk past).

    ``older`` is the ``before`` cursor of the next older page (None on the oldest), ``newer`` the
    ``after`` cursor of the next newer page (None on the newest).
    """

    entries: list[AuditEntry]
    older: int | None
    newer: int | None


def audit_page(
    *, community: Community, before: int | None = None, after: int | None = None, size: int = AUDIT_PAGE_SIZE
) -> AuditPage:
    """The ``size`` entries just older than entry ``before`` (or just newer than entry ``after``;
    the newest without either), newest first, in one query by the index on the community and id."""
    entries = audit_entries(community=community)
    if after is not None:
        rows = list(entries.filter(pk__gt=after).order_by("pk")[: size + 1])
        more = len(rows) > size
        rows = rows[:size][::-1]
        return AuditPage(
            entries=rows,
            older=rows[-1].pk if rows else after + 1,
            newer=rows[0].pk if more else None,
        )
    if before is not None:
        entries = entries.filter(pk__lt=before)
    rows = list(entries.order_by("-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    newer = None
    if before is not None:
        newer = rows[0].pk if rows else before - 1
    return AuditPage(entries=rows, older=rows[-1].pk if more else None, newer=newer)


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
