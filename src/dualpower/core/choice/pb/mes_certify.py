"""How far the per-voter share can rise before an MES outcome can change (for add1 jumping).

Fix the decisions of an MES run at share b: the winner of each round and the supporters who
paid all they had. Then every budget and every rho is an affine function of the extra share
d (slopes below), and the run stays valid while
  (i)   each winner's "paid all they had" set stays right: budget <= rho * u for those voters,
        budget >= rho * u for the others (affine in d);
  (ii)  no other project beats the winner of a round: with F_p(d) the money p's supporters
        would give at the winner's rho (sum of min(budget, rho * u)), F_p(d) <= cost(p)
        (strictly, when p wins ties). F_p is concave, so its tangent at d = 0 bounds it from
        above, and the bound's crossing with cost(p) is a safe certificate;
  (iii) after the last round no project becomes affordable (affine in d).
``certified_extra_share`` returns the smallest d at which one of these can fail, computed in
floats and shrunk by a safety margin: outcomes at shares b + d' for every d' below it equal the
outcome at b (Kraiczy, Robinson, Elkind, "Streamlining Equal Shares", 2025, ADD-OPT, computes
the same kind of next change point).
"""

from __future__ import annotations

import numpy as np

from dualpower.core.choice.pb.mes_core import RunResult
from dualpower.core.choice.pb.mes_prepare import Prepared, gather

_MARGIN = 1e-7


def _first_root(h: np.ndarray, slope: np.ndarray, tol: float) -> float:
    """Smallest d >= 0 with h + slope * d < 0, for h >= 0.

    A margin h within ``tol`` (float error) of 0 counts as exactly 0: it may be a tie that a
    falling slope breaks at once, and dividing a rounding error by a small slope would
    otherwise certify a long, wrong stretch.
    """
    falling = slope < 0
    if not falling.any():
        return float("inf")
    margin = h[falling]
    return float((np.where(margin <= tol, 0.0, margin) / -slope[falling]).min())


def certified_extra_share(prep: Prepared, run: RunResult, *, at_least: float = 0.0) -> float:
    """The certified extra share (see the module docstring).

    With ``at_least`` > 0 the caller only needs to know whether the answer reaches it: once it
    cannot, 0.0 is returned at once (the rounds after the failing one are not examined).
    """
    # best stays an upper bound of the unshrunk answer; the answer is below at_least as soon as
    # best is below this.
    give_up = (at_least + _MARGIN) / (1 - _MARGIN) if at_least > 0 else 0.0
    n_groups, n_projects = prep.num_groups, prep.num_projects
    share = float(run.share)
    tol = 1e-9 * max(share, 1.0)
    costs = prep.costs.astype(np.float64)
    if give_up > 0 and _split_margin(prep, run, tol, costs, prep.p_util_f, prep.p_mult_f, give_up) < give_up:
        # Condition (i) alone already fails below at_least; it is cheap (no other project is
        # looked at), so it is tried first.
        return 0.0
    beta = np.full(n_groups, share)
    sigma = np.ones(n_groups)
    sel_round = np.full(n_projects, -1, dtype=np.int64)
    for r, p in enumerate(run.selected):
        sel_round[p] = r
    util = prep.p_util_f  # float64 copies of p_util and p_mult, made once by prepare
    mult = prep.p_mult_f
    g_mult = prep.mult.astype(np.float64)
    supported = prep.p_mu > 0
    # Money each project's supporters hold, and its slope in d (kept up to date per round).
    entry_proj = np.repeat(np.arange(n_projects), np.diff(prep.p_offsets))
    have = np.bincount(entry_proj, weights=mult * share, minlength=n_projects)
    have_rise = np.bincount(entry_proj, weights=mult, minlength=n_projects)
    best = float("inf")
    for r, w in enumerate(run.selected):
        rho = float(run.rho[r])
        split = _round_split(prep, run, r, w, util, mult, sigma, costs)
        if split is None:
            return 0.0  # everyone paid all they had: no affine form to certify
        g, u, in_poor, tau = split
        # (i) the winner's poor/rich split
        best = min(best, _split_flips_at(beta, sigma, g, u, in_poor, rho, tau, tol))
        if costs[w] > 0:
            best = min(best, _competitors(prep, r, w, rho, tau, beta, sigma, have, have_rise, sel_round, tol))
        # pay, and move the money each project's supporters hold
        new_beta, new_sigma = _after_paying(beta, sigma, g, u, in_poor, rho, tau)
        d_beta, d_sigma = new_beta - beta[g], new_sigma - sigma[g]
        beta[g], sigma[g] = new_beta, new_sigma
        pos = gather(prep.g_offsets, g)
        owner_len = prep.g_offsets[g + 1] - prep.g_offsets[g]
        weight = np.repeat(g_mult[g], owner_len)
        proj = prep.g_project[pos]
        have += np.bincount(proj, weights=weight * np.repeat(d_beta, owner_len), minlength=n_projects)
        have_rise += np.bincount(proj, weights=weight * np.repeat(d_sigma, owner_len), minlength=n_projects)
        if best <= 0 or best < give_up:
            return 0.0
    # (iii) nothing left becomes affordable
    rest = (sel_round < 0) & supported
    up = rest & (have_rise > 0)
    if up.any():
        best = min(best, _first_root(costs[up] - have[up], -have_rise[up], 1e-9 * float(costs[up].max())))
    # At most double the share per certificate: a root missed because float error flipped the
    # sign of a tiny slope lies beyond margin / slope error, far past one share.
    best = min(best, share)
    return max(0.0, best * (1 - _MARGIN) - _MARGIN)


