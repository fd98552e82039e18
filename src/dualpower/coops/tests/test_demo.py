"""The demo's co-ops and land trust load through the services, deterministically."""

from __future__ import annotations

import random

import pytest

from dualpower.coops.demo import load_coops
from dualpower.coops.models import CapitalEntry, Cooperative, PatronageAllocation
from dualpower.land.demo import load_land
from dualpower.land.models import Allocation, GroundLease, Home, WaitlistApplication
from dualpower.ops import demo_people

pytestmark = pytest.mark.django_db


def test_the_demo_has_two_coops_and_a_land_trust() -> None:
    demo = demo_people.build(rng=random.Random(7), say=lambda _: None)
    load_coops(demo)
    load_land(demo)
    assert sorted(Cooperative.objects.values_list("kind", flat=True)) == ["housing", "worker"]
    assert CapitalEntry.objects.filter(kind="patronage").exists()
    assert PatronageAllocation.objects.get().status == "adopted"
    assert Home.objects.count() == 5 and GroundLease.objects.count() == 3
    assert WaitlistApplication.objects.count() == 9
    allocation = Allocation.objects.get()
    assert allocation.status == "proposed" and allocation.result["ranking"]
