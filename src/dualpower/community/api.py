"""API for the node and its communities: parse → check rule → call service → schema."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router

import dualpower
from dualpower.api_tools import AUTH_OPTIONAL, paginate
from dualpower.community import services
from dualpower.community.models import AuditEntry, Community
from dualpower.community.schemas import AuditEntryOut, CommunityOut, CommunityPatch, NodeOut
from dualpower.community.selectors import (
    audit_entries,
    communities_public,
    communities_visible,
    community_get,
)
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


@router.get("/communities/{slug}/audit", response=list[AuditEntryOut])
@paginate
def audit_list(request: HttpRequest, slug: str):
    community = community_get(slug=slug)
    check(request, "community.view_audit", community)
    return audit_entries(community=community)


__all__ = ["AuditEntry", "router"]
