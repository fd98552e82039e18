"""The demo has a finished budget being carried out and one open for voting."""

from __future__ import annotations

import pytest

from dualpower.budgeting.demo import load_budgets
from dualpower.budgeting.models import Ballot, Cycle, Phase


@pytest.mark.django_db
def test_the_demo_budgets(settings: object) -> None:
    import random

    from dualpower.demo import Demo
    from dualpower.ops import demo_people

    demo: Demo = demo_people.build(rng=random.Random(7), say=lambda _: None)
    load_budgets(demo)
    finished, open_now = Cycle.objects.filter(community=demo.community).order_by("created_at", "id")
    assert finished.phase == Phase.IMPLEMENTATION and finished.results.get().selected
    assert finished.proposals.filter(updates__isnull=False).exists()
    assert open_now.phase == Phase.VOTING
    assert not Ballot.objects.filter(cycle=open_now, voter=demo.member).exists()  # left for the visitor
    assert Ballot.objects.count() >= 200
