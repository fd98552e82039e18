"""Brute-force references for tiny instances: every way to give needs to helpers within capacity."""

from __future__ import annotations

import itertools

from dualpower.core.matching import Distances, Need, Offer, OfferKind, Weights, unmatched_cost
from dualpower.core.matching.pair import pair_criteria, pair_feasible, pair_score


def pair_cost(need: Need, offer: Offer, distances: Distances, weights: Weights) -> float:
    return 1.0 - pair_score(need, pair_criteria(need, offer, distances=distances, weights=weights), weights)


def brute_force_objective(
    needs: list[Need], offers: list[Offer], distances: Distances, weights: Weights
) -> float:
    """The least Σ pair costs + Σ unmatched costs over every assignment that respects capacities."""
    options = [
        [None, *(o for o in offers if pair_feasible(n, o, distances=distances, weights=weights))]
        for n in needs
    ]
    best = float("inf")
    for choice in itertools.product(*options):
        used: dict[str, int] = {}
        for offer in choice:
            if offer is not None:
                used[offer.id] = used.get(offer.id, 0) + 1
        if any(
            o.kind is not OfferKind.INEXHAUSTIBLE and used.get(o.id, 0) > (o.capacity or 0) for o in offers
        ):
            continue
        total = sum(
            unmatched_cost(n, weights) if o is None else pair_cost(n, o, distances, weights)
            for n, o in zip(needs, choice, strict=True)
        )
        best = min(best, total)
    return best
