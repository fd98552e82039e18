"""Demo data: a weekly food distribution with some places taken, a tenants' clinic, an
accompaniment rota that needs a trust-granted role (the pantry's stock is inventory's demo)."""

from __future__ import annotations

import datetime as dt

from dualpower.activities import services
from dualpower.activities.models import Activity
from dualpower.demo import Demo
from dualpower.errors import DomainError
from dualpower.groups.models import WorkingGroup
from dualpower.groups.selectors import groups_of
from dualpower.members.models import Membership


def _group(demo: Demo, slug: str) -> WorkingGroup | None:
    return groups_of(community=demo.community).filter(slug=slug).first()


def load_activities(demo: Demo) -> None:
    community, rosa = demo.community, demo.coordinator
    today = services.local_today()
    people = [
        m
        for m in demo.members
        if m.role != Membership.Role.OBSERVER and m.pk not in (rosa.pk, demo.member.pk)
    ]
    accompanier = services.trust_role_create(
        community=community,
        name="Accompanier",
        description="Walks with neighbours to court, the housing office or immigration appointments.",
        threshold=2,
        by=rosa,
    )
    # Three people hold the role: each was vouched for by two others.
    for vouchee, vouchers in ((people[0], people[1:3]), (people[1], people[2:4]), (people[2], people[3:5])):
        for voucher in vouchers:
            services.vouch_give(role=accompanier, voucher=voucher, vouchee=vouchee)
    services.vouch_give(role=accompanier, voucher=people[0], vouchee=demo.member)

    food = services.series_create(
        community=community,
        by=rosa,
        title="Saturday food distribution",
        description="Packing and delivering food boxes from the pantry.",
        place="Old Market, the church hall",
        group=_group(demo, "food"),
        repeat="weekly",
        weekdays=[5],
        starts_on=today,
        start_time=dt.time(10, 0),
        duration_minutes=180,
        slots=[
            services.SlotSpec("Drivers", 3),
            services.SlotSpec("Packers", 4),
            services.SlotSpec("Interpreter (Spanish)", 1),
        ],
    )
    services.organiser_add(series=food, membership=people[5], by=rosa)
    for i, activity in enumerate(Activity.objects.filter(series=food).order_by("starts_at")[:2]):
        slots = list(activity.slots.all())
        takers = people[6 + i * 5 : 11 + i * 5]
        for slot, person in zip([slots[0], slots[0], slots[1], slots[1], slots[2]], takers, strict=False):
            try:
                services.slot_sign_up(slot=slot, membership=person)
            except DomainError:
                continue
    services.series_create(
        community=community,
        by=rosa,
        title="Tenants' clinic",
        description="Advice on repairs, deposits and eviction notices. Drop in.",
        place="Riverside library, back room",
        group=_group(demo, "housing"),
        repeat="weekly",
        weekdays=[1],
        starts_on=today,
        start_time=dt.time(18, 0),
        duration_minutes=120,
        slots=[
            services.SlotSpec("Advisers", 2),
            services.SlotSpec("Welcome desk", 1),
            services.SlotSpec("Interpreter", 1),
        ],
    )
    rota = services.series_create(
        community=community,
        by=rosa,
        title="Accompaniment rota",
        description="Two accompaniers meet at the café and walk together with the neighbour.",
        place="Station Quarter",
        group=_group(demo, "community-defence"),
        repeat="weekly",
        weekdays=[0, 2, 4],
        starts_on=today,
        start_time=dt.time(7, 30),
        duration_minutes=150,
        slots=[services.SlotSpec("Accompaniers", 2, accompanier)],
    )
    first = Activity.objects.filter(series=rota).order_by("starts_at").first()
    if first is not None:
        services.slot_sign_up(slot=first.slots.get(), membership=people[0])

    demo.say("Activities: food distribution, tenants' clinic, accompaniment rota.")
