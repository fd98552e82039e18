"""The demo's meetings: past ones with adopted minutes and their history, one to come."""

from __future__ import annotations

import random

import pytest

from dualpower.assemblies.demo import load_assemblies
from dualpower.meetings.demo import load_meetings
from dualpower.meetings.models import Meeting, Minutes, MinutesRevision
from dualpower.ops import demo_people

pytestmark = pytest.mark.django_db


def test_the_demo_has_past_meetings_with_adopted_minutes_and_one_to_come() -> None:
    demo = demo_people.build(rng=random.Random(7), say=lambda _: None)
    load_assemblies(demo)
    load_meetings(demo)
    assert Meeting.objects.filter(status=Meeting.Status.ENDED).count() == 3
    assert Minutes.objects.filter(state=Minutes.State.ADOPTED).count() == 3
    assert MinutesRevision.objects.filter(number=2).count() == 1  # one amendment, kept in the history
    upcoming = Meeting.objects.get(status=Meeting.Status.SCHEDULED)
    assert upcoming.items.filter(proposal__isnull=False).exists()
    roles = [
        (m.facilitator_id, m.note_taker_id, m.timekeeper_id) for m in Meeting.objects.order_by("starts_at")
    ]
    assert len({r[0] for r in roles}) == len(roles)  # the facilitator rotates
