"""The demo's learning and library, built through the services."""

from __future__ import annotations

import random

import pytest
from django.utils import timezone

from dualpower.learn.demo import load_learn
from dualpower.learn.models import Completion, Hold, Loan, Offering
from dualpower.ledger.demo import load_ledger
from dualpower.notifications.models import Notification
from dualpower.ops import demo_people

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_circle_a_training_proposing_a_role_and_a_library_with_a_late_thing() -> None:
    demo = demo_people.build(rng=random.Random(7), say=lambda _: None)
    load_ledger(demo)
    load_learn(demo)
    kinds = dict(Offering.objects.filter(community=demo.community).values_list("title", "kind"))
    assert kinds["Legal observer training"] == "training"
    assert set(kinds.values()) == {"training", "study_circle", "skill_share"}
    training = Offering.objects.get(title="Legal observer training")
    assert training.role is not None and training.role.slug == "legal-observer"
    assert Completion.objects.filter(offering=training, membership=demo.member).exists()
    assert Notification.objects.filter(kind="learn.vouch_asked").exists()
    assert Loan.objects.filter(thing__title="Cordless drill", deposit__gt=0).exists()
    assert Loan.objects.filter(due_on__lt=timezone.localdate()).count() == 1
    assert Hold.objects.filter(membership=demo.member).exists()
