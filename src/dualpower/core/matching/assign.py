"""Assign all open needs to available helpers at least total cost, respecting every helper's capacity.

The batch "assign all" of issue 6, which dispatchers review before confirming. A pair costs
``1 - score`` (in [0, 1]); leaving a need unmatched costs ``unmatched_cost × (1 + urgency)``, more than
any pair. We minimise  Σ pair costs + Σ unmatched costs.  Subtracting each need's unmatched cost from
its pairs turns this into an assignment problem whose infeasible pairs cost exactly 0, the same as
leaving the need open: scipy.optimize.linear_sum_assignment (a shortest augmenting path algorithm,
Crouse 2016, IEEE TAES 52(4)) on the rectangular matrix then gives the exact optimum, and the 0-cost
pairs it is forced to make are dropped. A helper with capacity k becomes k identical columns (no more
than the needs it could serve; an inexhaustible offer gets one column per such need).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .distances import Distances
from .explain import Reason, reasons, why_none
from .index import OfferIndex, evaluate
from .model import DEFAULT_WEIGHTS, Need, Offer, Weights, ids_unique
from .pair import pair_criteria


@dataclass(frozen=True)
class Pair:
    """A proposed match, with its cost (1 - score) and the reasons a dispatcher reads."""

    need_id: str
    helper_id: str
    cost: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Unmatched:
    need_id: str
    reason: Reason


@dataclass(frozen=True)
class Assignment:
    """Pairs sorted by need id; ``total_cost`` sums the pairs' costs, ``objective`` adds the cost of
    every unmatched need (the quantity minimised). ``weights`` are the ones used, to replay the run."""

    pairs: tuple[Pair, ...]
    unmatched: tuple[Unmatched, ...]
    total_cost: float
    objective: float
    weights: Weights


def unmatched_cost(need: Need, weights: Weights) -> float:
    return weights.unmatched_cost * (1 + int(need.urgency))


def assign_all(
    needs: Iterable[Need],
    helpers: OfferIndex | Iterable[Offer],
    *,
    distances: Distances,
    weights: Weights = DEFAULT_WEIGHTS,
) -> Assignment:
    """The minimum-cost assignment of ``needs`` to ``helpers``; deterministic whatever the input order."""
    ordered = tuple(sorted(needs, key=lambda n: n.id))
    ids_unique(ordered, "need")
    index = helpers if isinstance(helpers, OfferIndex) else OfferIndex.build(helpers, distances=distances)
    if index.distances is not distances:
        raise ValueError("The helper index was built with another distance table than the one given.")
    m = len(index)
    # Shifted costs: (1 - score) - unmatched cost where feasible, 0 (= leave open) elsewhere.
    shifted = np.zeros((len(ordered), m), dtype=np.float64)
    left_after = []  # kept per need to say why it stays open; whole evaluations would not fit
    for r, need in enumerate(ordered):
        ev = evaluate(index, need, weights)
        shifted[r] = np.where(ev.feasible, (1.0 - ev.score) - unmatched_cost(need, weights), 0.0)
        left_after.append(ev.left_after)
    feasible = shifted < 0
    rows = np.flatnonzero(feasible.any(axis=1))
    chosen = _solve(shifted, feasible, index.capacity, rows)
    pairs, unmatched = [], []
    total = objective = 0.0
    for r, need in enumerate(ordered):
        if r in chosen:
            helper = index.offers[chosen[r]]
            crit = pair_criteria(need, helper, distances=distances, weights=weights)
            cost = float(shifted[r, chosen[r]]) + unmatched_cost(need, weights)
            total += cost
            pairs.append(Pair(need.id, helper.id, cost, reasons(need, helper, crit)))
        else:
            objective += unmatched_cost(need, weights)
            unmatched.append(Unmatched(need.id, why_none(need, left_after[r], m)))
    return Assignment(tuple(pairs), tuple(unmatched), total, total + objective, weights)


def _solve(
    shifted: np.ndarray, feasible: np.ndarray, capacity: np.ndarray, rows: np.ndarray
) -> dict[int, int]:
    """Need row -> helper of an optimal assignment of the shifted costs, over the ``rows`` (needs) that
    have at least one feasible helper.

    A finite helper with capacity k is k identical columns (at most as many as the needs it could
    serve). Inexhaustible helpers constrain nobody, so for each need only the cheapest of them
    matters: it becomes one column private to that need, cost there, 0 (= infeasible) elsewhere.
    That keeps the matrix at most (needs) × (finite capacity + needs) whatever the offers.
    """
    n = len(rows)
    finite = np.flatnonzero(np.isfinite(capacity))
    endless = np.flatnonzero(~np.isfinite(capacity))
    copies = np.minimum(capacity[finite], feasible[:, finite].sum(axis=0)).astype(np.intp)
    cols = np.repeat(finite, copies)
    best = np.full(n, -1, dtype=np.intp)
    private = np.zeros(0, dtype=np.intp)  # rows that get a private column for an inexhaustible helper
    if len(endless) and n:
        # argmin picks the first of equal costs, i.e. the smallest helper id (helpers are sorted by id).
        best = endless[np.argmin(shifted[np.ix_(rows, endless)], axis=1)]
        private = np.flatnonzero(shifted[rows, best] < 0)
    # One allocation for the whole matrix, filled in slices of rows so no second copy is made: with
    # the shifted costs, this is the peak memory of a batch (needs × columns × 8 bytes).
    matrix = np.zeros((n, len(cols) + len(private)), dtype=np.float64)
    for a in range(0, n, 256):
        matrix[a : a + 256, : len(cols)] = shifted[rows[a : a + 256]][:, cols]
    matrix[private, len(cols) + np.arange(len(private))] = shifted[rows[private], best[private]]
    chosen: dict[int, int] = {}
    if n == 0 or matrix.shape[1] == 0:
        return chosen
    # Imported here: scipy is some 50 MiB of memory that every web process would carry (issue 21).
    from scipy.optimize import linear_sum_assignment

    r_idx, c_idx = linear_sum_assignment(matrix)
    for r, c in zip(r_idx, c_idx, strict=True):
        if matrix[r, c] < 0:
            helper = cols[c] if c < len(cols) else best[private[c - len(cols)]]
            chosen[int(rows[r])] = int(helper)
    return chosen
