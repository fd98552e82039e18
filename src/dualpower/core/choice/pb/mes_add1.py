"""The add1 completion of the Method of Equal Shares, by stepping and by jumping (ADD-OPT style).

add1 as cities use it (issue 3; equalshares.net, completion methods): raise every voter's
share by one currency unit at a time, starting from budget / voters, and re-run MES; the result
is the outcome of the last step before the first step whose outcome no longer fits the budget.
An outcome that is exhaustive does not end the sweep: the sweep is not monotone. The sweep also
ends at a step that funds every project with a supporter (nothing later can add anything).

``add1_stepping`` is the literal definition. ``add1_jumping`` gives the same result with few MES
runs, in the spirit of ADD-OPT (Kraiczy, Robinson, Elkind, "Streamlining Equal Shares", 2025):
instead of re-running at every step it computes, from one run, how far the share can rise before
the outcome can change (``mes_certify``: every decision of the run is a linear inequality in the
share once the earlier decisions are fixed) and re-runs only there. The certificate is
conservative (it may stop at a share where only who-pays-what changes, never past a change of
outcome), so results are identical to stepping; tests compare both on random elections.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from dualpower.core.choice.pb.mes_certify import certified_extra_share
from dualpower.core.choice.pb.mes_core import RunResult, run_mes
from dualpower.core.choice.pb.mes_prepare import IntArray, Prepared


@dataclass(frozen=True)
class Add1Result:
    run: RunResult
    step: int  # the per-voter share of the result is base + step
    runs: int  # how many MES runs the search needed


def _verdict(prep: Prepared, budget: int, run: RunResult) -> str:
    """'over' if the outcome does not fit, 'all' if it funds every supported project, else 'go'."""
    if int(prep.costs[run.selected].sum()) > budget:
        return "over"
    if len(run.selected) == int(np.count_nonzero(prep.p_mu > 0)):
        return "all"
    return "go"


def add1_stepping(
    prep: Prepared, budget: int, rank: IntArray, *, exact: bool = True, max_steps: int | None = None
) -> Add1Result:
    """The literal sweep: one MES run per currency unit (for tests and small instances)."""
    base = Fraction(budget, prep.total_weight)
    previous = run_mes(prep, base, rank, exact=exact)
    step = 0
    while _verdict(prep, budget, previous) == "go":
        if max_steps is not None and step >= max_steps:
            raise ValueError(f"The add1 sweep did not end within {max_steps} steps.")
        current = run_mes(prep, base + step + 1, rank, exact=exact)
        verdict = _verdict(prep, budget, current)
        if verdict == "over":
            break
        step += 1
        previous = current
    return Add1Result(previous, step, step + 2)


def add1_jumping(
    prep: Prepared,
    budget: int,
    rank: IntArray,
    *,
    progress: Callable[[int], None] | None = None,
) -> Add1Result:
    """The same result as ``add1_stepping``, jumping over steps whose outcome cannot change.

    From a run at step k, ``certified_extra_share`` gives d such that every step k + j with
    j < d has the same outcome; the next run is at k + max(1, ceil(d)). If that outcome does not
    fit, the answer is the current outcome (it is also the outcome of the step just before).
    """
    base = Fraction(budget, prep.total_weight)
    runs = 0
    # Past this share every supported project is always affordable, so the sweep has ended.
    ceiling = 2 * int(prep.costs.sum()) + 2

    def at(step: int) -> RunResult:
        nonlocal runs
        runs += 1
        if progress is not None:
            progress(step)
        # The search may use the float preview: it re-decides every near tie exactly, so its
        # outcomes are the exact ones; the final count is re-run in the requested mode.
        return run_mes(prep, base + step, rank, exact=False)

    step, current = 0, at(0)
    # Where the outcome changes at nearly every step (large elections with many rounds), the
    # certificate costs more than the run it would save: after a certificate below one step,
    # the next 1, 2, 4, ... (at most 8) steps are plain +1 steps before certifying again.
    # A plain step is always correct; this only chooses where to spend the work.
    plain_left, backoff = 0, 1
    while _verdict(prep, budget, current) == "go":
        if plain_left > 0:
            plain_left -= 1
            jump = 1
        else:
            # Below one step the jump is 1 either way, so the certificate may give up early.
            extra = certified_extra_share(prep, current, at_least=1.0)
            jump = max(1, math.ceil(extra)) if math.isfinite(extra) else ceiling
            if extra < 1:
                plain_left, backoff = backoff, min(2 * backoff, 8)
            else:
                backoff = 1
        jump = min(jump, max(1, ceiling - step))
        probe = at(step + jump)
        if probe.selected == current.selected:
            step, current = step + jump, probe
            if step >= ceiling:
                break
            continue
        if _verdict(prep, budget, probe) == "over":
            # Steps step .. step + jump - 1 all have the current outcome, which fits.
            step += jump - 1
            break
        step, current = step + jump, probe
    return Add1Result(current, step, runs)
