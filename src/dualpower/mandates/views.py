"""Pages for delegates and mandates: parse → check rule → call service → template."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualpower.assemblies import selectors as assembly_selectors
from dualpower.assemblies.models import Proposal
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.mandates import selectors, services
from dualpower.mandates.forms import MandateDraftForm
from dualpower.mandates.models import DelegateSeat
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action
from dualpower.web.pages import page_of
from dualpower.web.permissions import check

GET = ["GET", "HEAD"]


@require_http_methods(GET)
@with_community
def delegate_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "mandates.view_delegates", community)
    # Two lists that grow with the community, each paged by its own parameter (web.pages).
    seats = page_of(
        lambda limit, offset: selectors.council_seats_page(community=community, limit=limit, offset=offset),
        raw=request.GET.get("seats"),
    )
    breaches = page_of(
        lambda limit, offset: selectors.breaches_page(community=community, limit=limit, offset=offset),
        raw=request.GET.get("breaches"),
    )
    return render(
        request,
        "mandates/list.html",
        {
            "councils": list(selectors.spokescouncils_of(community=community)),
            "seats": seats.rows,
            "seats_page": seats,
            "proposals": list(selectors.open_spokescouncil_proposals(community=community)),
            "breaches": breaches.rows,
            "breaches_page": breaches,
            "senders": selectors.sending_assemblies(community=community),
        },
    )


@require_http_methods(GET)
@with_community
def assembly_delegates(request: HttpRequest, community: Community, assembly: str) -> HttpResponse:
    check(request, "mandates.view_delegates", community)
    body = selectors.assembly_get(community=community, slug=assembly)
    # Four lists that grow with the assembly's history, each paged by its own parameter (web.pages).
    received = page_of(
        lambda limit, offset: selectors.seats_page(
            community=community, receiving=body, limit=limit, offset=offset
        ),
        raw=request.GET.get("seats"),
    )
    sent = page_of(
        lambda limit, offset: selectors.seats_page(
            community=community, sending=body, status=None, limit=limit, offset=offset
        ),
        raw=request.GET.get("sent"),
    )
    mandates = page_of(
        lambda limit, offset: selectors.mandates_page(
            community=community, sending=body, limit=limit, offset=offset
        ),
        raw=request.GET.get("mandates"),
    )
    breaches = page_of(
        lambda limit, offset: selectors.breaches_page(
            community=community, sending=body, limit=limit, offset=offset
        ),
        raw=request.GET.get("breaches"),
    )
    return render(
        request,
        "mandates/assembly.html",
        {
            "assembly": body,
            "sent": sent.rows,
            "sent_page": sent,
            "received": received.rows,
            "received_page": received,
            "mandates": mandates.rows,
            "mandates_page": mandates,
            "breaches": breaches.rows,
            "breaches_page": breaches,
            "can_draft": body.kind not in services.RECEIVING_KINDS
            and request.user.has_perm("mandates.draft_mandate", body),
        },
    )


@require_http_methods(GET)
@with_community
def seat_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "mandates.view_delegates", community)
    seat = selectors.seat_get(community=community, pk=pk)
    # A long-serving delegate's mandates and breaches grow: each list a page at a time (web.pages).
    mandates = page_of(
        lambda limit, offset: list(selectors.mandates_for_seat(seat)[offset : offset + limit]),
        raw=request.GET.get("mandates"),
    )
    breaches = page_of(
        lambda limit, offset: selectors.seat_breaches_page(seat=seat, limit=limit, offset=offset),
        raw=request.GET.get("breaches"),
    )
    return render(
        request,
        "mandates/seat.html",
        {
            "seat": seat,
            "mandates": mandates.rows,
            "mandates_page": mandates,
            "breaches": breaches.rows,
            "breaches_page": breaches,
            "decision": _decision(community, seat.decision_ref),
            "may_propose_recall": seat.status == DelegateSeat.Status.SEATED
            and request.user.has_perm("assemblies.propose", seat.sending),
        },
    )


@require_http_methods(GET)
@with_community
def proposal_mandates(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "mandates.view_mandates", community)
    proposal = selectors.proposal_get(community=community, pk=pk)
    return render(
        request,
        "mandates/proposal.html",
        {
            "proposal": proposal,
            "rows": selectors.mandates_for_proposal(proposal),
            "secret": proposal.is_secret,
            "votes_shown": proposal.state in {Proposal.State.VOTING, Proposal.State.CLOSED},
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def mandate_draft(request: HttpRequest, community: Community, assembly: str) -> HttpResponse:
    check(request, "mandates.view_delegates", community)
    sending = selectors.assembly_get(community=community, slug=assembly)
    check(request, "mandates.draft_mandate", sending)
    receiving_ids = selectors.seats_of(community=community, sending=sending).values("receiving_id")
    proposals = list(
        selectors.open_spokescouncil_proposals(community=community).filter(assembly_id__in=receiving_ids)
    )
    initial = {"proposal": request.GET.get("proposal")}
    form = MandateDraftForm(request.POST or None, initial=initial, proposals=proposals)
    return form_action(
        request,
        form=form,
        run=lambda data: services.mandate_draft(
            sending=sending,
            proposal=selectors.proposal_get(community=community, pk=data["proposal"]),
            position=data["position"],
            note=data["note"],
            expires_at=form.expires_at(),
            by=membership_for(request.user, community),
        ),
        success=reverse("mandates:assembly", args=[community.slug, sending.slug]),
        message=_("The mandate is drafted. It binds the delegates once %(name)s decides it.")
        % {"name": sending.name},
        template="mandates/draft.html",
        context={"sending": sending, "no_proposals": not proposals},
    )


def _decision(community: Community, ref: str) -> Proposal | None:
    """The proposal a decision reference ("proposal:12") names, to link to it by its title."""
    _kind, _sep, raw = (ref or "").partition(":")
    if not raw.isdigit():
        return None
    return assembly_selectors.proposals_of(community=community).filter(pk=int(raw)).first()
