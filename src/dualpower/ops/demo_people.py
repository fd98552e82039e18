"""The demo community's people and working groups (see demo.py for the story and the logins)."""

from __future__ import annotations

import random
from collections.abc import Callable

from dualpower.community.models import Community
from dualpower.community.services import community_create
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.groups.services import convener_set, group_join
from dualpower.members.models import Application, Membership, User
from dualpower.members.services import application_admit, application_submit, profile_update, role_change
from dualpower.ops import demo as d
from dualpower.ops.admin import coordinator_appoint

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
    gm = GroupMembership.objects.get(group=group, membership=membership)
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
    founder = d._account(d.COORDINATOR_EMAIL, d.COORDINATOR_PASSWORD)
    coordinator = coordinator_appoint(user=founder, community=community, display_name=d.PEOPLE[0][0])
    members = [coordinator]
    for index, (name, speaks_spanish) in enumerate(d.PEOPLE[1:], start=1):
        if index == 1:
            user = d._account(d.MEMBER_EMAIL, d.MEMBER_PASSWORD)
        else:
            user = d._account(d._email_for(name, index), None)
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

    groups = list(WorkingGroup.objects.filter(community=community).order_by("slug"))
    # Re-read: role_change saved new roles on its own copies of the memberships.
    members = list(Membership.objects.filter(community=community).order_by("pk"))
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

    for name, local, answer in d.APPLICANTS:
        user = d._account(f"{local}@{d.DEMO_DOMAIN}", None)
        _apply(community, user, name, [rng.choice(d.NEIGHBOURHOODS), answer])
    say(f"Demo community “{community.name}” loaded: {len(members)} members, {len(groups)} working groups.")
    return d.Demo(
        community=community, coordinator=coordinator, member=by_name["Sam"], members=members, rng=rng, say=say
    )
