"""Build deliberations for tests, through the services."""

from __future__ import annotations

from collections.abc import Sequence

from dualpower.assemblies.tests.factories import general
from dualpower.community.models import Community
from dualpower.deliberation import services
from dualpower.deliberation.models import Deliberation, Statement
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership

SEEDS = (
    "The lot should grow food.",
    "Families need homes first.",
    "The city must not sell the lot.",
)


def make_deliberation(
    community: Community,
    *,
    by: Membership | None = None,
    seeds: Sequence[str] = SEEDS,
    moderation: str = Deliberation.Moderation.AFTER,
) -> Deliberation:
    opener = by or make_membership(community, name="Facilitator")
    return services.deliberation_open(
        assembly=general(community),
        by=opener,
        question="What should we do with the lot?",
        seeds=seeds,
        moderation=moderation,
    )


def statement(deliberation: Deliberation, number: int) -> Statement:
    return deliberation.statements.get(number=number)


def two_camps(deliberation: Deliberation, people: int = 24, statements: int = 8) -> list[Membership]:
    """``people`` voters in two camps that disagree on every statement but the last two, which all
    agree with: two opinion groups and two consensus statements."""
    community = deliberation.community
    existing = deliberation.statements.count()
    author = make_membership(community, name="Author")
    for i in range(existing, statements):
        services.statement_add(deliberation=deliberation, by=author, text=f"Statement number {i + 1}")
    shown = list(deliberation.statements.order_by("number"))
    voters = [make_membership(community, name=f"Voter {i}") for i in range(people)]
    for i, person in enumerate(voters):
        camp = 1 if i % 2 == 0 else -1
        for s in shown:
            agreed = s.number > len(shown) - 2
            value = 1 if agreed else camp * (1 if s.number % 2 else -1)
            services.vote_cast(statement=s, by=person, value={1: "agree", -1: "disagree"}[value])
    return voters
