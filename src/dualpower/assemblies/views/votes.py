"""Pages for votes: casting one (a secret ballot's receipt is shown once) and checking a receipt."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dualpower.assemblies import processes, selectors, services
from dualpower.assemblies.models import Proposal
from dualpower.assemblies.views._common import _button, _page, _proposal
from dualpower.assemblies.views._extras import ranking_context
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
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
        raise InvalidInput(_("Give each option a different rank."))
    return [o for _r, o in sorted(ranks)]


@require_POST
@with_community
def vote(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    check(request, "assemblies.vote", proposal)
    process = processes.get(proposal.process)
    done = _("Your vote is recorded. You can change it until the vote closes.")

    def cast() -> services.Cast:
        choices: Any = None
        if process.shape in ("approval", "time"):
            choices = request.POST.getlist("choices")
        elif process.shape == "ranked":
            choices = _ranks(request, proposal)
        elif process.shape in ("score", "dots"):
            choices = {
                str(o.pk): request.POST.get(f"score_{o.pk}", "0") or "0" for o in proposal.options.all()
            }
        return services.vote_cast(
            proposal=proposal,
            by=membership_for(request.user, community),
            position=request.POST.get("position", ""),
            choices=choices,
            reason=request.POST.get("reason", ""),
            receipt=request.POST.get("receipt", ""),
        )

    def receipt_shown(result: services.Cast) -> str | HttpResponse:
        if result.vote is None:
            # A secret ballot's receipt (empty when a ballot was replaced): shown once, on this page;
            # never stored in clear nor sent by email. Its ranking likewise: once this page is sent,
            # the server cannot link the ballot to its voter.
            ranking = ranking_context(proposal, list(proposal.options.all()), result.choices, just_cast=True)
            return _page(request, proposal, receipt=result.receipt, notice=done, **ranking)
        return proposal.get_absolute_url()

    return _button(request, proposal, cast, done, success=receipt_shown)


@require_POST
@with_community
def receipt_check(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    ballot = selectors.ballot_for_receipt(proposal, request.POST.get("receipt", ""))
    found = {"check": ballot.receipt_hash[:12]} if ballot is not None else None
    return _page(request, proposal, receipt_result=found or "missing")