def _round_split(
    prep: Prepared,
    run: RunResult,
    r: int,
    w: int,
    util: np.ndarray,
    mult: np.ndarray,
    sigma: np.ndarray,
    costs: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, float] | None:
    """Round r's winner w: its supporters' groups, utilities, who was poor, and the slope tau of
    rho in d; None when every supporter paid all they had (no affine form to certify)."""
    lo, hi = int(prep.p_offsets[w]), int(prep.p_offsets[w + 1])
    g, u, m = prep.p_group[lo:hi], util[lo:hi], mult[lo:hi]
    mark = np.zeros(prep.num_groups, dtype=np.bool_)
    mark[run.poor[r]] = True
    in_poor = mark[g]
    if costs[w] == 0:
        return g, u, in_poor, 0.0
    rich_mu = float((m * u)[~in_poor].sum())
    if rich_mu <= 0:
        return None
    return g, u, in_poor, -float((m * sigma[g])[in_poor].sum()) / rich_mu


def _split_flips_at(
    beta: np.ndarray,
    sigma: np.ndarray,
    g: np.ndarray,
    u: np.ndarray,
    in_poor: np.ndarray,
    rho: float,
    tau: float,
    tol: float,
) -> float:
    """(i): the smallest d at which a supporter of the winner moves between poor and rich."""
    h = np.where(in_poor, rho * u - beta[g], beta[g] - rho * u)
    hs = np.where(in_poor, tau * u - sigma[g], sigma[g] - tau * u)
    return _first_root(h, hs, tol)


def _after_paying(
    beta: np.ndarray,
    sigma: np.ndarray,
    g: np.ndarray,
    u: np.ndarray,
    in_poor: np.ndarray,
    rho: float,
    tau: float,
) -> tuple[np.ndarray, np.ndarray]:
    """The supporters' budgets (beta + sigma·d) once they have paid for the winner."""
    new_beta = np.maximum(np.where(in_poor, 0.0, beta[g] - rho * u), 0.0)
    new_sigma = np.where(in_poor, 0.0, sigma[g] - tau * u)
    return new_beta, new_sigma


def _split_margin(
    prep: Prepared,
    run: RunResult,
    tol: float,
    costs: np.ndarray,
    util: np.ndarray,
    mult: np.ndarray,
    give_up: float,
) -> float:
    """Condition (i) only: the smallest d at which some winner's poor/rich split can change.

    The same budgets, slopes and roots as the main loop of ``certified_extra_share`` (which
    also checks (ii) and (iii), so its answer is never larger); it stops once below
    ``give_up``.
    """
    n_groups = prep.num_groups
    beta = np.full(n_groups, float(run.share))
    sigma = np.ones(n_groups)
    best = float("inf")
    for r, w in enumerate(run.selected):
        rho = float(run.rho[r])
        split = _round_split(prep, run, r, w, util, mult, sigma, costs)
        if split is None:
            return 0.0  # everyone paid all they had: no affine form to certify
        g, u, in_poor, tau = split
        best = min(best, _split_flips_at(beta, sigma, g, u, in_poor, rho, tau, tol))
        if best < give_up:
            return best
        new_beta, new_sigma = _after_paying(beta, sigma, g, u, in_poor, rho, tau)
        beta[g], sigma[g] = new_beta, new_sigma
    return best


def _competitors(
    prep: Prepared,
    r: int,
    w: int,
    rho: float,
    tau: float,
    beta: np.ndarray,
    sigma: np.ndarray,
    have: np.ndarray,
    have_rise: np.ndarray,
    sel_round: np.ndarray,
    tol: float,
) -> float:
    """(ii): the smallest d at which some project not yet funded could beat round r's winner.

    F_p <= have_p (all its supporters' money) and F_p <= rho * sum(m u); both are affine upper
    bounds, so a project is safe until both have crossed cost(p). Only projects for which
    both already exceed the cost need the tangent of F_p itself.
    """
    costs = prep.costs.astype(np.float64)
    mu_total = prep.p_mu.astype(np.float64)
    open_ = ((sel_round < 0) | (sel_round > r)) & (prep.p_mu > 0)
    open_[w] = False
    slack = 1e-9 * np.maximum(costs, 1.0)
    price_v, price_s = rho * mu_total, tau * mu_total
    best = float("inf")
    by_money = open_ & (have <= costs - slack)
    by_price = open_ & (price_v <= costs - slack)
    safe = by_money | by_price
    with np.errstate(divide="ignore", invalid="ignore"):
        root_money = np.where(have_rise > 0, (costs - have) / have_rise, np.inf)
        root_price = np.where(price_s > 0, (costs - price_v) / price_s, np.inf)
    root = np.maximum(np.where(by_money, root_money, 0.0), np.where(by_price, root_price, 0.0))
    if safe.any():
        best = float(root[safe].min())
    tight = np.flatnonzero(open_ & ~safe)
    if len(tight) == 0:
        return best
    pos = gather(prep.p_offsets, tight)
    ge = prep.p_group[pos]
    ue = prep.p_util[pos].astype(np.float64)
    me = prep.p_mult[pos].astype(np.float64)
    pe = np.repeat(np.arange(len(tight)), prep.p_offsets[tight + 1] - prep.p_offsets[tight])
    be, se = beta[ge], sigma[ge]
    pay, spay = rho * ue, tau * ue
    take_budget = np.where(be < pay - tol, True, np.where(be > pay + tol, False, se <= spay))
    value = np.bincount(pe, weights=me * np.where(take_budget, be, pay), minlength=len(tight))
    rise = np.bincount(pe, weights=me * np.where(take_budget, se, spay), minlength=len(tight))
    gap = costs[tight] - value
    up = rise > 0
    if up.any():
        best = min(best, _first_root(gap[up], -rise[up], 1e-9 * float(costs[tight].max())))
    if (gap[~up] < 0).any():
        best = 0.0
    return best
