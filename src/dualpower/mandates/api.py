"""API for delegates: parse → check rule → call service → schema.

Paths live under /communities/{slug}/delegates/...; seating, recall and mandates in force happen
through decisions (proposal actions), so the API reads them and only drafts mandates.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from dualpower.api_tools import AUTH_OPTIONAL, paginate
from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.mandates import selectors, services
from dualpower.mandates.models import DelegateSeat, Mandate
from dualpower.mandates.schemas import BreachOut, MandateDraftIn, MandateOut, MandateRowOut, SeatOut
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check

router = Router(tags=["delegates"])

BASE = "/communities/{slug}/delegates"


class SeatQuery(Schema):
    sending: str | None = None
    receiving: str | None = None
    status: DelegateSeat.Status | None = DelegateSeat.Status.SEATED


class MandateQuery(Schema):
    proposal: int | None = None
    sending: str | None = None


SEAT_QUERY = Query(...)
MANDATE_QUERY = Query(...)


def _community(request: HttpRequest, slug: str, perm: str) -> Community:
    community = community_get(slug=slug)
    check(request, perm, community)
    return community


@router.get(BASE + "/seats", response=list[SeatOut], auth=AUTH_OPTIONAL)
@paginate
def seat_list(request: HttpRequest, slug: str, filters: SeatQuery = SEAT_QUERY) -> Any:
    community = _community(request, slug, "mandates.view_delegates")
    sending = selectors.assembly_get(community=community, slug=filters.sending) if filters.sending else None
    receiving = (
        selectors.assembly_get(community=community, slug=filters.receiving) if filters.receiving else None
    )
    return selectors.seats_of(
        community=community, sending=sending, receiving=receiving, status=filters.status or None
    )


@router.get(BASE + "/seats/{seat_id}", response=SeatOut, auth=AUTH_OPTIONAL)
def seat_detail(request: HttpRequest, slug: str, seat_id: int) -> DelegateSeat:
    community = _community(request, slug, "mandates.view_delegates")
    return selectors.seat_get(community=community, pk=seat_id)


@router.get(BASE + "/mandates", response=list[MandateOut], auth=AUTH_OPTIONAL)
@paginate
def mandate_list(request: HttpRequest, slug: str, filters: MandateQuery = MANDATE_QUERY) -> Any:
    community = _community(request, slug, "mandates.view_mandates")
    proposal = selectors.proposal_get(community=community, pk=filters.proposal) if filters.proposal else None
    sending = selectors.assembly_get(community=community, slug=filters.sending) if filters.sending else None
    return selectors.mandates_of(community=community, proposal=proposal, sending=sending)


@router.post(BASE + "/mandates", response={201: MandateOut})
def mandate_draft(request: HttpRequest, slug: str, payload: MandateDraftIn) -> Status[Mandate]:
    community = _community(request, slug, "mandates.view_mandates")
    sending = selectors.assembly_get(community=community, slug=payload.sending)
    check(request, "mandates.draft_mandate", sending)
    mandate = services.mandate_draft(
        sending=sending,
        proposal=selectors.proposal_get(community=community, pk=payload.proposal),
        position=payload.position,
        note=payload.note,
        expires_at=payload.expires_at,
        by=membership_for(request.user, community),
    )
    return Status(201, mandate)


@router.get(BASE + "/proposals/{proposal_id}", response=list[MandateRowOut], auth=AUTH_OPTIONAL)
def proposal_mandates(request: HttpRequest, slug: str, proposal_id: int) -> Any:
    community = _community(request, slug, "mandates.view_mandates")
    proposal = selectors.proposal_get(community=community, pk=proposal_id)
    return selectors.mandates_for_proposal(proposal)


@router.get(BASE + "/breaches", response=list[BreachOut], auth=AUTH_OPTIONAL)
@paginate
def breach_list(request: HttpRequest, slug: str) -> Any:
    community = _community(request, slug, "mandates.view_mandates")
    return selectors.breaches_of(community=community)
