"""Maximin and leximin lotteries by column generation over compositions.

Flanigan, Gölz, Gupta, Hennig, Procaccia, "Fair algorithms for selecting citizens' assemblies",
Nature 596 (2021), Methods: the lottery LP has one variable per feasible panel, far too many to list,
so its dual is solved over a growing set of panels; an integer program finds the panel whose dual
constraint is most violated, until none is (then the restricted LP's optimum is the true optimum).
Here a panel is a composition (counts per profile, see ``profiles``), and person ``i`` in profile
``t`` is selected with probability ``E[c_t] / n_t``.

Dual of "maximise z: every unfixed profile's probability >= z, every fixed profile's >= f_t":
    minimise  ŷ - Σ_{t fixed} f_t·y_t
    s.t.      Σ_t (c_t / n_t)·y_t <= ŷ     for every composition c in the restricted set
              Σ_{t unfixed} y_t = 1,  y >= 0.
Maximin is the first stage (nothing fixed). Leximin repeats stages, fixing the profiles whose dual
weight y_t is positive (their constraint binds in every optimum: complementary slackness).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dualpower.core.sortition import highs
from dualpower.core.sortition.model import Objective
from dualpower.core.sortition.oracle import CompositionOracle, Counts, dot

# Stop when no composition beats the restricted dual by more than this: the lottery is then
# within TOLERANCE of the optimum (weak duality). sortition-algorithms stops at 5e-4.
TOLERANCE = 1e-9
# A profile is fixed in a leximin stage when its dual weight exceeds this.
FIX_WEIGHT = 1e-7
# Fixed probabilities are stored this much lower, so rounding never makes a later stage infeasible.
FIX_SLACK = 1e-10


@dataclass(frozen=True)
class Solution:
    compositions: tuple[Counts, ...]
    weights: tuple[float, ...]  # probability of each composition, summing to 1
    selectable: tuple[bool, ...]  # per profile: can any feasible panel include its members?
    columns_generated: int


def initial_compositions(oracle: CompositionOracle) -> tuple[list[Counts], tuple[bool, ...]]:
    """Compositions that together include every profile some panel can include.

    For each profile not yet covered, ask for a panel with as many of it as possible, then as many
    other uncovered profiles as possible (a weight on the target above the pool size makes the
    first aim lexicographically first). A profile that still gets 0 can never be on a panel.
    """
    n = len(oracle.sizes)
    covered = np.zeros(n, dtype=bool)
    impossible = np.zeros(n, dtype=bool)
    found: list[Counts] = []
    big = float(oracle.sizes.sum() + 1)
    for t in range(n):
        if covered[t] or impossible[t]:
            continue
        weights = np.where(covered | impossible, 0.0, 1.0)
        weights[t] = big
        counts = oracle.best(weights)
        assert counts is not None  # feasibility was checked before
        if counts[t] == 0:
            impossible[t] = True
            continue
        if counts not in found:
            found.append(counts)
        covered |= np.asarray(counts) > 0
    return found, tuple(bool(c) for c in covered)


def diverse_compositions(
    oracle: CompositionOracle, selectable: tuple[bool, ...], rounds: int
) -> list[Counts]:
    """Varied compositions by multiplicative weights (sortition-algorithms starts leximin the same
    way): each round takes the composition heaviest in the current weights, then lowers the
    weights of the profiles it drew from, so the next rounds favour the others."""
    weights = np.where(np.asarray(selectable), 1.0, 0.0)
    found: list[Counts] = []
    for _ in range(rounds):
        counts = oracle.best(weights)
        assert counts is not None
        if counts in found:
            weights = 0.9 * weights + 0.1 * np.where(np.asarray(selectable), 1.0, 0.0)
        else:
            found.append(counts)
            weights = weights * (1.0 - 0.2 * np.asarray(counts) / oracle.sizes)
        weights *= weights.size / max(weights.sum(), 1e-300)
    return found


class _DualMaster:
    """The restricted dual LP of one stage, over the selectable profiles only."""

    def __init__(self, scale: np.ndarray, fixed: dict[int, float], columns: list[Counts]) -> None:
        self.scale = scale  # per selectable profile: 1 / n_t, and 0 for the others
        self.active = np.nonzero(scale)[0]
        m = len(self.active)
        self.h = highs.new_highs(mip=False)
        highs.tighten_lp(self.h)
        cost = [-fixed.get(int(t), 0.0) for t in self.active] + [1.0]
        highs.add_columns(self.h, cost, [0.0] * (m + 1), [highs.INF] * (m + 1))
        unfixed = [j for j, t in enumerate(self.active) if int(t) not in fixed]
        highs.add_row(self.h, 1.0, 1.0, unfixed, [1.0] * len(unfixed))
        if columns:
            self.add(columns)

    def add(self, columns: list[Counts]) -> None:
        counts = np.asarray(columns, dtype=np.float64)[:, self.active] * self.scale[self.active]
        matrix = np.hstack([counts, -np.ones((len(columns), 1))])
        highs.add_dense_rows(self.h, np.full(len(columns), -highs.INF), np.zeros(len(columns)), matrix)

    def interior(self, on: bool) -> None:
        self.h.setOptionValue("solver", "ipm" if on else "choose")
        self.h.setOptionValue("run_crossover", "off" if on else "on")
        self.h.setOptionValue("ipm_optimality_tolerance", 1e-9)

    def solve(self) -> tuple[np.ndarray, float, float]:
        """Weights per profile (already divided by n_t, 0 off the active set), ŷ, and the optimum."""
        try:
            ok = highs.solve(self.h, maximise=False)
        except ValueError:
            # The interior point method can stop short of its tolerance; simplex then finishes the
            # job. Its duals are a vertex, still optimal, so fixing by them stays right (complementary
            # slackness holds for every optimal pair); the stage may just fix fewer profiles.
            self.interior(False)
            ok = highs.solve(self.h, maximise=False)
        if not ok:
            raise ValueError("The lottery program became infeasible; please report this pool.")
        x = highs.values(self.h)
        weights = np.zeros(len(self.scale))
        weights[self.active] = x[:-1]
        return weights, float(x[-1]), highs.objective(self.h)


def _stage(
    oracle: CompositionOracle,
    columns: list[Counts],
    known: set[Counts],
    scale: np.ndarray,
    fixed: dict[int, float],
    *,
    interior: bool,
) -> tuple[np.ndarray, float]:
    """Grow ``columns`` until the restricted stage LP is optimal; return duals and the optimum.

    With ``interior``, once simplex has converged the LP is re-solved by the interior point method
    without crossover, which lands in the middle of the optimal face: every profile whose
    probability can still rise gets dual weight ~0, every profile that cannot gets a clearly positive
    one, so one leximin stage fixes all the profiles it can (Flanigan et al. do the same with
    Gurobi's barrier method). Pricing continues with those duals until nothing violates them.
    """
    master = _DualMaster(scale, fixed, columns)
    in_interior = False
    while True:
        y, y_hat, optimum = master.solve()
        counts = oracle.best(y * scale)
        assert counts is not None
        if dot(y * scale, counts) <= y_hat + TOLERANCE or counts in known:
            if interior and not in_interior:
                master.interior(True)
                in_interior = True
                continue
            if in_interior:
                # Choose whom to fix by the interior duals, but fix them at the simplex optimum:
                # the interior one can overshoot by its tolerance and make later stages infeasible.
                master.interior(False)
                optimum = master.solve()[2]
            return y, optimum
        known.add(counts)
        columns.append(counts)
        master.add([counts])


def _primal(columns: list[Counts], scale: np.ndarray, floor: dict[int, float] | None) -> np.ndarray:
    """Probabilities per composition. Maximin (``floor`` None): maximise the smallest probability.
    Leximin: meet the fixed probabilities, minimising the largest shortfall (for rounding)."""
    active = np.nonzero(scale)[0]
    probs = np.asarray(columns, dtype=np.float64)[:, active].T * scale[active, None]  # profiles × columns
    h = highs.new_highs(mip=False)
    highs.tighten_lp(h)
    k = len(columns)
    sign = -1.0 if floor is None else 1.0  # z enters as -z (maximin) or +shortfall (leximin)
    highs.add_columns(h, [0.0] * k + [1.0], [0.0] * (k + 1), [highs.INF] * (k + 1))
    lower = np.zeros(len(active)) if floor is None else np.array([floor[int(t)] for t in active])
    matrix = np.hstack([probs, np.full((len(active), 1), sign)])
    highs.add_dense_rows(h, lower, np.full(len(active), highs.INF), matrix)
    highs.add_row(h, 1.0, 1.0, range(k), [1.0] * k)
    highs.solve(h, maximise=floor is None)
    x = np.clip(highs.values(h)[:k], 0.0, None)
    shares: np.ndarray = x / x.sum()
    return shares


def solve_lottery(oracle: CompositionOracle, objective: Objective) -> Solution:
    """The optimal lottery over compositions for ``objective`` (checked by the caller)."""
    columns, selectable = initial_compositions(oracle)
    known = set(columns)
    scale = np.where(np.asarray(selectable), 1.0 / oracle.sizes, 0.0)
    fixed: dict[int, float] = {}
    y, optimum = _stage(oracle, columns, known, scale, fixed, interior=objective == "leximin")
    if objective == "leximin":
        # Before the leximin stages, a varied stock of compositions: with only the maximin ones,
        # each stage's duals swing across hundreds of rounds (on 2,000 volunteers, minutes instead
        # of seconds: docs/benchmarks/sortition.md). One round per profile plus one per known
        # composition was enough on every pool we measured.
        for counts in diverse_compositions(oracle, selectable, len(columns) + int(np.sum(selectable))):
            if counts not in known:
                known.add(counts)
                columns.append(counts)
        unfixed = {int(t) for t in np.nonzero(scale)[0]}
        while True:
            newly = [t for t in unfixed if y[t] > FIX_WEIGHT] or [max(unfixed, key=lambda t: y[t])]
            for t in newly:
                fixed[t] = max(0.0, optimum - FIX_SLACK)
                unfixed.discard(t)
            if not unfixed:
                break
            y, optimum = _stage(oracle, columns, known, scale, fixed, interior=True)
    x = _primal(columns, scale, fixed if objective == "leximin" else None)
    return Solution(tuple(columns), tuple(float(v) for v in x), selectable, len(columns))
