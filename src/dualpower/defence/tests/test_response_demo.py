"""The demo's community defence: rotas with people on shift today, incidents only as counts (two
handled, one false alarm), an open eviction case with a vigil before its hearing, rights pages."""

from __future__ import annotations

import random
from typing import Any

import pytest
from cryptography.fernet import Fernet

from dualpower.defence.demo import load_response
from dualpower.defence.models.response import CourtDate, EvictionCase, Incident, IncidentCount, RightsPage
from dualpower.defence.selectors import response as selectors
from dualpower.ops import demo_people

pytestmark = pytest.mark.django_db


def test_the_demo_loads_community_defence(settings: Any) -> None:
    settings.DP_AID_KEY = Fernet.generate_key().decode()
    demo = demo_people.build(rng=random.Random(7), say=lambda _text: None)
    load_response(demo)
    community = demo.community
    assert not Incident.objects.filter(community=community).exists()  # forgotten: only counts
    counts = {(c.kind, c.false_alarm): c.count for c in IncidentCount.objects.filter(community=community)}
    assert counts == {("raid", False): 1, ("police_stop", False): 1, ("raid", True): 1}
    assert selectors.is_on_shift_verifier(demo.coordinator)
    open_case = EvictionCase.objects.get(community=community, status="open")
    assert CourtDate.objects.get(case=open_case).support is not None
    assert RightsPage.objects.filter(community=community).count() == 3
