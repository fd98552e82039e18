"""Greedy by votes: fund the projects with the most votes (or points) while money lasts.

This is the rule most cities have used (pabulib ``rule`` values ``greedy``,
``greedy-threshold`` and ``greedy-no-skip``, checked by pabulib's own file checker):

- projects are ranked by score, highest first, ties broken by the recorded tie-break;
- each project is funded if it fits in what is left of the budget;
- ``greedy`` skips a project that does not fit and goes on down the list;
- ``greedy-no-skip`` stops at the first project that does not fit (Wrocław 2015);
- ``greedy-threshold`` only considers projects whose score is at least
  ``min_project_score_threshold`` (Katowice 2023, Warszawa 2026).

The score is the number of voters for approval and choose-1 ballots, the number of
points for cumulative ballots and, for ordinal ballots, Borda points: the pabulib default
``scoring_fn`` where, on ballots of at most ``max_length`` projects, a first choice gets
``max_length`` points, a second ``max_length - 1`` and so on. That reproduces the
``score`` column and the outcome of Kraków 2024 (three choices: 3, 2 and 1 points).
It equals pabutools' ``greedy_utilitarian_welfare`` with a satisfaction of score × cost
(for projects that cost something). As there, a project nobody voted for is still funded
if money is left at its turn; a city that wants otherwise sets a threshold of 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from dualpower.core.choice.pb.election import PBElection
from dualpower.core.choice.pb.outcome import PBOutcome
from dualpower.core.choice.pb.tiebreak import TieBreak

THRESHOLD_KEY = "min_project_score_threshold"


def greedy(
    election: PBElection,
    *,
    threshold: int | None = 0,
    skip: bool = True,
    tie_break: TieBreak = TieBreak(),  # noqa: B008 - frozen, so one shared default is safe
) -> PBOutcome:
    """Fund projects by score while they fit.

    ``threshold`` is the smallest score a project needs; ``None`` takes it from META
    ``min_project_score_threshold`` (0 if absent). ``skip=False`` stops at the first
    project that does not fit instead of skipping it.
    """
    if threshold is None:
        threshold = meta_threshold(election)
    if threshold < 0:
        raise ValueError("The score threshold cannot be negative.")
    scores = project_scores(election)
    rank = tie_break.rank(election)
    costs = [p.cost for p in election.projects]
    scale = int(election.meta.get("currency_scale", "1"))
    unit = _score_unit(election)

    # Highest score first; among equal scores the tie-break order (rank 0 first).
    order = np.lexsort((rank, -scores))
    remaining = election.budget
    selected: list[str] = []
    steps: list[Mapping[str, Any]] = []
    stopped_at: str | None = None
    for i in order.tolist():
        project = election.projects[i]
        score = int(scores[i])
        step: dict[str, Any] = {"project": project.id, "score": score, "cost": costs[i]}
        if stopped_at is not None:
            step.update(decision="not reached", reason=f"the count stopped at project {stopped_at}")
        elif score < threshold:
            step.update(
                decision="below threshold",
                reason=f"{score:,} {unit}, below the threshold of {threshold:,}",
            )
        elif costs[i] <= remaining:
            remaining -= costs[i]
            selected.append(project.id)
            step.update(
                decision="selected",
                reason=f"costs {format_money(costs[i], scale)}, {format_money(remaining, scale)} left",
            )
        else:
            reason = f"costs {format_money(costs[i], scale)}, {format_money(remaining, scale)} left"
            if skip:
                step.update(decision="skipped", reason=reason)
            else:
                stopped_at = project.id
                step.update(decision="stop", reason=f"{reason}; the count stops here")
        step["remaining"] = remaining
        steps.append(step)

    rule = "greedy-no-skip" if not skip else ("greedy-threshold" if threshold > 0 else "greedy")
    settings: dict[str, Any] = {
        "rule": rule,
        "threshold": threshold,
        "skip": skip,
        "score": _score_setting(election),
        "tie_break": tie_break.settings(),
        "arithmetic": "exact",
    }
    return PBOutcome(
        rule=rule,
        selected=tuple(selected),
        total_cost=election.budget - remaining,
        settings=settings,
        explanation=tuple(steps),
    )


def meta_threshold(election: PBElection) -> int:
    """The score threshold the file states (META ``min_project_score_threshold``), else 0."""
    text = election.meta.get(THRESHOLD_KEY, "").strip()
    if not text:
        return 0
    try:
        return int(text)
    except ValueError:
        raise ValueError(f"META {THRESHOLD_KEY} is {text!r}, which is not a whole number.") from None


def project_scores(election: PBElection) -> npt.NDArray[np.int64]:
    """Each project's score: (weighted) voters, points, or Borda points for ordinal ballots."""
    ballots = election.ballots
    weights = np.repeat(ballots.weights, np.diff(ballots.offsets))
    if election.vote_type == "cumulative":
        values = weights * ballots.points
    elif election.vote_type == "ordinal":
        values = weights * (borda_length(election) + 1 - ballots.points)
    else:
        values = weights
    # Integer accumulation: bincount with weights would go through float64.
    scores = np.zeros(len(election.projects), dtype=np.int64)
    np.add.at(scores, ballots.project_index, values)
    return scores


def borda_length(election: PBElection) -> int:
    """Points of a first choice on an ordinal ballot: META max_length, else the number of projects.

    pabulib's ``scoring_fn`` defaults to Borda and ``max_length`` to the number of projects;
    no other scoring function is defined, so any other value is refused.
    """
    scoring = election.meta.get("scoring_fn", "").strip()
    if scoring and scoring.lower() != "borda":
        raise ValueError(f"The ordinal scoring function {scoring!r} is not supported (only Borda).")
    text = election.meta.get("max_length", "").strip()
    length = int(text) if text.isdigit() else len(election.projects)
    longest = int(np.diff(election.ballots.offsets).max(initial=0))
    # A ballot longer than max_length would get zero or negative points: use its length.
    return max(length, longest)


def format_money(amount: int, scale: int = 1) -> str:
    """An amount in the smallest unit as text with thousands separators: 120000 -> "120,000"."""
    if scale == 1:
        return f"{amount:,}"
    digits = len(str(scale)) - 1
    sign = "-" if amount < 0 else ""
    whole, part = divmod(abs(amount), scale)
    return f"{sign}{whole:,}.{part:0{digits}d}"


def _score_unit(election: PBElection) -> str:
    return "votes" if election.vote_type in ("approval", "choose-1") else "points"


def _score_setting(election: PBElection) -> dict[str, Any]:
    if election.vote_type == "ordinal":
        return {"kind": "borda", "first_choice_points": borda_length(election)}
    if election.vote_type == "cumulative":
        return {"kind": "points"}
    return {"kind": "votes"}
