"""One run of the Method of Equal Shares at a given per-voter share, exact and fast.

The rule (Peters, Pierczyński, Skowron 2021; equalshares.net): every voter starts with the same
share of the budget. In each round, for every project p still affordable by its supporters,
rho_p is the smallest number such that supporters paying min(budget_i, rho_p * u_i(p)) cover
the cost; the project with the smallest rho_p is funded (ties by the recorded tie-break) and
its supporters pay. It stops when no project can be paid for.

How it stays exact and fast:
- voters with identical utilities are one group (mes_prepare);
- rho_p only grows from round to round (budgets only fall), so an old rho_p is a lower bound
  and only projects whose bound can still win are recomputed (as pabutools and
  equalshares.net do);
- rho_p is found in floats over the sorted remaining budgets with numpy; every decision whose
  float margin is below a tolerance far above float error (a near tie between two projects,
  a voter whose budget is within the tolerance of rho * u, a project that almost fits) is
  re-decided with exact rationals. A budget is exactly share - sum(rho_s * u_s) over the
  funded projects s the group paid for in full, or 0 once the group paid everything it had, so
  exact values need only the exact rho of each funded project.
- in exact mode the rho of every funded project is also computed exactly (a Fraction) and
  recorded; in float mode it is computed only when a near tie needs it.
- within a run, a project's evaluation is re-used while none of its supporters has paid since
  (same budgets, same result); what does not depend on the share (each project's slices and
  totals) is built once per ``Prepared`` and shared by the runs of an add1 sweep.

Each run records, per funded project, the voters who paid all they had (``poor``); with the
rho values that fixes every budget as an affine function of the share, which the add1 search
(mes_certify) uses to jump over shares at which the outcome cannot change.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
import numpy.typing as npt

from dualpower.core.choice.pb.mes_prepare import IntArray, Prepared, gather

# Relative tolerance for float decisions; float error after a few hundred rounds is ~1e-13.
_REL_TOL = 1e-9


@dataclass
class RunResult:
    """The outcome of one run; ``rho`` is exact (Fraction) for every funded project in exact mode."""

    share: Fraction
    selected: list[int]
    rho: list[Fraction | float]
    exhausted_round: IntArray  # per group: the round its budget ran out, -1 if never
    rejected: dict[int, tuple[int, float]]  # project -> (round, what its supporters had left)
    budgets: npt.NDArray[np.float64] = field(default_factory=lambda: np.zeros(0))
    # per funded project (when recorded): who paid what, see ``_Run._record_payment``
    payments: list[dict[str, float]] = field(default_factory=list)
    poor: list[IntArray] = field(default_factory=list)  # per round: groups that paid all they had


# Per project, what does not depend on the share: its supporters' slices of the CSR arrays and
# its totals as floats (cost, sum of m * u, sum of m). Kept per Prepared, so the many runs of
# an add1 sweep build it once.
_F64 = npt.NDArray[np.float64]
_Slice = tuple[IntArray, _F64, _F64, _F64, float, int, float, float]
_SLICES: weakref.WeakKeyDictionary[Prepared, list[_Slice]] = weakref.WeakKeyDictionary()


_REUSE: weakref.WeakKeyDictionary[Prepared, list[int]] = weakref.WeakKeyDictionary()


def _project_slices(prep: Prepared) -> list[_Slice]:
    cached = _SLICES.get(prep)
    if cached is None:
        cached = []
        for p in range(prep.num_projects):
            lo, hi = int(prep.p_offsets[p]), int(prep.p_offsets[p + 1])
            m = prep.p_mult_f[lo:hi]
            cached.append(
                (
                    prep.p_group[lo:hi],
                    prep.p_util_f[lo:hi],
                    m,
                    prep.p_mu_f[lo:hi],
                    float(prep.costs[p]),
                    int(prep.costs[p]),
                    float(prep.p_mu[p]),
                    float(m.sum()),
                )
            )
        _SLICES[prep] = cached
    return cached


# ufunc reductions called directly: the same sums as ndarray.sum/min, without the wrapper.
_sum = np.add.reduce
_min = np.minimum.reduce
_max = np.maximum.reduce
_EMPTY = np.zeros(0, dtype=np.int64)
_EMPTY.flags.writeable = False


@dataclass
class _Eval:
    rho: float
    tol: float
    poor: IntArray  # positions (in the project's supporter slice) certainly poor
    uncertain: IntArray  # positions within tolerance of the poor/rich boundary


class _Run:
    def __init__(self, prep: Prepared, share: Fraction, rank: IntArray, exact: bool, record: bool) -> None:
        self.prep = prep
        self.slices = _project_slices(prep)
        self.record = record
        self.payments: list[dict[str, float]] = []
        self.share = share
        self.share_f = float(share)
        self.tol_beta = _REL_TOL * self.share_f + 1e-300
        self.rank = rank
        self.exact = exact
        self.budget = np.full(prep.num_groups, self.share_f, dtype=np.float64)
        self.exhausted_round = np.full(prep.num_groups, -1, dtype=np.int64)
        self.sel_round = np.full(prep.num_projects, -1, dtype=np.int64)
        # per group: the last round in which it paid (its budget changed), -1 if never
        self.paid_round = np.full(prep.num_groups, -1, dtype=np.int64)
        self.selected: list[int] = []
        self.rho_exact: list[Fraction | None] = []
        self.rho_float: list[float] = []
        self.poor_of_round: list[IntArray] = []
        self.rejected: dict[int, tuple[int, float]] = {}

    # -- exact values ---------------------------------------------------------------------------

    def _rounds_paid_before(self, groups: IntArray, as_of: int) -> list[int]:
        ex = self.exhausted_round[groups]
        alive = groups[(ex < 0) | (ex >= as_of)]
        if len(alive) == 0:
            return []
        sr = self.sel_round[self.prep.g_project[gather(self.prep.g_offsets, alive)]]
        paid: list[int] = np.unique(sr[(sr >= 0) & (sr < as_of)]).tolist()
        return paid

    def _make_exact(self, rounds: list[int]) -> None:
        """Exact rho for ``rounds`` and, first, for the earlier rounds they depend on.

        Float mode defers exact rhos; only the rounds whose payers matter are computed, in
        increasing order, so no computation recurses.
        """
        todo = [r for r in rounds if self.rho_exact[r] is None]
        closure: set[int] = set()
        while todo:
            r = todo.pop()
            if r in closure:
                continue
            closure.add(r)
            todo.extend(
                q for q in self._rounds_paid_before(self.poor_of_round[r], r) if self.rho_exact[q] is None
            )
        for r in sorted(closure):
            self.rho_exact[r] = self._exact_rho_of_round(r)

    def _exact_rho_of_round(self, r: int) -> Fraction:
        p = self.selected[r]
        poor = self.poor_of_round[r]
        paid = self._exact_budget_sum(poor, r) if len(poor) else Fraction(0)
        rich_util = int(self.prep.p_mu[p]) - self._mu_of_groups(p, poor)
        return (int(self.prep.costs[p]) - paid) / rich_util

    def _member(self, groups: IntArray) -> npt.NDArray[np.bool_]:
        mark = np.zeros(self.prep.num_groups, dtype=np.bool_)
        mark[groups] = True
        return mark

    def _mu_of_groups(self, p: int, groups: IntArray) -> int:
        lo, hi = int(self.prep.p_offsets[p]), int(self.prep.p_offsets[p + 1])
        mask = self._member(groups)[self.prep.p_group[lo:hi]]
        return int((self.prep.p_util[lo:hi][mask] * self.prep.p_mult[lo:hi][mask]).sum())

    def _exact_budget_sum(self, groups: IntArray, as_of: int) -> Fraction:
        """Exact sum of multiplicity x budget of ``groups`` at the start of round ``as_of``."""
        ex = self.exhausted_round[groups]
        alive = groups[(ex < 0) | (ex >= as_of)]
        if len(alive) == 0:
            return Fraction(0)
        prep = self.prep
        pos = gather(prep.g_offsets, alive)
        owner = np.repeat(alive, prep.g_offsets[alive + 1] - prep.g_offsets[alive])
        proj = prep.g_project[pos]
        sr = self.sel_round[proj]
        paid = (sr >= 0) & (sr < as_of)
        self._make_exact(np.unique(sr[paid]).tolist())
        total = self.share * int(prep.mult[alive].sum())
        if paid.any():
            weights = prep.g_util[pos][paid] * prep.mult[owner[paid]]
            if int(weights.sum()) < 2**53:
                # Integer sums below 2**53 are exact in float64.
                sums = np.bincount(proj[paid], weights=weights.astype(np.float64))
                items = [(int(q), int(sums[q])) for q in np.flatnonzero(sums)]
            else:
                acc: dict[int, int] = {}
                for q, v in zip(proj[paid].tolist(), weights.tolist(), strict=True):
                    acc[q] = acc.get(q, 0) + v
                items = list(acc.items())
            for q, v in items:
                rho = self.rho_exact[int(self.sel_round[q])]
                assert rho is not None
                total -= rho * v
        return total

    # -- one project's rho ----------------------------------------------------------------------

    def _evaluate(self, p: int) -> _Eval | None:
        """Float rho of ``p`` with its poor set, or None when its supporters cannot pay for it."""
        groups, u, m, mu, cost, cost_i, mu_total, m_sum = self.slices[p]
        beta = self.budget[groups]
        mb = m * beta
        tol_beta = self.tol_beta
        tol_sum = tol_beta * m_sum
        avail = float(_sum(mb))
        if avail < cost - tol_sum:
            return None
        if avail < cost + tol_sum and self._exact_budget_sum(groups, len(self.selected)) < cost_i:
            return None
        rho0 = cost / mu_total
        gap0 = beta - rho0 * u
        if float(_min(gap0)) > tol_beta:
            # Nobody is short at the equal price: the common case in early rounds.
            return _Eval(rho0, rho0 * _REL_TOL + tol_sum / mu_total * 4, _EMPTY, _EMPTY)
        # gap0 < 0 is beta < rho0 * u (a float difference is negative exactly when a < b)
        rho = self._fixed_point(cost, mu_total, mu, mb, u, beta, rho0, gap0 < 0)
        if rho is None:
            ratios = beta / u
            order = np.argsort(ratios, kind="stable")
            poor_paid = np.concatenate(([0.0], np.cumsum(mb[order])[:-1]))
            rich_util = mu_total - np.concatenate(([0.0], np.cumsum(mu[order])[:-1]))
            with np.errstate(divide="ignore", invalid="ignore"):
                rho_k = (cost - poor_paid) / rich_util
            ok = rho_k <= ratios[order] * (1 + 1e-15)
            k = int(np.argmax(ok)) if ok.any() else len(order) - 1
            rho = float(rho_k[k])
        gap = beta - rho * u
        rich_left = float(_sum(mu[gap >= 0]))  # gap >= 0 is beta >= rho * u
        poor = (gap < -tol_beta).nonzero()[0].astype(np.int64, copy=False)
        uncertain = (np.abs(gap) <= tol_beta).nonzero()[0].astype(np.int64, copy=False)
        tol = _REL_TOL * rho + (tol_sum + tol_beta) / max(rich_left, 1.0) * 4
        return _Eval(rho, tol, poor, uncertain)

    @staticmethod
    def _fixed_point(
        cost: float,
        mu_total: float,
        mu: npt.NDArray[np.float64],
        mb: npt.NDArray[np.float64],
        u: npt.NDArray[np.float64],
        beta: npt.NDArray[np.float64],
        rho: float,
        poor: npt.NDArray[np.bool_],
    ) -> float | None:
        """rho by the poor/rich iteration (pabutools' affordability_poor_rich), vectorised.

        Each pass moves the supporters who cannot pay rho * u to "pay all they have" and
        recomputes rho, which only grows, so the poor set only grows; it stops when nobody new
        is poor. None after 40 passes (the caller then sorts).
        """
        count = int(np.count_nonzero(poor))  # poor is beta < rho * u
        for _ in range(40):
            rich_mu = mu_total - float(_sum(mu[poor]))
            if rich_mu <= 0:
                return None
            rho = (cost - float(_sum(mb[poor]))) / rich_mu
            now = poor | (beta < rho * u)
            grown = int(np.count_nonzero(now))
            if grown == count:
                return rho
            poor, count = now, grown
        return None

    def _exact(self, p: int, ev: _Eval) -> tuple[Fraction, IntArray]:
        """Exact rho of ``p`` and its exact poor groups, resolving the uncertain band."""
        prep = self.prep
        lo = int(prep.p_offsets[p])
        groups = prep.p_group[lo : int(prep.p_offsets[p + 1])]
        now = len(self.selected)
        poor_groups = groups[ev.poor]
        paid = self._exact_budget_sum(poor_groups, now) if len(poor_groups) else Fraction(0)
        rich_util = int(prep.p_mu[p]) - self._mu_of_groups(p, poor_groups)
        cost = int(prep.costs[p])
        if len(ev.uncertain) == 0:
            return (cost - paid) / rich_util, poor_groups
        unc = []
        for pos in ev.uncertain.tolist():
            g = int(groups[pos])
            beta = self._exact_budget_sum(np.array([g], dtype=np.int64), now) / int(prep.mult[g])
            util = int(prep.p_util[lo + pos])
            unc.append((beta / util, g, beta, util, int(prep.mult[g])))
        unc.sort(key=lambda t: (t[0], t[1]))
        chosen: list[int] = []
        for i in range(len(unc) + 1):
            rho = (cost - paid) / rich_util if rich_util > 0 else None
            if rho is not None and (i == len(unc) or rho <= unc[i][0]):
                return rho, np.concatenate((poor_groups, np.array(chosen, dtype=np.int64)))
            _, g, beta, util, mult = unc[i]
            paid += beta * mult
            rich_util -= util * mult
            chosen.append(g)
        # Everyone pays all they have (their budgets add up to the cost exactly): rho is the
        # largest budget-to-utility ratio among the supporters.
        everyone = groups[self.exhausted_round[groups] < 0]
        ratios = [
            self._exact_budget_sum(np.array([g], dtype=np.int64), now)
            / (int(prep.mult[g]) * int(prep.p_util[lo + int(np.flatnonzero(groups == g)[0])]))
            for g in everyone.tolist()
            if int(prep.mult[g]) > 0
        ]
        return max(ratios), groups

    # -- the rounds -----------------------------------------------------------------------------

    def run(self) -> RunResult:
        prep = self.prep
        supported = prep.p_mu > 0
        # pabutools funds supported zero-cost projects before the rounds start.
        free = [int(p) for p in np.flatnonzero(supported & (prep.costs == 0))]
        for p in sorted(free, key=lambda q: int(self.rank[q])):
            self._fund(p, Fraction(0), 0.0, np.zeros(0, dtype=np.int64))
        remaining = [int(p) for p in np.flatnonzero(supported & (prep.costs > 0))]
        lb = {p: float(prep.costs[p]) / float(prep.p_mu[p]) for p in remaining}
        lbtol = {p: lb[p] * _REL_TOL for p in remaining}
        cache: dict[int, tuple[int, _Eval]] = {}
        # The check costs a little; where supporters overlap so much that it almost never
        # succeeds (seen over the runs on the same Prepared), it is skipped.
        stats = _REUSE.setdefault(prep, [0, 0])  # checks, successes
        reuse = stats[0] < 500 or 10 * stats[1] >= stats[0]
        while remaining:
            remaining.sort(key=lb.__getitem__)
            best: tuple[int, _Eval] | None = None
            evaluated: list[tuple[int, _Eval]] = []
            gone: list[int] = []
            now = len(self.selected)
            for p in remaining:
                if best is not None and lb[p] - lbtol[p] > best[1].rho + best[1].tol:
                    break
                # An evaluation stays valid while none of the project's supporters has paid
                # since (the same budgets give the same rho, poor set and tolerances).
                hit = cache.get(p) if reuse else None
                ev: _Eval | None
                if hit is not None:
                    stats[0] += 1
                    if int(_max(self.paid_round[self.slices[p][0]])) < hit[0]:
                        stats[1] += 1
                        ev = hit[1]
                    else:
                        hit = None
                if hit is None:
                    ev = self._evaluate(p)
                    if reuse and ev is not None:
                        cache[p] = (now, ev)
                if ev is None:
                    gone.append(p)
                    continue
                lb[p], lbtol[p] = ev.rho, ev.tol
                evaluated.append((p, ev))
                if best is None or ev.rho < best[1].rho:
                    best = (p, ev)
            for p in gone:
                remaining.remove(p)
                self.rejected[p] = (len(self.selected), self._left_for(p))
            if best is None:
                break
            near = [(p, ev) for p, ev in evaluated if ev.rho - ev.tol <= best[1].rho + best[1].tol]
            if len(near) == 1 and not self.exact and len(best[1].uncertain) == 0:
                winner, rho_x, poor = best[0], None, prep.p_group[int(prep.p_offsets[best[0]]) + best[1].poor]
            else:
                exact = [(p, *self._exact(p, ev)) for p, ev in near]
                winner, rho_x, poor = min(exact, key=lambda t: (t[1], int(self.rank[t[0]])))
            rho_f = float(rho_x) if rho_x is not None else best[1].rho
            remaining.remove(winner)
            self._fund(winner, rho_x, rho_f, poor)
        return RunResult(
            share=self.share,
            selected=self.selected,
            rho=[x if x is not None else f for x, f in zip(self.rho_exact, self.rho_float, strict=True)],
            exhausted_round=self.exhausted_round,
            rejected=self.rejected,
            budgets=self.budget,
            payments=self.payments,
            poor=self.poor_of_round,
        )

    def _left_for(self, p: int) -> float:
        groups, _, m, *_ = self.slices[p]
        return float((self.budget[groups] * m).sum())

    def _record_payment(
        self,
        before: npt.NDArray[np.float64],
        after: npt.NDArray[np.float64],
        mult: IntArray,
        poor: npt.NDArray[np.bool_],
    ) -> None:
        self.payments.append(_payment_summary(before, after, mult, poor))

    def _fund(self, p: int, rho_x: Fraction | None, rho_f: float, poor: IntArray) -> None:
        prep = self.prep
        r = len(self.selected)
        groups, u, *_ = self.slices[p]
        lo, hi = int(prep.p_offsets[p]), int(prep.p_offsets[p + 1])
        old = self.budget[groups]
        before = old if self.record else None
        self.budget[groups] = np.maximum(old - rho_f * u, 0.0)
        self.paid_round[groups] = r
        if len(poor):
            newly = poor[self.exhausted_round[poor] < 0]
            self.exhausted_round[newly] = r
            self.budget[poor] = 0.0
        if before is not None:
            self._record_payment(before, self.budget[groups], prep.p_mult[lo:hi], self._member(poor)[groups])
        self.selected.append(p)
        self.sel_round[p] = r
        self.rho_exact.append(rho_x)
        self.rho_float.append(rho_f)
        self.poor_of_round.append(poor)


def _payment_summary(
    before: npt.NDArray[np.float64],
    after: npt.NDArray[np.float64],
    mult: IntArray,
    poor: npt.NDArray[np.bool_],
) -> dict[str, float]:
    """Compact record of one funding: the full payers (one amount per utility level) and those
    who paid all they had left (count, total, smallest and largest payment)."""
    paid = before - after
    weight = mult.astype(np.float64)
    full = ~poor & (weight > 0)
    short = poor & (weight > 0) & (before > 0)
    out: dict[str, float] = {
        "full_payers": float(weight[full].sum()),
        "full_total": float((paid * weight)[full].sum()),
        "full_min": float(paid[full].min()) if full.any() else 0.0,
        "full_max": float(paid[full].max()) if full.any() else 0.0,
        "all_in_payers": float(weight[short].sum()),
        "all_in_total": float((paid * weight)[short].sum()),
        "all_in_min": float(paid[short].min()) if short.any() else 0.0,
        "all_in_max": float(paid[short].max()) if short.any() else 0.0,
    }
    return out


def run_mes(
    prep: Prepared, share: Fraction, rank: IntArray, *, exact: bool = True, record: bool = False
) -> RunResult:
    """MES with every voter starting at ``share`` (in currency units, may be fractional).

    ``record`` keeps who paid how much for each funded project (for the explanation).
    """
    return _Run(prep, share, rank, exact, record).run()
