"""API for the node and its communities: parse → check rule → call service → schema."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router

import dualpower
from dualpower.api_tools import AUTH_OPTIONAL, KeysetInput, keyset_cursor, next_link, paginate
from dualpower.community import services
from dualpower.community.models import AuditEntry, Community
from dualpower.community.schemas import AuditLogOut, CommunityOut, CommunityPatch, NodeOut
from dualpower.community.selectors import (
    audit_page,
    communities_public,
    communities_visible,
    community_get,
)
from dualpower.errors import InvalidInput
from dualpower.web.permissions import check

router = Router(tags=["node"])


@router.get("/node", response=NodeOut, auth=AUTH_OPTIONAL)
def node_detail(request: HttpRequest) -> dict[str, object]:
    return {
        "software": "dualpower",
        "version": dualpower.__version__,
        "communities": list(communities_public()),
    }


@router.get("/communities", response=list[CommunityOut], auth=AUTH_OPTIONAL)
@paginate
def community_list(request: HttpRequest):
    """The communities listed publicly on this node, and any others I belong to."""
    return communities_visible(user=request.user)


@router.get("/communities/{slug}", response=CommunityOut, auth=AUTH_OPTIONAL)
def community_detail(request: HttpRequest, slug: str) -> Community:
    community = community_get(slug=slug)
    check(request, "community.view_community", community)
    return community


@router.patch("/communities/{slug}", response=CommunityOut)
def community_update(request: HttpRequest, slug: str, payload: CommunityPatch) -> Community:
    community = community_get(slug=slug)
    check(request, "community.change_community", community)
    return services.community_update(
        community=community, actor_user=request.user, **payload.dict(exclude_unset=True)
    )


class AuditQuery(KeysetInput):
    offset: str | None = None  # refused: the log is read by position (``before``), not by offset


@router.get("/communities/{slug}/audit", response=AuditLogOut)
def audit_list(request: HttpRequest, slug: str, page: Query[AuditQuery]) -> dict[str, Any]:
    """The audit log, newest first, ``limit`` entries at a time: ``next`` is the address of the
    older entries (``?before=<the last id>``), null on the last page."""
    community = community_get(slug=slug)
    check(request, "community.view_audit", community)
    if page.offset is not None:
        raise InvalidInput(
            _("The audit log is read by position, not by offset: follow “next” (before=<id>)."),
            field="offset",
        )
    found = audit_page(community=community, before=keyset_cursor(page.before), size=page.limit)
    return {"items": found.entries, "next": next_link(request, cursor="before", value=found.older)}


__all__ = ["AuditEntry", "router"]
