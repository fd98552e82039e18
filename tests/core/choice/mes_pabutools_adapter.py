"""Test-only bridge to pabutools (the reference MES implementation) for the MES tests.

Until ``dualpower.core.choice.formats.pb.read_pb`` exists, files are read with pabutools'
parser and turned into a ``PBElection``; once it exists, ``read_election`` uses it.
The same module builds pabutools' instance/profile from a ``PBElection`` so Hypothesis can
run both engines on random instances, and names the satisfaction class that matches the
utilities ``equal_shares`` uses (cost for approval/choose-1, points for cumulative, Borda
position for ordinal).
"""

from __future__ import annotations

import csv
import importlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from pabutools.election import (
    Additive_Borda_Sat,
    Additive_Cardinal_Sat,
    ApprovalBallot,
    ApprovalProfile,
    CardinalBallot,
    CardinalProfile,
    Cost_Sat,
    Instance,
    OrdinalBallot,
    OrdinalProfile,
    Project,
    parse_pabulib,
)
from pabutools.rules import method_of_equal_shares
from pabutools.rules.mes.mes_rule import method_of_equal_shares_scheme
from pabutools.tiebreaking import TieBreakingRule

from dualpower.core.choice.pb.election import Ballots, PBElection
from dualpower.core.choice.pb.election import Project as DpProject


def read_election(path: str | Path) -> PBElection:
    """Read a .pb file with the pb-formats engineer's reader when it exists, else via pabutools."""
    try:
        module = importlib.import_module("dualpower.core.choice.formats.pb")
        return module.read_pb(path)
    except (ImportError, AttributeError):
        return _read_with_pabutools(path)


def _file_project_order(path: Path) -> list[str]:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().upper() == "PROJECTS")
    end = next(i for i, line in enumerate(lines) if line.strip().upper() == "VOTES")
    rows = list(csv.reader(lines[start + 1 : end], delimiter=";"))
    return [row[0].strip() for row in rows[1:] if row]


def _read_with_pabutools(path: str | Path) -> PBElection:
    path = Path(path)
    instance, profile = parse_pabulib(str(path))
    by_id = {p.name: p for p in instance}
    order = [pid for pid in _file_project_order(path) if pid in by_id]
    position = {pid: k for k, pid in enumerate(order)}
    projects = tuple(DpProject(id=pid, cost=int(by_id[pid].cost)) for pid in order)
    vote_type = instance.meta.get("vote_type", "approval")
    entries: list[list[tuple[int, int]]] = []
    voter_ids: list[str] = []
    for k, ballot in enumerate(profile):
        voter_ids.append(str(ballot.meta.get("voter_id", k)))
        if vote_type == "cumulative":
            entries.append([(position[p.name], int(v)) for p, v in ballot.items()])
        elif vote_type == "ordinal":
            entries.append([(position[p.name], r + 1) for r, p in enumerate(ballot)])
        else:
            entries.append([(position[p.name], 1) for p in ballot])
    ballots = Ballots.from_lists(voter_ids, entries)
    return PBElection(projects, int(instance.budget_limit), vote_type, ballots)


def selected_column(path: str | Path) -> set[str]:
    """The ids whose PROJECTS ``selected`` column is 1: what the city funded."""
    lines = Path(path).read_text(encoding="utf-8-sig").splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip().upper() == "PROJECTS")
    end = next(i for i, line in enumerate(lines) if line.strip().upper() == "VOTES")
    rows = list(csv.reader(lines[start + 1 : end], delimiter=";"))
    column = [h.strip() for h in rows[0]].index("selected")
    return {row[0].strip() for row in rows[1:] if row and row[column].strip() == "1"}


def sat_class_for(vote_type: str) -> type:
    if vote_type == "cumulative":
        return Additive_Cardinal_Sat
    if vote_type == "ordinal":
        return Additive_Borda_Sat
    return Cost_Sat


def to_pabutools(election: PBElection) -> tuple[Any, Any]:
    """pabutools' instance and profile for ``election`` (project names are the ids)."""
    projects = [Project(p.id, p.cost) for p in election.projects]
    instance = Instance(projects, budget_limit=election.budget)
    ballots = election.ballots
    rows = []
    for v in range(ballots.num_voters):
        idx, pts = ballots.of(v)
        for _ in range(int(ballots.weights[v])):
            rows.append((idx, pts))
    if election.vote_type == "cumulative":
        profile: Any = CardinalProfile(
            [
                CardinalBallot({projects[int(i)]: int(s) for i, s in zip(idx, pts, strict=True)})
                for idx, pts in rows
            ]
        )
    elif election.vote_type == "ordinal":
        profile = OrdinalProfile(
            [
                OrdinalBallot([projects[int(i)] for i in idx[np.argsort(pts, kind="stable")]])
                for idx, pts in rows
            ]
        )
    else:
        profile = ApprovalProfile([ApprovalBallot([projects[int(i)] for i in idx]) for idx, _ in rows])
    return instance, profile


def tie_breaking_rule(order: Sequence[str]) -> TieBreakingRule:
    """pabutools' tie-breaking that prefers projects earlier in ``order`` (our TieBreak.rank)."""
    place = {pid: k for k, pid in enumerate(order)}
    return TieBreakingRule(lambda _instance, _profile, project: place[project.name])


def pabutools_mes(
    instance: Any, profile: Any, vote_type: str, order: Sequence[str], share: Any = None
) -> list[str]:
    """pabutools' exact MES; ``share`` (a per-voter budget) runs its inner scheme at that share."""
    sat = sat_class_for(vote_type)
    rule = tie_breaking_rule(order)
    if share is None:
        result = method_of_equal_shares(instance, profile, sat_class=sat, tie_breaking=rule)
    else:
        from pabutools.rules.budgetallocation import BudgetAllocation

        result = method_of_equal_shares_scheme(
            instance,
            profile,
            profile.as_sat_profile(sat_class=sat),
            share,
            BudgetAllocation(),
            rule,
            binary_sat=isinstance(profile, ApprovalProfile),
        )
    return [p.name for p in result]
