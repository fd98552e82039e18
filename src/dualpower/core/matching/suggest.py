"""Rank the offers for one need: hard constraints filter, soft criteria score, each suggestion explained."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from .distances import Distances
from .explain import Reason, reasons
from .index import Evaluation, OfferIndex, evaluate
from .model import DEFAULT_WEIGHTS, Criteria, Need, Offer, Weights


@dataclass(frozen=True)
class Suggestion:
    """One offer for one need: its score in [0, 1] (higher is better), the criteria behind it, and the
    reasons as codes to put in words. ``weights`` are the ones used, so the ranking can be replayed."""

    need_id: str
    offer_id: str
    score: float
    criteria: Criteria
    reasons: tuple[Reason, ...]
    weights: Weights

    @property
    def explanation(self) -> str:
        """The reasons in English, for logs and tests; the application words them in the reader's language."""
        return "; ".join(r.english() for r in self.reasons)


def criteria_at(ev: Evaluation, i: int) -> Criteria:
    return Criteria(
        skills=float(ev.skills[i]),
        distance=float(ev.distance[i]),
        time=float(ev.time[i]),
        language=float(ev.language[i]),
        capacity=float(ev.capacity[i]),
        distance_km=float(ev.distance_km[i]),
        overlap_minutes=int(ev.overlap_minutes[i]),
    )


def suggest(
    need: Need,
    offers: OfferIndex | Iterable[Offer],
    *,
    distances: Distances,
    weights: Weights = DEFAULT_WEIGHTS,
    limit: int = 10,
) -> list[Suggestion]:
    """The best ``limit`` offers for ``need``, best first; ties go to the smaller offer id.

    Pass an ``OfferIndex`` (built once with ``OfferIndex.build``) to rank among many offers quickly;
    a plain iterable of offers is indexed on the spot.
    """
    if limit < 0:
        raise ValueError(f"The number of suggestions asked for must be 0 or more, not {limit}.")
    index = offers if isinstance(offers, OfferIndex) else OfferIndex.build(offers, distances=distances)
    if index.distances is not distances:
        raise ValueError("The offer index was built with another distance table than the one given.")
    ev = evaluate(index, need, weights)
    candidates = np.flatnonzero(ev.feasible)
    if limit < len(candidates):
        # Partial selection first (O(n)), then an exact sort of the few kept; rounding the score keeps
        # float noise from splitting a tie that the offer id should break.
        key = -np.round(ev.score[candidates], 12)
        kth = np.partition(key, limit - 1)[limit - 1]
        candidates = candidates[key <= kth]
    # Offers are sorted by id in the index, so the position breaks ties by id.
    order = np.lexsort((candidates, -np.round(ev.score[candidates], 12)))[:limit]
    out = []
    for i in candidates[order]:
        offer = index.offers[int(i)]
        crit = criteria_at(ev, int(i))
        out.append(
            Suggestion(
                need_id=need.id,
                offer_id=offer.id,
                score=float(ev.score[i]),
                criteria=crit,
                reasons=reasons(need, offer, crit),
                weights=weights,
            )
        )
    return out
