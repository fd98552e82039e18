"""`dualpower demo`: a believable community to try dualpower with, built through the services.

Deterministic: the same seed gives the same people, neighbourhoods, skills and groups. Two accounts
have known passwords (printed by `make run`); every other demo account has no usable password.

Later apps add their own demo data (assemblies, aid requests...) by registering a loader:

    from dualpower.ops.demo import register

    @register
    def load_assemblies(demo: Demo) -> None: ...

Loaders run in registration order, after the community and its people exist, inside one
transaction with the rest of the demo.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.db import transaction

from dualpower.community.models import Community
from dualpower.members.models import Membership, User

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
PEOPLE: tuple[tuple[str, bool], ...] = (
    ("Rosa D.", True),  # the coordinator
    ("Sam", False),  # the ordinary member
    ("Amara", False),
    ("Chen Wei", False),
    ("Lupe", True),
    ("Mateo R.", True),
    ("Ngozi", False),
    ("Tomasz", False),
    ("Ximena", True),
    ("Farid", False),
    ("Keiko", False),
    ("Dolores", True),
    ("Jamal", False),
    ("Ana Lucía", True),
    ("Priya", False),
    ("Oisín", False),
    ("Yusuf", False),
    ("Carmen G.", True),
    ("Bongani", False),
    ("Lina", False),
    ("Javier", True),
    ("Mei", False),
    ("Kwame", False),
    ("Soledad", True),
    ("Rafa", True),
    ("Hannah", False),
    ("Tariq", False),
    ("Inés", True),
    ("Dmitri", False),
    ("Aroha", False),
    ("Guadalupe", True),
    ("Sione", False),
    ("Nadia", False),
    ("Esteban", True),
    ("Zainab", False),
    ("Marisol", True),
    ("Obi", False),
    ("Leilani", False),
    ("Pilar", True),
    ("Ravi", False),
    ("Eun-ji", False),
    ("Héctor", True),
    ("Fatou", False),
    ("Bea", False),
    ("Camila", True),
    ("Ahmed", False),
    ("Yara", False),
    ("Nico", True),
    ("Ife", False),
    ("Valentina", True),
    ("Kofi", False),
    ("Sofía M.", True),
    ("Wren", False),
    ("Abdi", False),
    ("Luz", True),
    ("Marek", False),
    ("Thandiwe", False),
    ("Diego", True),
    ("Aiyana", False),
    ("Chayo", True),
)
APPLICANTS: tuple[tuple[str, str, str], ...] = (
    ("Gabriela", "gabriela", "I moved to La Loma last month and want to help with the pantry."),
    ("Tomás", "tomas", "My building is facing a rent increase; the housing group helped my neighbour."),
    ("Aisha", "aisha", "I am a nurse and can help with the health clinic on Saturdays."),
    ("Lee", "lee", "A friend in the food group told me about you. I can drive."),
)
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


class DemoExists(Exception):
    pass


def demo_community() -> Community | None:
    return Community.objects.filter(slug=DEMO_SLUG).first()


def _account(email: str, password: str | None) -> User:
    user = User.objects.create_user(email=email, password=password)
    if password is None:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    # The demo's addresses are not real, so they are taken as confirmed.
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def _email_for(name: str, index: int) -> str:
    local = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum()) or "member"
    return f"{local}{index}@{DEMO_DOMAIN}"


@transaction.atomic
def demo_load(*, seed: int = 7, say: Callable[[str], None] = print) -> Demo:
    """Create the demo community with its people and groups, then run the registered loaders."""
    from dualpower.ops import demo_people

    if demo_community() is not None:
        raise DemoExists("The demo community is already loaded.")
    rng = random.Random(seed)
    demo = demo_people.build(rng=rng, say=say)
    for loader in LOADERS:
        loader(demo)
    return demo


def logins_text() -> str:
    lines = ["Demo logins (community “/c/demo/”):"]
    for role, email, password in LOGINS:
        lines.append(f"  {role:<12} {email:<28} password: {password}")
    return "\n".join(lines)
