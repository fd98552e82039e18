"""The demo has a spokescouncil with mandated delegates and a panel drawn by lot."""

from __future__ import annotations

import random

import pytest

from dualpower.assemblies import bodies
from dualpower.assemblies.models import Assembly
from dualpower.mandates.demo import load_delegates
from dualpower.mandates.models import DelegateSeat, Mandate, MandateBreach
from dualpower.ops import demo_people
from dualpower.panels.demo import load_panels
from dualpower.panels.models import Panel

pytestmark = pytest.mark.django_db


def test_the_demo_has_delegates_mandates_and_a_drawn_panel() -> None:
    # Only the loaders this test is about, for speed (tests/test_demo.py loads everything).
    loaded = demo_people.build(rng=random.Random(7), say=lambda _: None)
    for loader in (load_delegates, load_panels):
        loader(loaded)
    council = Assembly.objects.get(community=loaded.community, kind=Assembly.Kind.SPOKESCOUNCIL)
    assert bodies.voters_of(council).count() >= 3
    elected = DelegateSeat.objects.filter(receiving=council, elected_by__isnull=False)
    assert elected.count() == 2 and all(s.decision_ref.startswith("proposal:") for s in elected)
    assert Mandate.objects.filter(status="in_force").count() == 1
    assert MandateBreach.objects.count() == 1
    panel = Panel.objects.get(community=loaded.community, state=Panel.State.DRAWN)
    assert panel.volunteers.filter(selected=True).count() == 8
    assert panel.seed_announced_at is not None and panel.drawn_at is not None
    assert panel.seed_announced_at <= panel.drawn_at
    assert Panel.objects.filter(community=loaded.community, state=Panel.State.OPEN).exists()
