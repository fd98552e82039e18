"""Explanations of an MES count: who paid how much for each funded project, why others were not.

Amounts in the text are rounded to cents for reading; the exact rho of every funded project is
given as a fraction, and ``explain_voter`` recomputes one voter's payments exactly.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import numpy as np

from dualpower.core.choice.pb.election import PBElection
from dualpower.core.choice.pb.mes_core import RunResult
from dualpower.core.choice.pb.mes_prepare import Prepared
from dualpower.core.choice.pb.outcome import PBOutcome


def money(x: float | Fraction) -> str:
    """1830 -> '1,830'; 1830.5 -> '1,830.50' (rounded to cents for reading)."""
    value = round(float(x), 2)
    return f"{value:,.0f}" if value == int(value) else f"{value:,.2f}"


def _fraction(x: Fraction | float) -> str:
    if isinstance(x, Fraction):
        return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"
    return repr(x)


def _amount(lo: float, hi: float) -> str:
    return money(lo) if round(lo, 2) == round(hi, 2) else f"{money(lo)} to {money(hi)}"


def _payment_text(pay: dict[str, float]) -> str:
    if not pay or (pay["full_payers"] == 0 and pay["all_in_payers"] == 0):
        return "it costs nothing"
    parts = []
    if pay["full_payers"]:
        n = int(pay["full_payers"])
        parts.append(
            f"{n:,} supporter{'s' if n != 1 else ''} paid {_amount(pay['full_min'], pay['full_max'])} each"
        )
    if pay["all_in_payers"]:
        n = int(pay["all_in_payers"])
        parts.append(
            f"{n:,} supporter{'s' if n != 1 else ''} paid all they had left "
            f"({_amount(pay['all_in_min'], pay['all_in_max'])}, {money(pay['all_in_total'])} in all)"
        )
    return "; ".join(parts)


def share_step(base: Fraction, step: int, completion: str) -> dict[str, Any]:
    """The first step of every explanation: how large each voter's share was, and why."""
    text = f"Each voter's share: {money(base + step)} (the budget divided by the number of voters"
    if step:
        text += f", {money(base)}, raised {step:,} times by one currency unit by the add1 completion)."
    else:
        text += ")."
    return {
        "kind": "share",
        "share": _fraction(base + step),
        "base_share": _fraction(base),
        "add1_steps": step,
        "completion": completion,
        "text": text,
    }


def explain_run(
    election: PBElection, prep: Prepared, run: RunResult, filled: list[int]
) -> tuple[dict[str, Any], ...]:
    steps: list[dict[str, Any]] = []
    for r, p in enumerate(run.selected):
        project = election.projects[p]
        pay = run.payments[r] if r < len(run.payments) else {}
        supporters = int(prep.p_mult[prep.p_offsets[p] : prep.p_offsets[p + 1]].sum())
        steps.append(
            {
                "kind": "funded",
                "round": r + 1,
                "project": project.id,
                "cost": project.cost,
                "rho": _fraction(run.rho[r]),
                "rho_float": float(run.rho[r]),
                "supporters": supporters,
                "payments": {k: round(v, 2) for k, v in pay.items()},
                "text": f"Funded {project.id} ({money(project.cost)}) in round {r + 1}: "
                + _payment_text(pay)
                + ".",
            }
        )
    for p in filled:
        project = election.projects[p]
        steps.append(
            {
                "kind": "completion",
                "project": project.id,
                "cost": project.cost,
                "text": f"Added {project.id} ({money(project.cost)}) by the utilitarian completion: "
                "it fit in what the equal shares left unspent.",
            }
        )
    funded = set(run.selected) | set(filled)
    for p, project in enumerate(election.projects):
        if p in funded:
            continue
        if prep.p_mu[p] <= 0:
            steps.append(
                {
                    "kind": "rejected",
                    "project": project.id,
                    "cost": project.cost,
                    "reason": "no-support",
                    "text": f"Not funded {project.id}: no voter supported it.",
                }
            )
            continue
        when, left = run.rejected.get(p, (len(run.selected), 0.0))
        steps.append(
            {
                "kind": "rejected",
                "project": project.id,
                "cost": project.cost,
                "reason": "supporters-short",
                "after_round": when,
                "supporters_had": round(left, 2),
                "text": f"Not funded {project.id}: after round {when} its supporters had {money(left)} left "
                f"of the {money(project.cost)} it needs.",
            }
        )
    return tuple(steps)


def explain_voter_payments(
    election: PBElection, prep: Prepared, run: RunResult, voter: int, outcome: PBOutcome
) -> dict[str, Any]:
    """One voter's exact account: the share, each payment, what is left (weight-scaled)."""
    weight = int(election.ballots.weights[voter])
    group = int(prep.voter_group[voter])
    balance = run.share
    payments: list[dict[str, Any]] = []
    supported: set[int] = set()
    if group >= 0:
        lo, hi = int(prep.g_offsets[group]), int(prep.g_offsets[group + 1])
        util = dict(zip(prep.g_project[lo:hi].tolist(), prep.g_util[lo:hi].tolist(), strict=True))
        supported = set(util)
        for r, p in enumerate(run.selected):
            if p not in util:
                continue
            rho = run.rho[r]
            assert isinstance(rho, Fraction)
            pay = balance if int(run.exhausted_round[group]) == r else min(balance, rho * util[p])
            balance -= pay
            payments.append(
                {
                    "project": election.projects[p].id,
                    "round": r + 1,
                    "paid": round(float(pay * weight), 2),
                    "paid_exact": _fraction(pay * weight),
                    "all_that_was_left": int(run.exhausted_round[group]) == r,
                }
            )
    by_completion = [pid for pid in outcome.selected[len(run.selected) :]]
    position = election.project_position()
    return {
        "voter_id": election.ballots.voter_ids[voter],
        "weight": weight,
        "share": round(float(run.share * weight), 2),
        "share_exact": _fraction(run.share * weight),
        "payments": payments,
        "left": round(float(balance * weight), 2),
        "left_exact": _fraction(balance * weight),
        "supported_not_funded": [
            election.projects[p].id
            for p in sorted(supported)
            if election.projects[p].id not in outcome.selected
        ],
        "supported_funded_by_completion": [pid for pid in by_completion if position[pid] in supported],
        "text": f"Voter {election.ballots.voter_ids[voter]} started with {money(run.share * weight)}, paid "
        + (", ".join(f"{money(x['paid'])} for {x['project']}" for x in payments) or "for nothing")
        + f", and has {money(balance * weight)} left.",
    }


__all__ = ["explain_run", "explain_voter_payments", "money", "share_step"]
_ = np  # numpy arrays flow through Prepared
