"""Demo data: last year's neighbourhood budget, counted and being carried out (with progress
updates), and this year's budget open for voting. Built through the services; deterministic (its
own seeded random source); a few hundred ballots, online and on paper."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from dualpower.budgeting import services
from dualpower.budgeting.models import Cycle, Proposal
from dualpower.demo import Demo
from dualpower.groups.selectors import groups_of
from dualpower.members.models import Membership

EUR = 100
LAST_YEAR = (
    ("Community fridge", 6_000, "Riverside"),
    ("Playground repairs", 18_000, "Hillcrest"),
    ("Tool library shelves", 4_500, "Old Market"),
    ("Street trees on Mill Road", 12_000, "Riverside"),
    ("Youth football kit", 3_000, "Los Pinos"),
    ("Benches by the river", 7_500, "Riverside"),
    ("Language café", 2_500, "Station Quarter"),
    ("Mural on the underpass", 9_000, "Northbank"),
)
THIS_YEAR = (
    ("Free bike repair days", 5_000),
    ("Shade sails for the market", 14_000),
    ("Community kitchen equipment", 11_000),
    ("Accessible ramp at the hall", 16_000),
    ("Seed library", 2_000),
    ("Night bus info boards", 8_000),
)
UPDATES = {
    "in_progress": "Work has started; volunteers met on Saturday.",
    "done": "Finished and open to everyone.",
}
# Coordinates (millionths of a degree) around an imaginary town centre: the projects map.
CENTRE = (52_520_000, 13_405_000)


def _voters(demo: Demo) -> list[Membership]:
    return [m for m in demo.members if m.role in (Membership.Role.MEMBER, Membership.Role.COORDINATOR)]


def _build(cycle: Cycle, demo: Demo, rng: random.Random, titles: list[tuple[str, int]]) -> list[Proposal]:
    """Ideas → proposals (costed, placed on the map) → feasibility review → voting."""
    ideas = [
        services.idea_submit(cycle=cycle, by=rng.choice(demo.members), title=title) for title, _cost in titles
    ]
    cycle = services.cycle_advance(cycle=cycle, by=demo.coordinator)  # development
    proposals = [
        services.proposal_create(
            cycle=cycle, by=demo.coordinator, title=title, cost=cost * EUR, ideas=[idea],
            latitude_e6=CENTRE[0] + rng.randint(-9000, 9000),
            longitude_e6=CENTRE[1] + rng.randint(-15000, 15000),
        )
        for (title, cost), idea in zip(titles, ideas, strict=True)
    ]  # fmt: skip
    cycle = services.cycle_advance(cycle=cycle, by=demo.coordinator)  # feasibility
    for p in proposals:
        services.feasibility_decide(proposal=p, by=demo.coordinator, feasible=True, reason="")
    services.cycle_advance(cycle=cycle, by=demo.coordinator)  # voting
    return proposals


def _ballots(
    cycle: Cycle,
    demo: Demo,
    rng: random.Random,
    proposals: list[Proposal],
    *,
    on_paper: int,
    skip: Membership | None = None,
) -> None:
    codes = [p.code for p in proposals]
    for voter in _voters(demo):
        if skip is not None and voter.pk == skip.pk:
            continue
        chosen = rng.sample(codes, rng.randint(1, 3))
        services.ballot_submit(cycle=cycle, voter=voter, district=None, choices=[(c, 1) for c in chosen])
    if on_paper:
        lines = [[(c, 1) for c in rng.sample(codes, rng.randint(1, 3))] for _ in range(on_paper)]
        made = services.paper_ballots_enter(cycle=cycle, by=demo.coordinator, district=None, ballots=lines)
        services.paper_batch_confirm(cycle=cycle, by=demo.member, batch=made[0].batch)


def load_budgets(demo: Demo) -> None:
    rng = random.Random(5)
    community = demo.community
    group = groups_of(community=community).order_by("pk").first()
    last = services.cycle_create(
        community=community, by=demo.coordinator, title="Neighbourhood budget 2025", budget=60_000 * EUR,
        description="Sixty thousand euros for projects the neighbourhood proposes and chooses.",
        tie_break_seed=2025, count_is_binding=True, max_choices=3, working_group=group,
    )  # fmt: skip
    funded_rows = [(title, cost) for title, cost, _where in LAST_YEAR]
    proposals = _build(last, demo, rng, funded_rows)
    _ballots(last, demo, rng, proposals, on_paper=240)
    last = services.cycle_advance(cycle=last, by=demo.coordinator)  # results: counted
    last = services.cycle_advance(cycle=last, by=demo.coordinator)  # implementation (binding count)
    funded = Proposal.objects.filter(cycle=last, code__in=last.results.get().selected).order_by("code")
    for i, project in enumerate(funded):
        if group is not None:
            services.project_group_set(proposal=project, by=demo.coordinator, group=group)
        status = ("done", "in_progress", "planned")[i % 3]
        if status != "planned":
            services.project_status_set(proposal=project, by=demo.coordinator, status=status)
            spent = int(project.cost or 0) * (100 if status == "done" else 40) // 100
            services.project_spending_set(proposal=project, by=demo.coordinator, spent=spent)
            services.progress_update_add(
                proposal=project, by=demo.coordinator,
                text=UPDATES[status],
            )  # fmt: skip

    now = timezone.now()
    this = services.cycle_create(
        community=community, by=demo.coordinator, title="Neighbourhood budget 2026", budget=40_000 * EUR,
        description="This year's pot: choose up to three projects.", tie_break_seed=2026, max_choices=3,
        working_group=group, voting_until=now + timedelta(days=14),
    )  # fmt: skip
    proposals = _build(this, demo, rng, list(THIS_YEAR))
    _ballots(this, demo, rng, proposals, on_paper=0, skip=demo.member)  # the demo member votes themself
    demo.say("Budgets: a finished cycle being carried out, and one open for voting.")
