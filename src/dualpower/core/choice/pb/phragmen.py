"""Sequential Phragmén for approval ballots, limited by the budget, in exact rationals.

Phragmén's rule (Phragmén 1894; for budgets: Los, Christoff and Grossi, "Proportional
Budget Allocations", AAAI 2022, and pabutools' ``sequential_phragmen``): every voter
carries a *load*, starting at 0. Buying a project spreads its cost over its supporters so
that they all end with the same load, ``(their loads + cost) / their number``. At each
step the project that gives the smallest such load is bought. The count stops as soon as
a project that would be bought next (any project reaching the smallest load) does not
fit in what is left of the budget, exactly as pabutools does.

Two choices, both as in pabutools: projects dearer than the whole budget are left out
from the start, and ties are broken by the recorded tie-break. One difference: a project
nobody approved is never bought (no load can pay for it), where pabutools would add such
projects at the end, after every supported one, if they fit.

Loads are kept exactly: every voter's load is the load set when the last project they
support was bought, so voters fall into a few load *classes*, and a (project × class) table
of supporter weights turns each step into one small product instead of a sum over voters.
Floats pick out the candidates near the smallest load; exact fractions decide among them.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from dualpower.core.choice.pb.election import Ballots, PBElection
from dualpower.core.choice.pb.greedy import format_money
from dualpower.core.choice.pb.outcome import PBOutcome
from dualpower.core.choice.pb.tiebreak import TieBreak


def phragmen(
    election: PBElection,
    *,
    tie_break: TieBreak = TieBreak(),  # noqa: B008 - frozen, so one shared default is safe
) -> PBOutcome:
    """Run sequential Phragmén on an approval (or choose-1) election."""
    if election.vote_type not in ("approval", "choose-1"):
        raise ValueError(
            f"Sequential Phragmén needs approval ballots; this election has {election.vote_type} ballots."
        )
    ballots = election.ballots
    n_projects = len(election.projects)
    costs = [p.cost for p in election.projects]
    scale = int(election.meta.get("currency_scale", "1"))
    rank = tie_break.rank(election).tolist()

    voter_of_entry = ballots.voter_of_entry()
    entry_weight = ballots.weights[voter_of_entry]
    # Supporters of each project (CSC layout): voters_by_project[starts[p]:starts[p + 1]].
    by_project = np.argsort(ballots.project_index, kind="stable")
    project_starts = np.zeros(n_projects + 1, dtype=np.int64)
    np.cumsum(np.bincount(ballots.project_index, minlength=n_projects), out=project_starts[1:])
    supporters_of = (voter_of_entry[by_project], project_starts)
    support = np.zeros(n_projects, dtype=np.int64)
    np.add.at(support, ballots.project_index, entry_weight)
    supporters = support.tolist()

    steps: list[dict[str, Any]] = []
    candidates: list[int] = []
    for i, project in enumerate(election.projects):
        if costs[i] > election.budget:
            steps.append(
                {"project": project.id, "decision": "excluded", "reason": "costs more than the whole budget"}
            )
        elif supporters[i] == 0:
            steps.append({"project": project.id, "decision": "excluded", "reason": "no voter approves it"})
        else:
            candidates.append(i)

    # Load classes: class c holds the voters whose load is class_loads[c]; c = 0 is load 0.
    voter_class = np.zeros(ballots.num_voters, dtype=np.int64)
    class_loads: list[Fraction] = [Fraction(0)]
    class_floats = np.zeros(len(candidates) + 1, dtype=np.float64)
    # weight_by_class[p, c]: total weight of p's supporters whose load is in class c.
    weight_by_class = np.zeros((n_projects, len(candidates) + 1), dtype=np.int64)
    weight_by_class[:, 0] = support
    cost_array = np.array(costs, dtype=np.float64)

    remaining = election.budget
    selected: list[str] = []
    while candidates:
        n_classes = len(class_loads)
        best, tied = _smallest_loads(
            candidates,
            weight_by_class[:, :n_classes],
            class_loads,
            class_floats[:n_classes],
            cost_array,
            costs,
            supporters,
        )
        too_dear = [p for p in tied if costs[p] > remaining]
        if too_dear:
            p = min(too_dear, key=rank.__getitem__)
            steps.append(
                {
                    "project": election.projects[p].id,
                    "decision": "stop",
                    "load": str(best),
                    "reason": (
                        f"next by load ({float(best):,.2f}) but costs {format_money(costs[p], scale)}, "
                        f"{format_money(remaining, scale)} left; the count stops here"
                    ),
                }
            )
            break
        chosen = min(tied, key=rank.__getitem__)
        before = {
            str(class_loads[c]): int(w)
            for c, w in enumerate(weight_by_class[chosen, :n_classes].tolist())
            if w
        }
        class_loads.append(best)
        class_floats[n_classes] = float(best)
        _move_supporters(ballots, supporters_of, voter_class, chosen, n_classes, weight_by_class)

        remaining -= costs[chosen]
        selected.append(election.projects[chosen].id)
        candidates.remove(chosen)
        steps.append(
            {
                "project": election.projects[chosen].id,
                "decision": "selected",
                "cost": costs[chosen],
                "supporters": supporters[chosen],
                "load": str(best),
                "load_float": float(best),
                "loads_before": before,
                "remaining": remaining,
                "reason": (
                    f"each of its {supporters[chosen]:,} supporters now carries a load of "
                    f"{float(best):,.2f}; "
                    f"costs {format_money(costs[chosen], scale)}, {format_money(remaining, scale)} left"
                ),
            }
        )
    for p in candidates:
        if not any(s.get("project") == election.projects[p].id for s in steps):
            steps.append({"project": election.projects[p].id, "decision": "not reached"})

    settings: dict[str, Any] = {"rule": "phragmen", "tie_break": tie_break.settings(), "arithmetic": "exact"}
    return PBOutcome(
        rule="phragmen",
        selected=tuple(selected),
        total_cost=election.budget - remaining,
        settings=settings,
        explanation=tuple(steps),
    )


# Float loads are sums of non-negative terms, each off by a relative 1e-16 at most, so a
# float within this relative distance of the float minimum may be the exact minimum.
_NEAR = 1e-9


def _smallest_loads(
    candidates: list[int],
    weight_by_class: np.ndarray,
    class_loads: list[Fraction],
    class_floats: np.ndarray,
    cost_array: np.ndarray,
    costs: list[int],
    supporters: list[int],
) -> tuple[Fraction, list[int]]:
    """The smallest new load any candidate would give, exactly, and every candidate giving it.

    Floats screen all candidates at numpy speed; exact fractions decide between those
    whose float load is within rounding distance of the smallest.
    """
    index = np.array(candidates, dtype=np.int64)
    carried = weight_by_class[index] @ class_floats
    loads = (carried + cost_array[index]) / np.array([supporters[p] for p in candidates], dtype=np.float64)
    near = index[loads <= loads.min() * (1 + _NEAR)].tolist()
    exact: dict[int, Fraction] = {}
    for p in near:
        row = weight_by_class[p]
        paid = sum((class_loads[c] * int(row[c]) for c in np.flatnonzero(row).tolist()), Fraction(0))
        exact[p] = (paid + costs[p]) / supporters[p]
    best = min(exact.values())
    return best, [p for p in candidates if exact.get(p) == best]


def _move_supporters(
    ballots: Ballots,
    supporters_of: tuple[np.ndarray, np.ndarray],
    voter_class: np.ndarray,
    chosen: int,
    new_class: int,
    weight_by_class: np.ndarray,
) -> None:
    """Put every supporter of ``chosen`` in ``new_class`` and update the weight table.

    Touches only the ballots of those supporters, not the whole profile.
    """
    voters_by_project, project_starts = supporters_of
    voters = voters_by_project[project_starts[chosen] : project_starts[chosen + 1]]
    starts = ballots.offsets[voters]
    lengths = ballots.offsets[voters + 1] - starts
    # The entry positions of all those ballots, concatenated.
    entries = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(int(lengths.sum()))
    projects = ballots.project_index[entries].astype(np.int64)
    owners = np.repeat(voters, lengths)
    weights = ballots.weights[owners].astype(np.float64)
    n_projects, width = weight_by_class.shape
    # bincount sums in float64, exact for integer totals below 2**53 (any real electorate).
    leaving = np.bincount(
        projects * width + voter_class[owners], weights=weights, minlength=n_projects * width
    )
    arriving = np.bincount(projects, weights=weights, minlength=n_projects)
    weight_by_class -= leaving.astype(np.int64).reshape(n_projects, width)
    weight_by_class[:, new_class] += arriving.astype(np.int64)
    voter_class[voters] = new_class


def voter_loads(election: PBElection, outcome: PBOutcome, voter_id: str) -> list[dict[str, Any]]:
    """One voter's load after each purchase of a Phragmén count: what their share has paid for.

    A voter's load is the load set by the last purchased project they approve (0 before).
    """
    if outcome.rule != "phragmen":
        raise ValueError(f"This is a {outcome.rule} count, not a Phragmén count.")
    try:
        voter = election.ballots.voter_ids.index(voter_id)
    except ValueError:
        raise ValueError(f"No voter has the id {voter_id!r}.") from None
    index, _ = election.ballots.of(voter)
    approved = {election.projects[i].id for i in index.tolist()}
    load = Fraction(0)
    history: list[dict[str, Any]] = []
    for step in outcome.explanation:
        if step.get("decision") != "selected":
            continue
        supports = step["project"] in approved
        if supports:
            load = Fraction(step["load"])
        history.append(
            {"project": step["project"], "supports": supports, "load": str(load), "load_float": float(load)}
        )
    return history
