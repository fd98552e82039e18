"""The demo's clinic day, warm line, crisis team, supplies and referrals, built through the services."""

from __future__ import annotations

import random

import pytest

from dualpower.activities.demo import load_activities
from dualpower.care.demo import load_clinics
from dualpower.care.models.clinics import CareRota, ClinicDay, CrisisCall, QueueEntry, Referral, WarmLineCall
from dualpower.care.selectors import clinics as selectors
from dualpower.inventory.models import Lot
from dualpower.ops import demo_people

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_clinic_day_with_a_queue_and_the_rest() -> None:
    demo = demo_people.build(rng=random.Random(7), say=lambda _: None)
    load_activities(demo)
    load_clinics(demo)
    community = demo.community
    day = ClinicDay.objects.get(community=community)
    board = selectors.board(day=day)
    assert [len(s.waiting) for s in board.stations] == [1, 2, 2, 1, 0]
    assert QueueEntry.objects.filter(day=day).count() == 7
    # A volunteer is on the day's shift now, and the crisis team too.
    assert selectors.on_the_crisis_team(community=community)
    assert {r.kind for r in CareRota.objects.filter(community=community)} == {"warm_line", "crisis"}
    assert WarmLineCall.objects.filter(community=community).count() >= 8
    assert CrisisCall.objects.filter(community=community, status="closed").count() == 1
    assert Referral.objects.filter(community=community).count() == 5
    assert Lot.objects.filter(item__community=community).count() == 5
