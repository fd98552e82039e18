"""Demo data: the pantry's stock, some of it gone to the Saturday distribution and one food box to
a mutual aid request (the aid and activities demos run before this one)."""

from __future__ import annotations

from dualpower.aid.selectors import requests_in_category
from dualpower.demo import Demo
from dualpower.inventory import services
from dualpower.members.models import Membership

PANTRY = (
    ("Rice", "kg", 10, 42),
    ("Tinned beans", "tins", 24, 70),
    ("Cooking oil", "bottles", 6, 15),
    ("Nappies", "packs", 4, 9),
    ("Hygiene kits", "kits", 5, 3),  # below its level: the badge and the alert show
)


def load_inventory(demo: Demo) -> None:
    community, rosa = demo.community, demo.coordinator
    people = [
        m
        for m in demo.members
        if m.role != Membership.Role.OBSERVER and m.pk not in (rosa.pk, demo.member.pk)
    ]
    items = {}
    for name, unit, low, amount in PANTRY:
        item = services.item_create(
            community=community,
            by=rosa,
            name=name,
            unit=unit,
            low_threshold=low,
            location="Church hall pantry",
        )
        services.stock_in(item=item, quantity=amount + 4, by=rosa, reason="Food bank pick-up")
        services.stock_out(item=item, quantity=4, by=people[5], reason="Saturday distribution")
        items[name] = item
    # Food from the pantry going to a mutual aid request.
    food_request = requests_in_category(community=community, category="food").first()
    if food_request is not None:
        services.stock_out(
            item=items["Rice"], quantity=5, by=rosa, reason="Food box", aid_request=food_request
        )
    demo.say("Inventory: the pantry's stock.")
