"""The demo's registry: what every app's demo loader receives, and where it registers.

A base module (models appear only in annotations), so that any app may register from its
``registrations.py``; ``dualpower.ops.demo`` builds the community and its people, then runs the
loaders in registration order, inside one transaction with the rest of the demo:

    from dualpower import demo

    def load_assemblies(demo: demo.Demo) -> None: ...
    demo.register(load_assemblies)
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dualpower.community.models import Community
    from dualpower.members.models import Membership

DEMO_SLUG = "demo"
DEMO_DOMAIN = "demo.dualpower"
COORDINATOR_EMAIL = f"coordinator@{DEMO_DOMAIN}"
COORDINATOR_PASSWORD = "demo-coordinator-pass"  # noqa: S105 - a published demo login
MEMBER_EMAIL = f"member@{DEMO_DOMAIN}"
MEMBER_PASSWORD = "demo-member-pass"  # noqa: S105 - a published demo login
LOGINS = (
    ("coordinator", COORDINATOR_EMAIL, COORDINATOR_PASSWORD),
    ("member", MEMBER_EMAIL, MEMBER_PASSWORD),
)

NEIGHBOURHOODS = (
    "Riverside",
    "Old Market",
    "Hillcrest",
    "Los Pinos",
    "Station Quarter",
    "Northbank",
    "Eastfield",
    "La Loma",
)
SKILLS = (
    "cooking",
    "carpentry",
    "first aid",
    "childcare",
    "translation (Spanish–English)",
    "bookkeeping",
    "legal aid",
    "gardening",
    "tutoring",
    "bike repair",
    "electrical work",
    "peer counselling",
    "driving",
    "web design",
    "sewing",
    "plumbing",
    "facilitation",
    "graphic design",
)
# Pseudonyms, as members choose them: first names, nicknames, initials. (name, speaks Spanish)
OTHER_COORDINATORS = ("Ngozi", "Mateo R.")
OBSERVERS = ("Oisín", "Eun-ji", "Wren")


@dataclass
class Demo:
    """What a loader gets: the community, its people, and a seeded random source."""

    community: Community
    coordinator: Membership
    member: Membership
    members: list[Membership]
    rng: random.Random
    say: Callable[[str], None] = print
    extra: dict[str, Any] = field(default_factory=dict)


Loader = Callable[[Demo], None]
LOADERS: list[Loader] = []


def register(loader: Loader) -> Loader:
    """Add a loader that extends the demo (usable as a decorator); registering twice is harmless."""
    if loader not in LOADERS:
        LOADERS.append(loader)
    return loader
