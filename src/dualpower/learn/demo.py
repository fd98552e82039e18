"""The demo's learning and library: a study circle, a legal-observer training whose completion
asks for vouches, a skill share, and a library with loans, holds and a late thing."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.utils import timezone

from dualpower.activities import services as activities
from dualpower.activities.selectors import trust_roles
from dualpower.errors import DomainError
from dualpower.groups import services as groups
from dualpower.groups.selectors import group_membership_of, groups_of
from dualpower.learn.services import learning, library
from dualpower.ledger.selectors import currencies_of
from dualpower.members.models import Membership

if TYPE_CHECKING:
    from dualpower.demo import Demo


def _convener(demo: Demo, slug: str, person: Membership) -> None:
    group = groups_of(community=demo.community).filter(slug=slug).first()
    if group is None:
        return
    place = group_membership_of(group=group, membership=person)
    if place is None:
        place = groups.group_join(group=group, membership=person)
    if not place.is_convener:
        groups.convener_set(group_membership=place, is_convener=True, by=demo.coordinator)


def _legal_observer_role(demo: Demo, people: list[Membership]) -> object:
    role = trust_roles(community=demo.community).filter(slug="legal-observer").first()
    if role is None:
        role = activities.trust_role_create(
            community=demo.community,
            name="Legal observer",
            description="Watches and records police conduct at actions, for the legal support team.",
            threshold=2,
            by=demo.coordinator,
        )
        for vouchee, vouchers in ((people[0], people[1:3]), (people[1], people[2:4])):
            for voucher in vouchers:
                activities.vouch_give(role=role, voucher=voucher, vouchee=vouchee)
    return role


def load_learn(demo: Demo) -> None:
    community, rosa, member = demo.community, demo.coordinator, demo.member
    now = timezone.now()
    evening = timezone.localtime(now).replace(hour=18, minute=30, second=0, microsecond=0)
    people = [
        m
        for m in demo.members
        if m.role != Membership.Role.OBSERVER and m.is_active and m.pk not in (rosa.pk, member.pk)
    ]
    role = _legal_observer_role(demo, people)
    defence = groups_of(community=community).filter(slug="community-defence").first()
    _convener(demo, "community-defence", people[0])
    if defence is not None:
        learning.role_keeper_set(role=role, group=defence, by=rosa)  # type: ignore[arg-type]

    training = learning.offering_create(
        community=community,
        by=people[0],
        text=learning.OfferingText(
            kind="training",
            title="Legal observer training",
            description=(
                "Three evenings: your rights and theirs, what to watch and write down, a practice action."
            ),
            language="en",
            place="Old Market, the union hall",
            accessibility="Step-free. Spanish interpretation on request.",
            capacity=10,
        ),
    )
    for i, title in enumerate(("Rights and roles", "Watching and writing it down", "A practice action")):
        learning.session_add(
            offering=training, by=people[0], title=title, starts_at=evening - dt.timedelta(days=21 - 7 * i)
        )
    learning.role_link_set(offering=training, role=role, by=people[0])  # type: ignore[arg-type]
    for person in (member, people[4], people[5]):
        learning.enrol(offering=training, membership=person)
    for session in training.sessions.all():
        for person in (member, people[4]):
            learning.attendance_set(session=session, membership=person, present=True, by=people[0])
    for person in (people[4], member):
        completion = learning.completion_record(offering=training, membership=person, by=people[0])
        learning.completion_choose(completion=completion, shown_to_members=False, asks_vouches=True)
    activities.vouch_give(role=role, voucher=people[0], vouchee=member)  # type: ignore[arg-type]

    circle = learning.offering_create(
        community=community,
        by=people[2],
        text=learning.OfferingText(
            kind="study_circle",
            title="Reading Freire: Pedagogy of the Oppressed",
            description=(
                "Four meetings, a chapter each. The facilitator rotates; the group chooses what to read next."
            ),
            language="en",
            place="Riverside library, back room",
            reciprocity="ask",
            asks="Bring a snack to share.",
            capacity=12,
        ),
    )
    for i, person in enumerate((people[2], people[3], member, people[6])):
        session = learning.session_add(
            offering=circle,
            by=people[2],
            title=f"Chapter {i + 1}",
            starts_at=evening + dt.timedelta(days=7 * i - 7),
            facilitator=person,
        )
        learning.reading_add(
            session=session,
            by=person,
            title=f"Pedagogy of the Oppressed, chapter {i + 1}",
            url="https://en.wikipedia.org/wiki/Pedagogy_of_the_Oppressed",
        )
        if i == 0:
            learning.session_notes_save(
                session=session,
                by=people[2],
                notes="We talked about the banking model of education and where we meet it at work.",
            )
    for person in (people[3], people[6], member):
        learning.enrol(offering=circle, membership=person)

    share = learning.offering_create(
        community=community,
        by=people[3],
        text=learning.OfferingText(
            kind="skill_share",
            title="Fix your own bike",
            description="Brakes, gears and punctures. Bring your bike if you can.",
            language="en",
            place="Station Quarter, the bike kitchen",
            reciprocity="hours",
            minutes=60,
            capacity=6,
        ),
    )
    learning.session_add(
        offering=share, by=people[3], title="Fix your own bike", starts_at=now + dt.timedelta(days=5)
    )

    # The library.
    education = groups_of(community=community).filter(slug="education").first()
    library.library_keepers_set(community=community, by=rosa, group_id=education.pk if education else None)
    roots = currencies_of(community=community).filter(name="Roots").first()

    def add(title: str, category: str, **kw: object) -> object:
        owner = kw.pop("owner", None)
        text = library.ThingText(title=title, category=category, **kw)  # type: ignore[arg-type]
        return library.thing_create(
            community=community,
            by=rosa,
            owner=owner,  # type: ignore[arg-type]
            deposit_currency=roots if text.deposit else None,
            text=text,
        )

    drill = add("Cordless drill", "tools", pickup="Old Market, the tool shed", deposit=2000 if roots else 0)
    ladder = add("Extension ladder (6 m)", "tools", pickup="Old Market, the tool shed", condition="fair")
    add("Pedagogy of the Oppressed (2 copies)", "books", pickup="Riverside library, back room")
    add("Pressure canner", "kitchen", pickup="Hillcrest community kitchen", loan_days=7)
    add("Bike trailer for children", "children", pickup="Los Pinos", owner=people[5])
    # The drill (with its deposit) goes to the first neighbour whose account can pay it.
    for borrower in people[1:]:
        try:
            library.loan_start(thing=drill, borrower=borrower, by=rosa)  # type: ignore[arg-type]
        except DomainError:
            continue
        waiting = [*[p for p in people[2:] if p.pk != borrower.pk][:1], member]
        for person in waiting:
            library.hold_place(thing=drill, membership=person)  # type: ignore[arg-type]
        break
    # Borrowed three weeks ago for two weeks: late.
    library.loan_start(thing=ladder, borrower=people[6], by=rosa, now=now - dt.timedelta(days=21))  # type: ignore[arg-type]
    demo.say("learn: 3 offerings, 5 things in the library, 2 loans (1 late), 2 holds")
