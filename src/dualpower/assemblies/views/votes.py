"""Pages for votes: casting one (a secret ballot's receipt is shown once) and checking a receipt."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualpower.assemblies import processes, selectors, services
from dualpower.assemblies.models import Proposal
from dualpower.assemblies.views._common import _page, _proposal
from dualpower.assemblies.views._extras import ranking_context
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError, InvalidInput, NotAuthenticated
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check


def _ranks(request: HttpRequest, proposal: Proposal) -> list[str]:
    """A ranked ballot from the page's rank boxes: option ids, first choice first."""
    ranks = []
    for option in proposal.options.all():
        raw = request.POST.get(f"rank_{option.pk}", "").strip()
        if raw:
            try:
                ranks.append((int(raw), str(option.pk)))
            except ValueError:
                raise InvalidInput(_("A rank is a number."), field="choices") from None
    if len({r for r, _o in ranks}) != len(ranks):
        raise InvalidInput(_("Give each option a different rank: two options have the same number."))
    return [o for _r, o in sorted(ranks)]


@require_POST
@with_community
def vote(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    check(request, "assemblies.vote", proposal)
    process = processes.get(proposal.process)
    done = _("Your vote is recorded. You can change it until the vote closes.")
    try:
        choices: Any = None
        if process.shape in ("approval", "time"):
            choices = request.POST.getlist("choices")
        elif process.shape == "ranked":
            choices = _ranks(request, proposal)
        elif process.shape in ("score", "dots"):
            choices = {
                str(o.pk): request.POST.get(f"score_{o.pk}", "0") or "0" for o in proposal.options.all()
            }
        result = services.vote_cast(
            proposal=proposal,
            by=membership_for(request.user, community),
            position=request.POST.get("position", ""),
            choices=choices,
            reason=request.POST.get("reason", ""),
            receipt=request.POST.get("receipt", ""),
        )
    except NotAuthenticated:
        raise
    except DomainError as error:
        return _again(request, proposal, error)
    if result.vote is None:
        # A secret ballot's receipt (empty when a ballot was replaced): shown once, on this page;
        # never stored in clear nor sent by email. Its ranking likewise: once this page is sent,
        # the server cannot link the ballot to its voter.
        ranking = ranking_context(proposal, list(proposal.options.all()), result.choices, just_cast=True)
        return _page(request, proposal, receipt=result.receipt, notice=done, **ranking)
    messages.success(request, done)
    return redirect(proposal.get_absolute_url())


def _again(request: HttpRequest, proposal: Proposal, error: DomainError) -> HttpResponse:
    """A refused vote: the same page, with everything the voter typed kept and the error summary at
    the top (a duplicate rank must not clear the other ranks)."""
    summary = forms.Form(data={})
    summary.is_valid()
    summary.add_error(None, error.detail)
    options = list(proposal.options.all())
    typed = {
        "position": request.POST.get("position", ""),
        "reason": request.POST.get("reason", ""),
        "choices": request.POST.getlist("choices"),
        "scores": {str(o.pk): request.POST.get(f"score_{o.pk}", "") for o in options},
    }
    ranks = [(o, request.POST.get(f"rank_{o.pk}", "").strip()) for o in options]
    page = _page(request, proposal, error_summary=summary, typed=typed, ranked_options=ranks)
    page.status_code = 400
    return page


@require_POST
@with_community
def receipt_check(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    ballot = selectors.ballot_for_receipt(proposal, request.POST.get("receipt", ""))
    found = {"check": ballot.receipt_hash[:12]} if ballot is not None else None
    return _page(request, proposal, receipt_result=found or "missing")
