"""Demo data: a mutual-credit currency (Roots) and a time bank (Southside Hours), with a few
hundred transfers among the demo's members, made through the services in linked batches (fast),
and payment requests waiting for the demo member. Deterministic: its own seeded random source."""

from __future__ import annotations

import random

from dualpower.demo import Demo
from dualpower.errors import Conflict
from dualpower.ledger import services
from dualpower.ledger.models import Account, Currency
from dualpower.ledger.services import Leg
from dualpower.members.models import Membership

ROOTS_FOR = (
    "bread", "bike repair", "tutoring", "soup for the assembly", "sewing", "plumbing", "eggs",
    "a haircut", "jam", "childcare", "translation", "carpentry",
)  # fmt: skip
HOURS_FOR = (
    "garden work", "moving boxes", "a lift to the clinic", "cooking", "reading with the kids",
    "fixing a door", "shopping run", "language exchange",
)  # fmt: skip


def _batches(legs: list[Leg], size: int = 10) -> list[list[Leg]]:
    return [legs[i : i + size] for i in range(0, len(legs), size)]


def _trade(currency: Currency, accounts: list[Account], rng: random.Random, n: int, amounts: tuple[int, int],
           reasons: tuple[str, ...], step: int) -> int:  # fmt: skip
    legs = []
    for _ in range(n):
        a, b = rng.sample(accounts, 2)
        legs.append(Leg(a.pk, b.pk, rng.randint(*amounts) // step * step or step, rng.choice(reasons)))
    made = 0
    for i, batch in enumerate(_batches(legs)):
        try:
            posted = services.transfers_link(
                currency=currency, legs=batch, idempotency_key=f"demo-{i}", notify=False
            )
            made += len(posted.transfers)
        except Conflict:  # a batch that would pass someone's limit is left out, as the ledger would
            continue
    return made


def load_ledger(demo: Demo) -> None:
    rng = random.Random(7)
    traders = [m for m in demo.members if m.role != Membership.Role.OBSERVER and m.is_active]
    roots = services.currency_create(
        community=demo.community,
        name="Roots",
        symbol="R",
        decimals=2,
        description="Our mutual credit: members extend each other up to 100 R of credit.",
        default_lower_limit=-10_000,
        default_upper_limit=100_000,
        lowest_lower_limit=-50_000,
        highest_upper_limit=200_000,
        demurrage_basis_points=50,
        by=demo.coordinator,
    )
    hours = services.currency_create(
        community=demo.community,
        name="Southside Hours",
        kind="time_bank",
        description="An hour of anyone's work is worth an hour.",
        default_lower_limit=-10 * 60,
        default_upper_limit=100 * 60,
        lowest_lower_limit=-20 * 60,
        highest_upper_limit=200 * 60,
        by=demo.coordinator,
    )
    root_accounts = [services.member_account(currency=roots, membership=m) for m in traders]
    hour_accounts = [services.member_account(currency=hours, membership=m) for m in traders]
    made = _trade(roots, root_accounts, rng, 300, (200, 3_000), ROOTS_FOR, 50)
    made += _trade(hours, hour_accounts, rng, 150, (30, 180), HOURS_FOR, 15)
    member_roots = next(a for a in root_accounts if a.owner_id == demo.member.pk)
    for i, other in enumerate(a for a in root_accounts if a.pk != member_roots.pk):
        if i >= 2:
            break
        try:
            services.invoice_create(
                payee=other,
                payer=member_roots,
                amount=750 + 250 * i,
                description=ROOTS_FOR[i],
                idempotency_key=f"demo-inv-{i}",
            )
        except Conflict:
            continue
    demo.say(f"Ledger: Roots and Southside Hours, {len(traders)} accounts each, {made} transfers.")
