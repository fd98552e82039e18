"""The Method of Equal Shares (MES) with its completions: the public entry points.

``equal_shares`` counts; ``explain_voter`` says what one voter's share paid for. The rule itself
is in ``mes_core`` (one run at a given per-voter share), the add1 sweep in ``mes_add1``, the
explanation in ``mes_explain`` and the utilities/grouping in ``mes_prepare``.

Completions (as described on equalshares.net under completion methods):
- ``none``: MES with the budget split equally, as is;
- ``add1``: the share is raised one currency unit at a time; the outcome of the last step
  before the first outcome that does not fit (see ``mes_add1``);
- ``add1u``: add1, then what is left goes greedily by utility per cost (votes for approval);
- ``utilitarian``: MES, then the same greedy fill.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Literal

from dualpower.core.choice.pb.election import PBElection
from dualpower.core.choice.pb.mes_add1 import add1_jumping
from dualpower.core.choice.pb.mes_core import RunResult, run_mes
from dualpower.core.choice.pb.mes_explain import explain_run, explain_voter_payments, share_step
from dualpower.core.choice.pb.mes_prepare import IntArray, Prepared, prepare
from dualpower.core.choice.pb.outcome import PBOutcome
from dualpower.core.choice.pb.tiebreak import TieBreak

Completion = Literal["none", "add1", "add1u", "utilitarian"]
COMPLETIONS: tuple[Completion, ...] = ("none", "add1", "add1u", "utilitarian")


def equal_shares(
    election: PBElection,
    *,
    completion: Completion = "add1",
    tie_break: TieBreak = TieBreak(),  # noqa: B008 - frozen dataclass, safe as a default
    exact: bool = True,
    progress: Callable[[int], None] | None = None,
) -> PBOutcome:
    """Count ``election`` with the Method of Equal Shares.

    ``exact=False`` is a float preview that still re-decides every near tie exactly, so it gives
    the same outcome; the official count uses ``exact=True`` (every rho is an exact fraction).
    ``progress`` (optional) is called with the add1 step being tried.
    """
    if completion not in COMPLETIONS:
        raise ValueError(f"Unknown MES completion {completion!r}; use one of {', '.join(COMPLETIONS)}.")
    if election.budget < 0:
        raise ValueError("The budget is negative; MES needs a budget of at least 0.")
    prep = prepare(election)
    rank = tie_break.rank(election)
    if prep.total_weight <= 0:
        raise ValueError("There are no ballots (or only zero-weight ones); MES needs at least one voter.")
    base = Fraction(election.budget, prep.total_weight)
    step = 0
    if completion in ("add1", "add1u"):
        found = add1_jumping(prep, election.budget, rank, progress=progress)
        step = found.step
    share = base + step
    run = run_mes(prep, share, rank, exact=exact, record=True)
    filled: list[int] = []
    if completion in ("add1u", "utilitarian"):
        filled = greedy_fill(prep, election.budget, rank, run.selected)
    selected_idx = [*run.selected, *filled]
    ids = tuple(election.projects[i].id for i in selected_idx)
    settings: dict[str, Any] = {
        "rule": "mes",
        "completion": completion,
        "utility": prep.utility,
        "tie_break": tie_break.settings(),
        "arithmetic": "exact" if exact else "float",
        "share_per_voter": _fraction_text(share),
        "base_share_per_voter": _fraction_text(base),
        "add1_steps": step,
    }
    explanation = (share_step(base, step, completion), *explain_run(election, prep, run, filled))
    return PBOutcome(
        rule="mes",
        selected=ids,
        total_cost=int(sum(election.projects[i].cost for i in selected_idx)),
        settings=MappingProxyType(settings),
        explanation=explanation,
    )


def greedy_fill(prep: Prepared, budget: int, rank: IntArray, chosen: list[int]) -> list[int]:
    """Fund what still fits, best total utility per cost first (votes for approval), by tie-break.

    Utility per cost is compared exactly (as fractions); projects nobody supports are not added.
    """
    left = budget - int(prep.costs[chosen].sum())
    taken = set(chosen)
    order = sorted(
        (p for p in range(prep.num_projects) if p not in taken and prep.p_mu[p] > 0),
        key=lambda p: (-Fraction(int(prep.p_mu[p]), max(int(prep.costs[p]), 1)), int(rank[p])),
    )
    added: list[int] = []
    for p in order:
        if int(prep.costs[p]) <= left:
            added.append(p)
            left -= int(prep.costs[p])
    return added


def explain_voter(election: PBElection, outcome: PBOutcome, voter_id: str) -> dict[str, Any]:
    """What ``voter_id``'s share was, what it paid for (exactly), and what is left of it."""
    if outcome.rule != "mes":
        raise ValueError(f"explain_voter explains MES counts; this outcome is from {outcome.rule!r}.")
    try:
        voter = election.ballots.voter_ids.index(voter_id)
    except ValueError:
        raise ValueError(f"There is no voter {voter_id!r} in this election.") from None
    settings = outcome.settings
    tb = settings["tie_break"]
    tie_break = TieBreak(kind=tb["kind"], seed=int(tb.get("seed", 0)), order=tuple(tb.get("order", ())))
    prep = prepare(election)
    share = Fraction(settings["share_per_voter"])
    run: RunResult = run_mes(prep, share, tie_break.rank(election), exact=True)
    if tuple(election.projects[i].id for i in run.selected) != outcome.selected[: len(run.selected)]:
        raise ValueError("This outcome does not come from this election with the recorded settings.")
    return explain_voter_payments(election, prep, run, voter, outcome)


def _fraction_text(x: Fraction) -> str:
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


__all__ = ["COMPLETIONS", "Completion", "equal_shares", "explain_voter", "greedy_fill"]
