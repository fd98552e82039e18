"""What the proposal's page needs to offer closing a vote early (``partials/_close.html``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualpower.assemblies import selectors
from dualpower.assemblies.models import Proposal
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for


def may_close(request: HttpRequest, proposal: Proposal) -> bool:
    """Whether this reader may close the vote now (an open online vote, and the permission)."""
    if proposal.state != Proposal.State.VOTING or proposal.voting_mode != Proposal.VotingMode.ONLINE:
        return False
    return bool(request.user.has_perm("assemblies.close_proposal", proposal))


def is_coordinator(request: HttpRequest, proposal: Proposal) -> bool:
    me = membership_for(request.user, proposal.assembly.community)
    return me is not None and me.role == Membership.Role.COORDINATOR


def close_of(proposal: Proposal, *, allowed: bool, coordinator: bool) -> dict[str, Any] | None:
    """None when a reader who may (``allowed``, ``may_close``) or may not close the vote, and is or
    is not a ``coordinator``, cannot close it now; else whether everyone has voted, how many have
    not, and whether a reason is needed (closing before everyone has voted). The same for every
    reader with the same two answers: the page keeps it in a fragment keyed by them."""
    if not allowed:
        return None
    # How many have not voted, counted once: everyone has voted when none is waiting (and the
    # assembly has voters at all, asked only then).
    waiting = selectors.waiting_voters(proposal)
    if waiting == 0 and selectors.everyone_voted(proposal):
        return {"everyone_voted": True, "waiting": 0, "needs_reason": False}
    if not proposal.assembly.policy.early_close or not coordinator:
        return None
    return {"everyone_voted": False, "waiting": waiting, "needs_reason": True}


def close_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any] | None:
    """None when this reader cannot close the vote now; else what ``close_of`` says."""
    allowed = may_close(request, proposal)
    return close_of(proposal, allowed=allowed, coordinator=allowed and is_coordinator(request, proposal))
