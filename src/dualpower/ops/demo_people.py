"""The demo community's people and working groups (see demo.py for the story and the logins)."""

from __future__ import annotations

import random
from collections.abc import Callable

from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.members.models import Application, Membership, User
from dualpower.node.models import Community
from dualpower.node.services import audit_record, community_create
from dualpower.ops import demo as d

QUESTIONS = (
    "Which neighbourhood do you live or work in?",
    "What brings you to the network?",
)


def _apply(community: Community, user: User, name: str, answers: list[str]) -> Application:
    # TODO(members): use members.services.application_submit once it lands.
    application = Application.objects.create(
        community=community, user=user, display_name=name, answers=answers
    )
    audit_record(
        community=community, actor=None, action="application.submit", target=application, summary=name
    )
    return application


def _admit(application: Application, coordinator: Membership | None) -> Membership:
    # TODO(members): use members.services.application_admit once it lands.
    membership = Membership.objects.create(
        user=application.user, community=application.community, display_name=application.display_name
    )
    application.status = Application.Status.ADMITTED
    application.decided_by = coordinator
    application.save(update_fields=["status", "decided_by"])
    audit_record(
        community=application.community,
        actor=coordinator,
        action="member.admit",
        target=membership,
        summary=membership.display_name,
    )
    return membership


def _set_role(membership: Membership, role: str, by: Membership | None, reason: str) -> None:
    # TODO(members): use members.services.role_change once it lands.
    from dualpower.members.models import RoleChange

    RoleChange.objects.create(
        membership=membership, role_before=membership.role, role_after=role, decided_by=by, reason=reason
    )
    membership.role = role
    membership.save(update_fields=["role"])
    audit_record(
        community=membership.community,
        actor=by,
        action="member.role_change",
        target=membership,
        summary=f"{membership.display_name}: {role}",
        data={"role": role, "reason": reason},
    )


def _profile(membership: Membership, *, languages: list[str], neighbourhood: str, skills: list[str]) -> None:
    # TODO(members): use members.services.profile_update once it lands.
    membership.languages = languages
    membership.neighbourhood = neighbourhood
    membership.skills = skills
    membership.save(update_fields=["languages", "neighbourhood", "skills"])


def _join(group: WorkingGroup, membership: Membership) -> None:
    # TODO(groups): use groups.services.group_join once it lands.
    GroupMembership.objects.create(group=group, membership=membership)
    audit_record(
        community=group.community, actor=membership, action="group.join", target=group, summary=group.name
    )


def _convener(group: WorkingGroup, membership: Membership, by: Membership) -> None:
    # TODO(groups): use groups.services.convener_set once it lands.
    GroupMembership.objects.filter(group=group, membership=membership).update(is_convener=True)
    audit_record(
        community=group.community,
        actor=by,
        action="group.convener_set",
        target=group,
        summary=f"{membership.display_name} convenes {group.name}",
    )


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
    coordinator = Membership.objects.create(
        user=founder, community=community, display_name=d.PEOPLE[0][0], role=Membership.Role.COORDINATOR
    )
    audit_record(
        community=community, actor=None, action="member.createadmin", target=coordinator, summary="Rosa D."
    )
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
