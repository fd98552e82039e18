"""The deliberation's panel on a proposal's page: where the proposal came from."""

from __future__ import annotations

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from dualpower.assemblies.models import Proposal
from dualpower.deliberation import selectors


def started_from(proposal: Proposal, request: HttpRequest) -> SafeString | None:
    deliberation = selectors.deliberation_of_proposal(proposal_id=proposal.pk)
    if deliberation is None or not request.user.has_perm("deliberation.view", deliberation):
        return None
    return render_to_string("deliberation/_proposal_panel.html", {"deliberation": deliberation})
