"""Synthetic volunteer pools with realistic features, shared by the tests and bench/bench_sortition.py.

Volunteers are not a random sample: older people, home owners and women tend to volunteer more
(the self-selection that quotas correct). The pool is drawn with that bias; the quotas come from
the population shares, proportional to the panel size with a margin either side, as organisers set
them from census figures.
"""

from __future__ import annotations

import math
import random

from dualpower.core.sortition import Pool, Quota, Quotas

# feature -> (value, population share, volunteering propensity)
FEATURES: dict[str, tuple[tuple[str, float, float], ...]] = {
    "neighbourhood": tuple(
        (name, share, 1.0)
        for name, share in zip(
            ("docks", "hill", "market", "mill", "orchard", "riverside", "station", "ward"),
            (0.18, 0.09, 0.15, 0.12, 0.08, 0.14, 0.13, 0.11),
            strict=True,
        )
    ),
    "gender": (("woman", 0.50, 1.2), ("man", 0.48, 0.9), ("non-binary", 0.02, 1.0)),
    "age": (("16-29", 0.22, 0.6), ("30-44", 0.25, 0.9), ("45-59", 0.24, 1.1), ("60-74", 0.19, 1.4),
            ("75+", 0.10, 1.0)),
    "housing": (("owner", 0.45, 1.3), ("private renter", 0.30, 0.8), ("social renter", 0.20, 0.9),
                ("other", 0.05, 0.7)),
}  # fmt: skip


def make_pool(size: int, *, seed: int, features: int = 4) -> Pool:
    rnd = random.Random(seed)
    chosen = list(FEATURES)[:features]
    people = {}
    for i in range(size):
        person = {}
        for feature in chosen:
            values = FEATURES[feature]
            person[feature] = rnd.choices([v for v, _, _ in values], [s * b for _, s, b in values])[0]
        people[f"v{i:05d}"] = person
    return Pool.of(people)


def make_quotas(pool: Pool, panel_size: int, *, margin: float = 0.2) -> Quotas:
    """Population share × panel size, ±``margin`` of it (at least ±1), never more than the pool has."""
    quotas = []
    features = {name for person in pool.people for name, _ in person.features}
    for feature in sorted(features):
        have: dict[str, int] = {}
        for person in pool.people:
            have[person.value(feature)] = have.get(person.value(feature), 0) + 1
        for value, share, _ in FEATURES[feature]:
            target = share * panel_size
            spread = max(1.0, margin * target)
            lo = min(max(0, math.floor(target - spread)), have.get(value, 0))
            hi = max(lo, min(math.ceil(target + spread), panel_size))
            if value in have or lo > 0:
                quotas.append(Quota(feature, value, lo, hi))
    return Quotas(tuple(quotas))
