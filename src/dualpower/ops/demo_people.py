"""The demo community's people and working groups (see demo.py for the story and the logins)."""

from __future__ import annotations

import random
from collections.abc import Callable

from dualpower import demo as d
from dualpower.community.models import Community
from dualpower.community.services import community_create
from dualpower.groups.models import WorkingGroup
from dualpower.groups.selectors import group_membership_of, groups_of
from dualpower.groups.services import convener_set, group_join
from dualpower.members.models import Application, Membership, User
from dualpower.members.selectors import members_of
from dualpower.members.services import (
    account_confirmed_create,
    application_admit,
    application_submit,
    coordinator_appoint,
    profile_update,
    role_change,
)

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


def _email_for(name: str, index: int) -> str:
    local = "".join(ch for ch in name.lower() if ch.isascii() and ch.isalnum()) or "member"
    return f"{local}{index}@{d.DEMO_DOMAIN}"


QUESTIONS = (
    "Which neighbourhood do you live or work in?",
    "What brings you to the network?",
)


def _apply(community: Community, user: User, name: str, answers: list[str]) -> Application:
    return application_submit(user=user, community=community, display_name=name, answers=answers)


def _admit(application: Application, coordinator: Membership) -> Membership:
    return application_admit(application=application, by=coordinator)


def _set_role(membership: Membership, role: str, by: Membership, reason: str) -> None:
    role_change(membership=membership, role=role, by=by, reason=reason)


def _profile(membership: Membership, *, languages: list[str], neighbourhood: str, skills: list[str]) -> None:
    profile_update(membership=membership, languages=languages, neighbourhood=neighbourhood, skills=skills)


def _join(group: WorkingGroup, membership: Membership) -> None:
    group_join(group=group, membership=membership)


def _convener(group: WorkingGroup, membership: Membership, by: Membership) -> None:
    gm = group_membership_of(group=group, membership=membership)
    assert gm is not None, "_join comes first"
    convener_set(group_membership=gm, is_convener=True, by=by)


def build(*, rng: random.Random, say: Callable[[str], None]) -> d.Demo:
    community = community_create(
        name="Southside Solidarity Network",
        slug=d.DEMO_SLUG,
        description=(
            "Neighbours across eight neighbourhoods of the south side organising housing defence, "
            "a food pantry, a free clinic, study groups and safety accompaniment. "
            "Vecinas y vecinos organizándonos juntos."
        ),
        languages=["en", "es"],
        application_questions=list(QUESTIONS),
    )
    # The first coordinator is appointed when the node is set up (as `dualpower createadmin` does).
    founder = account_confirmed_create(email=d.COORDINATOR_EMAIL, password=d.COORDINATOR_PASSWORD)
    coordinator = coordinator_appoint(user=founder, community=community, display_name=PEOPLE[0][0])
    members = [coordinator]
    for index, (name, speaks_spanish) in enumerate(PEOPLE[1:], start=1):
        if index == 1:
            user = account_confirmed_create(email=d.MEMBER_EMAIL, password=d.MEMBER_PASSWORD)
        else:
            user = account_confirmed_create(email=_email_for(name, index), password=None)
        neighbourhood = rng.choice(d.NEIGHBOURHOODS)
        application = _apply(
            community, user, name, [neighbourhood, rng.choice(("Mutual aid.", "My neighbours asked me."))]
        )
        membership = _admit(application, coordinator)
        languages = ["es", "en"] if speaks_spanish else ["en"]
        if not speaks_spanish and rng.random() < 0.15:
            languages.append(rng.choice(("fr", "ar", "pt", "zh")))
        _profile(
            membership,
            languages=languages,
            neighbourhood=neighbourhood,
            skills=rng.sample(d.SKILLS, rng.randint(1, 3)),
        )
        members.append(membership)
    _profile(
        coordinator, languages=["es", "en"], neighbourhood="Los Pinos", skills=["facilitation", "bookkeeping"]
    )
    by_name = {m.display_name: m for m in members}
    for name in d.OTHER_COORDINATORS:
        _set_role(by_name[name], Membership.Role.COORDINATOR, coordinator, "Chosen at the spring assembly.")
    for name in d.OBSERVERS:
        _set_role(by_name[name], Membership.Role.OBSERVER, coordinator, "Visiting from a sister network.")

    groups = list(groups_of(community=community).order_by("slug"))
    # Re-read: role_change saved new roles on its own copies of the memberships.
    members = list(members_of(community=community).order_by("pk"))
    by_name = {m.display_name: m for m in members}
    joinable = [m for m in members if m.role != Membership.Role.OBSERVER]
    for group in groups:
        people = rng.sample(joinable, rng.randint(7, 14))
        if group.slug == "food" and by_name["Sam"] not in people:
            people.append(by_name["Sam"])  # the demo member has a group on their dashboard
        for membership in people:
            _join(group, membership)
        for convener in people[: rng.randint(1, 2)]:
            _convener(group, convener, coordinator)

    for name, local, answer in APPLICANTS:
        user = account_confirmed_create(email=f"{local}@{d.DEMO_DOMAIN}", password=None)
        _apply(community, user, name, [rng.choice(d.NEIGHBOURHOODS), answer])
    say(f"Demo community “{community.name}” loaded: {len(members)} members, {len(groups)} working groups.")
    return d.Demo(
        community=community, coordinator=coordinator, member=by_name["Sam"], members=members, rng=rng, say=say
    )
