"""The demo's shifts, built through the services."""

from __future__ import annotations

import random

import pytest

from dualpower.activities.demo import load_activities
from dualpower.activities.models import RoleGrant, Series, SignUp
from dualpower.ops import demo_people

pytestmark = pytest.mark.django_db


def test_the_demo_has_shifts_and_a_trust_role() -> None:
    demo = demo_people.build(rng=random.Random(7), say=lambda _: None)
    load_activities(demo)
    titles = set(Series.objects.filter(community=demo.community).values_list("title", flat=True))
    assert titles == {"Saturday food distribution", "Tenants' clinic", "Accompaniment rota"}
    assert SignUp.objects.filter(activity__series__title="Saturday food distribution").count() >= 5
    assert SignUp.objects.filter(slot__required_role__isnull=False).count() == 1
    assert RoleGrant.objects.count() == 3
