"""The demo's pantry, built through the services."""

from __future__ import annotations

import random

import pytest

from dualpower.aid.demo import load_aid
from dualpower.inventory.demo import load_inventory
from dualpower.inventory.models import Item, Movement
from dualpower.ops import demo_people

pytestmark = pytest.mark.django_db


def test_the_demo_pantry_has_one_low_item_and_a_food_box_for_an_aid_request() -> None:
    demo = demo_people.build(rng=random.Random(7), say=lambda _: None)
    load_aid(demo)
    load_inventory(demo)
    low = [item.name for item in Item.objects.filter(community=demo.community) if item.is_low]
    assert low == ["Hygiene kits"]
    assert Movement.objects.filter(item__name="Rice", aid_request__category="food").count() == 1
