"""The integer program behind column generation: the best composition for given weights.

A composition is a count ``c_t`` per profile with ``0 <= c_t <= n_t``, ``sum c_t = panel_size`` and,
for every quota, ``min <= sum of c_t over the profiles it counts <= max``. Each call changes only the
objective, so one HiGHS model is kept and re-solved (Flanigan et al. 2021, Methods: the same ILP,
over people instead of profiles).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dualpower.core.sortition import highs
from dualpower.core.sortition.model import Quotas
from dualpower.core.sortition.profiles import Grouping

Counts = tuple[int, ...]


class CompositionOracle:
    """Holds one HiGHS model; not shared between threads (each selection builds its own)."""

    def __init__(self, grouping: Grouping, quotas: Quotas, panel_size: int) -> None:
        sizes = grouping.sizes
        self.sizes = np.asarray(sizes, dtype=np.float64)
        self._h = highs.new_highs(mip=True)
        t = len(sizes)
        highs.add_columns(self._h, [0.0] * t, [0.0] * t, [min(n, panel_size) for n in sizes])
        highs.make_integer(self._h, range(t))
        highs.add_row(self._h, panel_size, panel_size, range(t), [1.0] * t)
        for quota, members in zip(quotas.quotas, grouping.quota_profiles, strict=True):
            highs.add_row(self._h, quota.min, quota.max, members, [1.0] * len(members))

    def best(self, weights: Sequence[float] | np.ndarray) -> Counts | None:
        """The composition maximising ``sum weights[t] * c_t``; None when no composition exists."""
        highs.set_costs(self._h, weights)
        if not highs.solve(self._h, maximise=True):
            return None
        return tuple(round(float(v)) for v in highs.values(self._h))


def dot(weights: np.ndarray, counts: Counts) -> float:
    return float(np.dot(weights, np.asarray(counts, dtype=np.float64)))
