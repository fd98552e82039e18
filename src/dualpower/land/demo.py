"""Demo data: a land trust with two parcels and five homes, three ground leases (each with a
different resale formula), stewardship notes, a waitlist of households, and one vacant home
whose allocation has been announced and drawn, waiting for the assembly. Deterministic."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from dualpower.demo import Demo
from dualpower.land import services
from dualpower.land.models import WaitlistApplication
from dualpower.members.models import Membership

HOMES = (
    ("Elm Row", "Elm Row 1", 2, 1, 3),
    ("Elm Row", "Elm Row 2", 3, 2, 5),
    ("Elm Row", "Elm Row 3", 1, 1, 2),
    ("Oak Court", "Oak Court A", 2, 2, 4),
    ("Oak Court", "Oak Court B", 3, 3, 6),
)
LEASES = (
    (
        "appraisal_based",
        {"purchase_price": 14_500_000, "initial_appraisal": 21_000_000, "owner_share": "1/4"},
    ),
    (
        "fixed_rate_simple",
        {"purchase_price": 12_000_000, "annual_rate": "0.02", "purchase_date": "2018-09-01"},
    ),
    (
        "itemized",
        {
            "purchase_price": 9_800_000,
            "purchase_date": "2021-03-15",
            "improvements": [
                {
                    "description": "New roof",
                    "cost": 850_000,
                    "completed": "2022-07-01",
                    "useful_life_years": 25,
                },
                {"description": "Accessible bathroom", "cost": 420_000, "completed": "2023-02-01"},
            ],
        },
    ),
)


def load_land(demo: Demo) -> None:
    community, by = demo.community, demo.coordinator
    people = [m for m in demo.members if m.role != Membership.Role.OBSERVER and m.is_active]
    parcels = {
        name: services.parcel_create(
            community=community, name=name, address=f"{name}, Riverside", acquired_on=date(2017, 4, 1), by=by
        )
        for name in ("Elm Row", "Oak Court")
    }
    homes = [
        services.home_create(
            parcel=parcels[parcel],
            label=label,
            address=f"{label.split()[-1]} {parcel}, Riverside",
            bedrooms=bedrooms,
            min_household=low,
            max_household=high,
            by=by,
        )
        for parcel, label, bedrooms, low, high in HOMES
    ]
    holders = [demo.member, people[-1], people[-2]]
    starts = (date(2019, 6, 1), date(2018, 9, 1), date(2021, 3, 15))
    for home, holder, start, (formula, params) in zip(homes[:3], holders, starts, LEASES, strict=True):
        services.lease_create(
            home=home,
            leaseholder=holder,
            start=start,
            monthly_fee=3_500,
            formula=formula,
            formula_params=params,
            by=by,
        )
    services.note_add(home=homes[0], body="Annual inspection: boiler serviced, gutters cleared.", by=by)
    services.note_add(home=homes[2], body="Roof replaced with a grant from the housing fund.", by=by)
    waiting = people[-12:-3]
    now = timezone.now()
    for i, member in enumerate(waiting):
        application = services.waitlist_apply(
            community=community,
            membership=member,
            household_size=1 + i % 5,
            facts={"lives_or_works_locally": i % 2, "displaced": 1 if i % 4 == 0 else 0},
        )
        WaitlistApplication.objects.filter(pk=application.pk).update(
            applied_at=now - timedelta(days=200 * (i % 4) + i)
        )
    allocation = services.allocation_announce(home=homes[3], seed="riverside-spring-assembly-2026", by=by)
    services.allocation_draw(allocation=allocation, by=by)
    demo.say("  land trust: 5 homes, 3 leases, 9 households waiting, 1 allocation drawn for the assembly")
