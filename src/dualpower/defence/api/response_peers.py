"""API for the intake ban list and for sharing know-your-rights pages with peer communities:
parse → check rule → call service → schema, as the pages do (views/response_bans.py,
views/response_cases.py).

The ban list keeps its privacy here too: a caller's number is taken once, to ban it, and stored
only as a keyed hash (services/response_bans.py); a ban is shown as "a caller's number" and never
with the number or its hash, so nothing the API answers can be matched against a phone bill.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from dualpower.api_tools import AUTH_OPTIONAL
from dualpower.defence.api.response import acting_member, community_checked
from dualpower.defence.models.response import ReporterBan, RightsPage
from dualpower.defence.selectors import response as selectors
from dualpower.defence.services import response_bans as bans
from dualpower.defence.services import response_rights as rights
from dualpower.defence.services.response_rights import LANGUAGES
from dualpower.errors import InvalidInput, NotFound
from dualpower.members import selectors as member_selectors

router = Router(tags=["community defence"])

BASE = "/communities/{slug}/defence"


class ReporterBanIn(Schema):
    """Exactly one of the three: a member, a caller's number, or the code of a report."""

    member: int | None = Field(None, description="A member of this community (their id).")
    number: str = Field("", description="A caller's number: kept only as a keyed hash, never shown.")
    code: str = Field("", description="The code of a report: whoever filed or phoned it in is banned.")


class ReporterBanOut(Schema):
    id: int
    reporter: str = Field(description='"member" or "caller" (a number, kept only as a keyed hash).')
    member: int | None = None
    member_name: str | None = None
    created_at: dt.datetime


class RightsShareIn(Schema):
    language: str = Field(description="The language of the page to share (or stop sharing).")
    shared: bool


class RightsPageOut(Schema):
    slug: str
    language: str
    title: str
    shared: bool
    updated_at: dt.datetime
    origin_name: str = Field("", description="The peer community it was adopted from, if any.")
    origin_version: int | None = None


class RightsFromPeerOut(Schema):
    id: int
    title: str
    language: str
    origin_name: str
    version: int
    adopted_version: int | None = Field(None, description="The version we adopted, if we did.")


def _ban_view(ban: ReporterBan) -> dict[str, Any]:
    member = ban.membership
    return {
        "id": ban.pk,
        "reporter": "member" if member is not None else "caller",
        "member": member.pk if member is not None else None,
        "member_name": member.display_name if member is not None else None,
        "created_at": ban.created_at,
    }


def _page_view(page: RightsPage) -> dict[str, Any]:
    return {
        "slug": page.slug,
        "language": page.language,
        "title": page.title,
        "shared": page.shared,
        "updated_at": page.updated_at,
        "origin_name": page.origin_name,
        "origin_version": page.origin_version,
    }


# --- the ban list (coordinators) ---


@router.get(BASE + "/bans", response=list[ReporterBanOut])
def ban_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    community = community_checked(request, slug, "defence.ban_reporters")
    return [_ban_view(b) for b in selectors.bans_of(community=community)[:500]]


@router.post(BASE + "/bans", response={201: ReporterBanOut})
def ban_add(request: HttpRequest, slug: str, payload: ReporterBanIn) -> Status[dict[str, Any]]:
    community = community_checked(request, slug, "defence.ban_reporters")
    member = None
    if payload.member is not None:
        member = member_selectors.membership_find(community=community, pk=payload.member)
        if member is None:
            raise InvalidInput(_("Choose a member of this community."), field="member")
    made = bans.reporter_ban(
        community=community,
        by=acting_member(request, community),
        membership=member,
        number=payload.number,
        incident_code=payload.code,
    )
    return Status(201, _ban_view(made))


@router.delete(BASE + "/bans/{ban_id}", response={204: None})
def ban_remove(request: HttpRequest, slug: str, ban_id: int) -> Any:
    community = community_checked(request, slug, "defence.ban_reporters")
    found = selectors.ban_get(community=community, pk=ban_id)
    if found is None:
        raise NotFound(_("No such ban."))
    bans.reporter_unban(ban=found, by=acting_member(request, community))
    return Status(204, None)


# --- know-your-rights pages and peers ---


@router.get(BASE + "/rights", response=list[RightsPageOut], auth=AUTH_OPTIONAL)
def rights_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    community = community_checked(request, slug, "defence.view_rights")
    return [_page_view(p) for p in selectors.rights_pages(community=community)[:500]]


@router.post(BASE + "/rights/{page_slug}/share", response=RightsPageOut)
def rights_share(request: HttpRequest, slug: str, page_slug: str, payload: RightsShareIn) -> dict[str, Any]:
    """Share a page, in one language, with peer communities through the knowledge commons, or stop."""
    community = community_checked(request, slug, "defence.share_rights")
    if payload.language not in LANGUAGES:
        raise InvalidInput(_("Choose the page's language."), field="language")
    page = selectors.rights_page(community=community, slug=page_slug, language=payload.language)
    if page is None or page.language != payload.language:
        raise NotFound(_("No such page."))
    done = rights.rights_page_share(page=page, by=acting_member(request, community), shared=payload.shared)
    return _page_view(done)


@router.get(BASE + "/rights/from-peers", response=list[RightsFromPeerOut], auth=AUTH_OPTIONAL)
def rights_from_peers(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    community = community_checked(request, slug, "defence.view_rights")
    return [
        {
            "id": p.received.pk,
            "title": p.received.title,
            "language": p.received.language,
            "origin_name": p.received.origin_name,
            "version": p.received.version,
            "adopted_version": p.adopted_version,
        }
        for p in selectors.rights_from_peers(community=community)
    ]


@router.post(BASE + "/rights/from-peers/{received_id}/adopt", response={201: RightsPageOut})
def rights_adopt(request: HttpRequest, slug: str, received_id: int) -> Status[dict[str, Any]]:
    """Make a page a peer shared with us one of ours (the defence working group)."""
    community = community_checked(request, slug, "defence.edit_rights")
    received = selectors.right_from_peer(community=community, pk=received_id)
    if received is None:
        raise NotFound(_("No such page."))
    page = rights.rights_page_adopt(
        community=community, by=acting_member(request, community), received=received
    )
    return Status(201, _page_view(page))
