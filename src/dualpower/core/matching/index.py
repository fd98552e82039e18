"""Offers as arrays, built once, so one need is scored against every offer in a few numpy passes.

``OfferIndex.build`` turns offers into per-category, per-skill and per-language masks, a
neighbourhood index, padded availability windows and capacities. ``evaluate`` applies the hard
constraints to all offers at once and computes every soft criterion as a vector; both ``suggest`` and
``assign_all`` score through it, so a ranking and a batch assignment can never disagree on a pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from .distances import Distances
from .model import WEEK_MINUTES, Need, Offer, OfferKind, Weights, ids_unique

# The hard constraints in the order they are applied; the counts of offers left after each one say
# why a need has no suggestion ("no helper offers transport", "none of them speaks Somali").
HARD_CONSTRAINTS = ("category", "language", "capacity", "time", "distance")


def _masks(values: Iterable[tuple[int, tuple[str, ...]]], n: int) -> dict[str, np.ndarray]:
    rows: dict[str, list[int]] = {}
    for i, names in values:
        for name in names:
            rows.setdefault(name, []).append(i)
    out: dict[str, np.ndarray] = {}
    for name, idx in rows.items():
        mask = np.zeros(n, dtype=bool)
        mask[idx] = True
        mask.setflags(write=False)
        out[name] = mask
    return out


@dataclass(frozen=True, eq=False)
class OfferIndex:
    """Every offer (sorted by id) as columns of arrays; see ``OfferIndex.build``."""

    offers: tuple[Offer, ...]
    distances: Distances
    neighbourhood: np.ndarray  # (n,) row of each offer's neighbourhood in distances.km
    categories: Mapping[str, np.ndarray]  # name -> (n,) bool
    skills: Mapping[str, np.ndarray]
    languages: Mapping[str, np.ndarray]
    any_time: np.ndarray  # (n,) bool: the offer gave no windows
    window_start: np.ndarray  # (n, W) minutes; unused slots are the empty window [0, 0)
    window_end: np.ndarray
    capacity: np.ndarray  # (n,) float, inf for inexhaustible offers

    @classmethod
    def build(cls, offers: Iterable[Offer], *, distances: Distances) -> OfferIndex:
        ordered = tuple(sorted(offers, key=lambda o: o.id))
        ids_unique(ordered, "offer")
        n = len(ordered)
        nbh = np.fromiter(
            (distances.index(o.neighbourhood, of=f"the offer {o.id!r}") for o in ordered), np.intp, n
        )
        width = max((len(o.windows) for o in ordered), default=0) or 1
        start = np.zeros((n, width), dtype=np.int32)
        end = np.zeros((n, width), dtype=np.int32)
        for i, o in enumerate(ordered):
            for k, w in enumerate(o.windows):
                start[i, k], end[i, k] = w.start, w.end
        capacity = np.fromiter(
            (np.inf if o.kind is OfferKind.INEXHAUSTIBLE else float(o.capacity or 0) for o in ordered),
            np.float64,
            n,
        )
        any_time = np.fromiter((not o.windows for o in ordered), bool, n)
        for arr in (nbh, start, end, capacity, any_time):
            arr.setflags(write=False)
        return cls(
            offers=ordered,
            distances=distances,
            neighbourhood=nbh,
            categories=_masks(((i, o.categories) for i, o in enumerate(ordered)), n),
            skills=_masks(((i, o.skills) for i, o in enumerate(ordered)), n),
            languages=_masks(((i, o.languages) for i, o in enumerate(ordered)), n),
            any_time=any_time,
            window_start=start,
            window_end=end,
            capacity=capacity,
        )

    def __len__(self) -> int:
        return len(self.offers)


@dataclass(frozen=True, eq=False)
class Evaluation:
    """One need against every offer of an index: the feasible mask, the score and each criterion."""

    feasible: np.ndarray  # (n,) bool: passes every hard constraint
    score: np.ndarray  # (n,) weighted mean of the criteria, in [0, 1]
    skills: np.ndarray
    distance: np.ndarray
    time: np.ndarray
    language: np.ndarray
    capacity: np.ndarray
    distance_km: np.ndarray
    overlap_minutes: np.ndarray
    left_after: tuple[tuple[str, int], ...]  # offers still feasible after each hard constraint


def _any(masks: Mapping[str, np.ndarray], names: Iterable[str], n: int) -> np.ndarray:
    out = np.zeros(n, dtype=bool)
    for name in names:
        mask = masks.get(name)
        if mask is not None:
            out |= mask
    return out


def _count(masks: Mapping[str, np.ndarray], names: Iterable[str], n: int) -> np.ndarray:
    out = np.zeros(n, dtype=np.float64)
    for name in names:
        mask = masks.get(name)
        if mask is not None:
            out += mask
    return out


def evaluate(index: OfferIndex, need: Need, weights: Weights) -> Evaluation:
    """Score ``need`` against every offer in ``index`` (vectorised: a few passes over n offers)."""
    n = len(index)
    row = index.distances.index(need.neighbourhood, of=f"the need {need.id!r}")
    left: list[tuple[str, int]] = []

    feasible = index.categories.get(need.category, np.zeros(n, dtype=bool)).copy()
    left.append(("category", int(feasible.sum())))

    shares_language = _any(index.languages, need.languages, n) if need.languages else np.ones(n, bool)
    if need.language_required:
        feasible &= shares_language
    left.append(("language", int(feasible.sum())))

    feasible &= index.capacity > 0
    left.append(("capacity", int(feasible.sum())))

    if need.windows:
        s, e = index.window_start, index.window_end
        overlap = np.zeros(n, dtype=np.int64)
        for w in need.windows:
            overlap += np.clip(np.minimum(e, w.end) - np.maximum(s, w.start), 0, None).sum(axis=1)
        asked = sum(w.minutes for w in need.windows)
        overlap = np.where(index.any_time, asked, overlap)
        time = overlap / asked
        feasible &= overlap > 0
    else:
        # A need without windows can be met any time: every offer fits, and overlap is its availability.
        overlap = np.where(index.any_time, WEEK_MINUTES, (index.window_end - index.window_start).sum(axis=1))
        time = np.ones(n)
    left.append(("time", int(feasible.sum())))

    km = index.distances.km[row, index.neighbourhood]
    feasible &= np.isfinite(km)
    if weights.max_distance_km is not None:
        feasible &= km <= weights.max_distance_km
    left.append(("distance", int(feasible.sum())))

    skills = _count(index.skills, need.skills, n) / len(need.skills) if need.skills else np.ones(n)
    distance = 1.0 / (1.0 + np.where(np.isfinite(km), km, np.inf) / weights.distance_scale_km)
    language = shares_language.astype(np.float64)
    capacity = np.minimum(index.capacity, weights.capacity_reference) / weights.capacity_reference
    w_distance = weights.distance * (1.0 + weights.urgency_distance_boost * int(need.urgency))
    total = weights.skills + w_distance + weights.time + weights.language + weights.capacity
    score = (
        weights.skills * skills
        + w_distance * distance
        + weights.time * time
        + weights.language * language
        + weights.capacity * capacity
    ) / total
    return Evaluation(
        feasible=feasible,
        score=score,
        skills=skills,
        distance=distance,
        time=time,
        language=language,
        capacity=capacity,
        distance_km=km,
        overlap_minutes=overlap,
        left_after=tuple(left),
    )
