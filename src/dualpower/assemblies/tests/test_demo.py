"""The demo's general assembly, decisions and open proposals, built through the services."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest

from dualpower.assemblies import selectors, services
from dualpower.assemblies.demo import DECIDE_NOW, load_assemblies
from dualpower.assemblies.models import Outcome, Policy, Proposal
from dualpower.ops import demo_people

pytestmark = pytest.mark.django_db


def test_the_demo_has_decisions_with_outcomes_and_open_proposals() -> None:
    demo = demo_people.build(rng=random.Random(7), say=lambda _: None)
    load_assemblies(demo)
    garden = Outcome.objects.get(proposal__title__startswith="Turn the car park")
    assert garden.passed is False and garden.tally["counts"]["block"] == 1
    quorum = Outcome.objects.get(proposal__title__startswith="Give the general assembly a quorum")
    assert quorum.passed is True and quorum.actions_status == "done"
    assert Policy.objects.get(assembly=demo.extra["general_assembly"]).quorum == Decimal("0.2")
    assert Policy.objects.get(assembly=demo.extra["general_assembly"]).early_close is True
    assert Proposal.objects.filter(state=Proposal.State.VOTING).count() == 2
    # One open vote waits only for the coordinator: their vote, then a close, decides it at once.
    quick = Proposal.objects.get(title=DECIDE_NOW)
    assert selectors.waiting_voters(quick) == 1
    services.vote_cast(proposal=quick, by=demo.coordinator, position="agree")
    outcome = services.proposal_close_early(proposal=quick, by=demo.coordinator)
    assert outcome.passed is True and outcome.actions_status == "done"
    assert Policy.objects.get(assembly=demo.extra["general_assembly"]).discussion_days == 3
    assert Proposal.objects.filter(state=Proposal.State.DISCUSSION).count() == 1
