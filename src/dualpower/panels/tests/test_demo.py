"""The demo has a spokescouncil with mandated delegates and a panel drawn by lot."""

from __future__ import annotations

import pytest

from dualpower.assemblies import bodies
from dualpower.assemblies.models import Assembly
from dualpower.mandates.models import DelegateSeat, Mandate, MandateBreach
from dualpower.ops.demo import demo_load
from dualpower.panels.models import Panel

pytestmark = pytest.mark.django_db


def test_the_demo_has_delegates_mandates_and_a_drawn_panel() -> None:
    loaded = demo_load(seed=7, say=lambda _: None)
    council = Assembly.objects.get(community=loaded.community, kind=Assembly.Kind.SPOKESCOUNCIL)
    assert bodies.voters_of(council).count() >= 3
    elected = DelegateSeat.objects.filter(receiving=council, elected_by__isnull=False)
    assert elected.count() == 2 and all(s.decision_ref.startswith("proposal:") for s in elected)
    assert Mandate.objects.filter(status="in_force").count() == 1
    assert MandateBreach.objects.count() == 1
    panel = Panel.objects.get(community=loaded.community, state=Panel.State.DRAWN)
    assert panel.volunteers.filter(selected=True).count() == 8
    assert panel.seed_announced_at <= panel.drawn_at  # type: ignore[operator]
    assert Panel.objects.filter(community=loaded.community, state=Panel.State.OPEN).exists()
