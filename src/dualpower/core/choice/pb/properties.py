"""Proportionality checks for budgeting outcomes (used by tests and audits).

``is_ejr_up_to_one``: Extended Justified Representation up to one project for approval
ballots with cost utilities (Peters, Pierczyński, Skowron, "Proportional Participatory
Budgeting with Additive Utilities", NeurIPS 2021, where the Method of Equal Shares is shown to
satisfy it). A group S of voters who all approve every project of T and is large enough to pay
for T from its shares (|S| / n >= cost(T) / budget) must contain a voter i who is satisfied:
u_i(W) >= cost(T), or adding some project a of T not funded would give u_i(W) + cost(a) >
cost(T) (strictly, as in the paper), where u_i(W) is the cost of i's approved funded projects.
The check enumerates every T (exponential in the number of projects: for small instances).
"""

from __future__ import annotations

from collections.abc import Collection
from itertools import combinations

import numpy as np

from dualpower.core.choice.pb.election import PBElection

_MAX_PROJECTS = 20


def is_ejr_up_to_one(election: PBElection, selected: Collection[str], *, strict: bool = True) -> bool:
    """Whether ``selected`` gives EJR up to one project (see the module docstring).

    ``strict=False`` is pabutools' ``is_EJR_one_approval`` reading: a voter also counts as
    satisfied when u_i(W) + cost(a) equals cost(T).
    """
    if election.vote_type not in ("approval", "choose-1"):
        raise ValueError("is_ejr_up_to_one checks approval (or choose-1) ballots only.")
    n_projects = len(election.projects)
    if n_projects > _MAX_PROJECTS:
        raise ValueError(
            f"is_ejr_up_to_one enumerates project sets; use it with at most {_MAX_PROJECTS} projects."
        )
    position = election.project_position()
    unknown = [pid for pid in selected if pid not in position]
    if unknown:
        raise ValueError(f"Unknown project id(s) in the outcome: {', '.join(unknown)}.")
    ballots = election.ballots
    costs = election.costs
    approves = np.zeros((ballots.num_voters, n_projects), dtype=np.bool_)
    approves[ballots.voter_of_entry(), ballots.project_index] = True
    weights = ballots.weights.astype(np.int64)
    n = int(weights.sum())
    funded = np.zeros(n_projects, dtype=np.bool_)
    funded[[position[pid] for pid in selected]] = True
    have = (approves & funded) @ costs  # u_i(W) with cost utilities
    for size in range(1, n_projects + 1):
        for subset in combinations(range(n_projects), size):
            t = list(subset)
            cost_t = int(costs[t].sum())
            if cost_t > election.budget or cost_t == 0:
                continue
            group = approves[:, t].all(axis=1)
            # Large enough: |S| * budget >= cost(T) * n (integers, no rounding).
            if int(weights[group].sum()) * election.budget < cost_t * n:
                continue
            missing = [p for p in t if not funded[p]]
            best_add = int(costs[missing].max()) if missing else 0
            reached = have + best_add > cost_t if strict else have + best_add >= cost_t
            unsatisfied = group & (have < cost_t) & ~reached
            if int(weights[unsatisfied].sum()) * election.budget >= cost_t * n:
                return False
    return True
