"""Build budgeting worlds for tests: a cycle in any phase, with proposals on the ballot."""

from __future__ import annotations

from typing import Any

from dualpower.budgeting import services
from dualpower.budgeting.models import PHASE_ORDER, Cycle, Phase, Proposal
from dualpower.community.models import Community
from dualpower.members.models import Membership

EUR = 100  # cents


def membership_of(user: Any, community: Community) -> Membership:
    return Membership.objects.get(user=user, community=community)


def make_cycle(community: Community, *, phase: str = Phase.IDEAS, **kwargs: Any) -> Cycle:
    """A cycle of 100,000 EUR; with ``phase`` at voting or later it has four feasible proposals
    (A 40,000; B 30,000; C 20,000; D 50,000 EUR) numbered 1 to 4."""
    options: dict[str, Any] = {"title": "Neighbourhood budget 2026", "budget": 100_000 * EUR, **kwargs}
    cycle = services.cycle_create(community=community, by=None, **options)
    if PHASE_ORDER.index(phase) >= PHASE_ORDER.index(Phase.DEVELOPMENT):
        for title, cost in (
            ("Playground", 40_000),
            ("Food bank", 30_000),
            ("Bike repair", 20_000),
            ("Library", 50_000),
        ):
            services.proposal_create(cycle=cycle, by=None, title=title, cost=cost * EUR)
    Cycle.objects.filter(pk=cycle.pk).update(phase=phase)
    cycle.refresh_from_db()
    if PHASE_ORDER.index(phase) > PHASE_ORDER.index(Phase.FEASIBILITY):
        cycle.proposals.update(feasibility=Proposal.Feasibility.FEASIBLE)
    return cycle


def set_phase(cycle: Cycle, phase: str) -> Cycle:
    Cycle.objects.filter(pk=cycle.pk).update(phase=phase)
    cycle.refresh_from_db()
    return cycle
