"""Build budgeting worlds for tests: a cycle in any phase, with proposals on the ballot."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from dualpower.budgeting import services
from dualpower.budgeting.models import PHASE_ORDER, Cycle, Phase, Proposal
from dualpower.community.models import Community
from dualpower.members.tests.factories import CommunityFactory

EUR = 100  # cents
# The four proposals a cycle past development holds: (title, cost in EUR).
BALLOT = (("Playground", 40_000), ("Food bank", 30_000), ("Bike repair", 20_000), ("Library", 50_000))


def set_phase(cycle: Cycle, phase: str) -> Cycle:
    Cycle.objects.filter(pk=cycle.pk).update(phase=phase)
    cycle.refresh_from_db()
    return cycle


class CycleFactory(DjangoModelFactory[Cycle]):
    """A cycle of 100,000 EUR made by ``cycle_create``, put in ``phase``; from development on it
    holds the four proposals of ``BALLOT`` (A 40,000; B 30,000; C 20,000; D 50,000 EUR, numbered
    1 to 4), feasible once past feasibility."""

    class Meta:
        model = Cycle

    community = factory.SubFactory(CommunityFactory)
    title = "Neighbourhood budget 2026"
    budget = 100_000 * EUR
    phase = Phase.IDEAS

    @classmethod
    def _create(cls, model_class: type[Cycle], *args: Any, **kwargs: Any) -> Cycle:
        phase = kwargs.pop("phase")
        cycle = services.cycle_create(by=None, **kwargs)
        if PHASE_ORDER.index(phase) >= PHASE_ORDER.index(Phase.DEVELOPMENT):
            for title, cost in BALLOT:
                services.proposal_create(cycle=cycle, by=None, title=title, cost=cost * EUR)
        set_phase(cycle, phase)
        if PHASE_ORDER.index(phase) > PHASE_ORDER.index(Phase.FEASIBILITY):
            cycle.proposals.update(feasibility=Proposal.Feasibility.FEASIBLE)
        return cycle


def make_cycle(community: Community, **kwargs: Any) -> Cycle:
    """The old name, a thin wrapper over CycleFactory (fifty tests call it)."""
    return CycleFactory.create(community=community, **kwargs)
