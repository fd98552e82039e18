"""What the proposal's page needs to offer closing a vote early (``partials/_close.html``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualpower.assemblies import selectors
from dualpower.assemblies.models import Proposal
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for


def close_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any] | None:
    """None when this reader cannot close the vote now; else whether everyone has voted, how many
    have not, and whether a reason is needed (closing before everyone has voted)."""
    if proposal.state != Proposal.State.VOTING or proposal.voting_mode != Proposal.VotingMode.ONLINE:
        return None
    if not request.user.has_perm("assemblies.close_proposal", proposal):
        return None
    # How many have not voted, counted once: everyone has voted when none is waiting (and the
    # assembly has voters at all, asked only then).
    waiting = selectors.waiting_voters(proposal)
    if waiting == 0 and selectors.everyone_voted(proposal):
        return {"everyone_voted": True, "waiting": 0, "needs_reason": False}
    me = membership_for(request.user, proposal.assembly.community)
    if not proposal.assembly.policy.early_close or me is None or me.role != Membership.Role.COORDINATOR:
        return None
    return {"everyone_voted": False, "waiting": waiting, "needs_reason": True}
