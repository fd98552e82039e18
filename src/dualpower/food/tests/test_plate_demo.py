"""The demo's food distribution: built through the services, after the gardens and the ledger."""

from __future__ import annotations

import random

import pytest

from dualpower.aid.demo import load_aid
from dualpower.food.demo_plate import load
from dualpower.food.models.plate import Allocation, PledgeRound, ShareCycle
from dualpower.ledger.demo import load_ledger
from dualpower.ops import demo_people

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_running_cycle_two_rounds_and_a_written_week() -> None:
    demo = demo_people.build(rng=random.Random(7), say=lambda _s: None)
    load_aid(demo)
    load_ledger(demo)
    load(demo)
    cycle = ShareCycle.objects.get(community=demo.community)
    assert cycle.status == ShareCycle.Status.RUNNING
    assert list(cycle.rounds.values_list("status", flat=True)) == [
        PledgeRound.Status.SHORT,
        PledgeRound.Status.REACHED,
    ]
    written = Allocation.objects.get(community=demo.community)
    assert written.status == Allocation.Status.WRITTEN
    assert {"aid", "share", "pantry"} <= set(written.lines.values_list("destination", flat=True))
