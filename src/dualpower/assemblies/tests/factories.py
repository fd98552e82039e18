"""Build assemblies, proposals and voters for tests."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from dualpower.assemblies import services
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership


def general(community: Community, **policy: Any) -> Assembly:
    assembly = services.general_assembly_for(community)
    if policy:
        for key, value in policy.items():
            setattr(assembly.policy, key, value)
        assembly.policy.save()
    return assembly


def me(user: Any, community: Community) -> Membership:
    return Membership.objects.get(user=user, community=community)


def voters(community: Community, n: int, *, prefix: str = "Voter") -> list[Membership]:
    return [make_membership(community, name=f"{prefix} {i}") for i in range(n)]


def open_proposal(
    assembly: Assembly,
    author: Membership,
    *,
    title: str = "Open a tool library",
    now: datetime | None = None,
    **kwargs: Any,
) -> Proposal:
    """A proposal already open for votes."""
    proposal = services.proposal_create(assembly=assembly, by=author, title=title, now=now, **kwargs)
    if proposal.state == Proposal.State.DISCUSSION:
        services.proposal_open_voting(proposal=proposal, by=author, now=now)
    proposal.refresh_from_db()
    return proposal


def after_close(proposal: Proposal) -> datetime:
    assert proposal.voting_closes_at is not None
    return proposal.voting_closes_at + timedelta(minutes=1)


def later(days: int = 0, **kw: Any) -> datetime:
    return timezone.now() + timedelta(days=days, **kw)
