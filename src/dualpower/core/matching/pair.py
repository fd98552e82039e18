"""One need against one offer, in plain Python: the same rules as ``index.evaluate``, written once more
without arrays. Explanations of chosen pairs use it, and the tests check that the two agree, so the
vectorised ranking can be read (and audited) through this short function."""

from __future__ import annotations

import math

from .distances import Distances
from .explain import overlaps
from .model import WEEK_MINUTES, Criteria, Need, Offer, OfferKind, Weights


def pair_feasible(need: Need, offer: Offer, *, distances: Distances, weights: Weights) -> bool:
    """Whether the pair passes every hard constraint (category, language if required, capacity,
    time overlap, a path between the neighbourhoods within the maximum distance)."""
    km = distances.between(need.neighbourhood, offer.neighbourhood)
    return (
        need.category in offer.categories
        and (not need.language_required or bool(set(need.languages) & set(offer.languages)))
        and (offer.kind is OfferKind.INEXHAUSTIBLE or (offer.capacity or 0) > 0)
        and (not need.windows or not offer.windows or bool(overlaps(need, offer)))
        and math.isfinite(km)
        and (weights.max_distance_km is None or km <= weights.max_distance_km)
    )


def pair_criteria(need: Need, offer: Offer, *, distances: Distances, weights: Weights) -> Criteria:
    km = distances.between(need.neighbourhood, offer.neighbourhood)
    if need.windows:
        asked = sum(w.minutes for w in need.windows)
        minutes = asked if not offer.windows else sum(w.minutes for w in overlaps(need, offer))
        time = minutes / asked
    else:
        minutes = WEEK_MINUTES if not offer.windows else sum(w.minutes for w in offer.windows)
        time = 1.0
    capacity = (
        1.0
        if offer.kind is OfferKind.INEXHAUSTIBLE
        else min(offer.capacity or 0, weights.capacity_reference) / weights.capacity_reference
    )
    return Criteria(
        skills=len(set(need.skills) & set(offer.skills)) / len(need.skills) if need.skills else 1.0,
        distance=1.0 / (1.0 + km / weights.distance_scale_km),
        time=time,
        language=1.0 if not need.languages or set(need.languages) & set(offer.languages) else 0.0,
        capacity=capacity,
        distance_km=km,
        overlap_minutes=minutes,
    )


def pair_score(need: Need, criteria: Criteria, weights: Weights) -> float:
    """The weighted mean of the criteria; urgency raises the weight of distance (docs/matching.md)."""
    w_distance = weights.distance * (1.0 + weights.urgency_distance_boost * int(need.urgency))
    total = weights.skills + w_distance + weights.time + weights.language + weights.capacity
    return (
        weights.skills * criteria.skills
        + w_distance * criteria.distance
        + weights.time * criteria.time
        + weights.language * criteria.language
        + weights.capacity * criteria.capacity
    ) / total
