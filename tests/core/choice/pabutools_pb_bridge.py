"""Run pabutools (the reference implementation, test-only) on our elections, for comparisons.

Used by tests/core/choice/test_greedy.py, test_phragmen.py and by the scripts in bench/.
Never imported by the package.
"""

from __future__ import annotations

import functools
import random
from types import MappingProxyType
from typing import Any

from hypothesis import strategies as st
from pabutools.election import parse_pabulib
from pabutools.election.pabulib import parse_pabulib_from_string
from pabutools.election.satisfaction import AdditiveSatisfaction, Cost_Sat
from pabutools.rules import greedy_utilitarian_welfare, sequential_phragmen
from pabutools.tiebreaking import TieBreakingRule
from tests.shared_data import shared

from dualpower.core.choice.formats.pb import read_pb, write_pb
from dualpower.core.choice.pb.election import VOTE_TYPES, Ballots, PBElection, Project, VoteType
from dualpower.core.choice.pb.greedy import borda_length
from dualpower.core.choice.pb.tiebreak import TieBreak


def pabutools_election(election: PBElection, path: str | None = None) -> tuple[Any, Any]:
    """pabutools' instance and profile: from the original file if given, else from our writer."""
    if path is not None:
        return parse_pabulib(path)
    return parse_pabulib_from_string(write_pb(election))


def pabutools_tie_breaking(election: PBElection, tie_break: TieBreak) -> TieBreakingRule:
    """Our tie-break order as a pabutools rule, so both break every tie alike."""
    rank = dict(zip((p.id for p in election.projects), tie_break.rank(election).tolist(), strict=True))
    return TieBreakingRule(lambda _inst, _prof, proj: rank[proj.name])


def _score_times_cost_sat(election: PBElection) -> type[AdditiveSatisfaction]:
    """A satisfaction of score × cost: pabutools' greedy ranks by satisfaction / cost = score."""
    if election.vote_type in ("approval", "choose-1"):
        return Cost_Sat
    if election.vote_type == "cumulative":

        def points(_inst: Any, _prof: Any, ballot: Any, project: Any, _pre: Any) -> Any:
            return ballot.get(project, 0) * project.cost

        func = points
    else:
        length = borda_length(election)

        def borda(_inst: Any, _prof: Any, ballot: Any, project: Any, _pre: Any) -> Any:
            return (length - ballot.position(project)) * project.cost if project in ballot else 0

        func = borda

    class ScoreTimesCost(AdditiveSatisfaction):
        def __init__(self, instance: Any, profile: Any, ballot: Any) -> None:
            AdditiveSatisfaction.__init__(self, instance, profile, ballot, func)

    return ScoreTimesCost


def pabutools_greedy(
    election: PBElection,
    tie_break: TieBreak | None = None,
    path: str | None = None,
) -> list[str]:
    """Project ids pabutools' greedy_utilitarian_welfare selects, in order of selection."""
    tie_break = tie_break or TieBreak()
    instance, profile = pabutools_election(election, path)
    outcome = greedy_utilitarian_welfare(
        instance,
        profile,
        sat_class=_score_times_cost_sat(election),
        tie_breaking=pabutools_tie_breaking(election, tie_break),
    )
    return [p.name for p in outcome]


def pabutools_phragmen(
    election: PBElection,
    tie_break: TieBreak | None = None,
    path: str | None = None,
) -> set[str]:
    """Project ids pabutools' sequential_phragmen selects, without projects nobody approved.

    pabutools adds unapproved projects at the very end when they fit; our rule never buys
    them (see dualpower.core.choice.pb.phragmen), so they are left out of the comparison.
    """
    tie_break = tie_break or TieBreak()
    instance, profile = pabutools_election(election, path)
    outcome = sequential_phragmen(instance, profile, tie_breaking=pabutools_tie_breaking(election, tie_break))
    approved = {p.name for p in instance if profile.approval_score(p) > 0}
    return {p.name for p in outcome} & approved


@st.composite
def elections(
    draw: st.DrawFn,
    vote_types: tuple[VoteType, ...] = VOTE_TYPES,
    max_projects: int = 12,
    max_voters: int = 30,
) -> PBElection:
    """Small random elections (costs 1..60 so that ties and exact fits are common)."""
    vote_type = draw(st.sampled_from(vote_types))
    n_projects = draw(st.integers(1, max_projects))
    n_voters = draw(st.integers(1, max_voters))
    ids = draw(
        st.sampled_from(
            [
                [str(k + 1) for k in range(n_projects)],
                [f"p{k}" for k in range(n_projects)],
                [str(100 - 7 * k) for k in range(n_projects)],
            ]
        )
    )
    costs = draw(st.lists(st.integers(1, 60), min_size=n_projects, max_size=n_projects))
    budget = draw(st.integers(0, sum(costs)))
    projects = tuple(Project(id=pid, cost=cost) for pid, cost in zip(ids, costs, strict=True))
    entries: list[list[tuple[int, int]]] = []
    for _ in range(n_voters):
        if vote_type == "choose-1":
            chosen = draw(st.lists(st.integers(0, n_projects - 1), max_size=1))
        else:
            # pabutools cannot read an empty cumulative ballot, so those have at least one project.
            min_size = 1 if vote_type == "cumulative" else 0
            chosen = draw(
                st.lists(st.integers(0, n_projects - 1), min_size=min_size, max_size=n_projects, unique=True)
            )
        if vote_type == "cumulative":
            points = draw(st.lists(st.integers(1, 5), min_size=len(chosen), max_size=len(chosen)))
        elif vote_type == "ordinal":
            points = list(range(1, len(chosen) + 1))
        else:
            points = [1] * len(chosen)
        entries.append(list(zip(chosen, points, strict=True)))
    voter_ids = [f"v{k}" for k in range(n_voters)]
    meta = {
        "description": "random",
        "num_projects": str(n_projects),
        "num_votes": str(n_voters),
        "budget": str(budget),
        "vote_type": vote_type,
    }
    return PBElection(
        projects, budget, vote_type, Ballots.from_lists(voter_ids, entries), MappingProxyType(meta)
    )


def shuffled_voters(election: PBElection, seed: int) -> PBElection:
    """The same election with its ballots in another order."""
    ballots = election.ballots
    order = random.Random(seed).sample(range(ballots.num_voters), ballots.num_voters)
    entries = []
    for v in order:
        index, points = ballots.of(v)
        entries.append(list(zip(index.tolist(), points.tolist(), strict=True)))
    reordered = Ballots.from_lists(
        [ballots.voter_ids[v] for v in order], entries, [int(ballots.weights[v]) for v in order]
    )
    return PBElection(election.projects, election.budget, election.vote_type, reordered, election.meta)


SHARED = shared("pabulib")


@functools.cache
def shared_election(name: str) -> PBElection:
    """A file of ../shared/pabulib, read once per test session (elections are immutable)."""
    return read_pb(SHARED / name)
