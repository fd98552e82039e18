"""The neighbourhood distance table: coarse distances between named neighbourhoods, never addresses.

A community writes down the distance (km, or steps between adjoining neighbourhoods) for the pairs it
knows; the table is completed with shortest paths (Dijkstra, scipy.sparse.csgraph), so listing only
adjoining neighbourhoods is enough. Two neighbourhoods with no path between them are infinitely far:
no offer from one is suggested for a need in the other.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True, eq=False)
class Distances:
    """``km[i, j]`` is the distance from ``neighbourhoods[i]`` to ``neighbourhoods[j]`` (sorted names)."""

    neighbourhoods: tuple[str, ...]
    km: np.ndarray
    _where: Mapping[str, int] = field(default_factory=dict, repr=False)

    @classmethod
    def of(
        cls,
        pairs: Mapping[tuple[str, str], float] | Iterable[tuple[str, str, float]],
        *,
        neighbourhoods: Iterable[str] = (),
    ) -> Distances:
        """Build from ``{(a, b): km}`` or ``[(a, b, km), ...]``; distances are symmetric. Extra
        ``neighbourhoods`` may be named that have no listed pair yet (they are far from everything)."""
        triples = [(a, b, d) for (a, b), d in pairs.items()] if isinstance(pairs, Mapping) else list(pairs)
        names = sorted({str(n) for n in neighbourhoods} | {str(t[i]) for t in triples for i in (0, 1)})
        if any(not n.strip() for n in names):
            raise ValueError("The distance table names an empty neighbourhood; every one needs a name.")
        where = {n: i for i, n in enumerate(names)}
        best: dict[tuple[int, int], float] = {}
        for a, b, d in triples:
            d = float(d)
            if not np.isfinite(d) or d < 0:
                raise ValueError(
                    f"The distance from {a!r} to {b!r} is {d}; a distance must be a finite number, 0 or more."
                )
            i, j = sorted((where[str(a)], where[str(b)]))
            if i != j:
                best[i, j] = min(d, best.get((i, j), np.inf))
        n = len(names)
        if best:
            # Imported here: scipy is some 50 MiB of memory that every web process would carry.
            from scipy.sparse import csr_array
            from scipy.sparse.csgraph import shortest_path

            rows, cols = zip(*best, strict=True)
            # csgraph reads an explicit 0 as "no edge"; a tiny positive stands for a listed 0 km.
            vals = [max(v, 1e-12) for v in best.values()]
            graph = csr_array((vals, (rows, cols)), shape=(n, n))
            km = shortest_path(graph, method="D", directed=False)
            km = np.round(km, 9)  # drop the tiny stand-ins for 0 km again
        else:
            km = np.full((n, n), np.inf)
            np.fill_diagonal(km, 0.0)
        km.setflags(write=False)
        return cls(tuple(names), km, where)

    def index(self, neighbourhood: str, *, of: str = "") -> int:
        """Row of ``neighbourhood`` in ``km``; an unknown name is refused with a sentence."""
        found = self._where.get(neighbourhood)
        if found is not None:
            return found
        who = f" (given for {of})" if of else ""
        raise ValueError(
            f"The neighbourhood {neighbourhood!r}{who} is not in the distance table; "
            "add it to the table before matching in it."
        )

    def between(self, a: str, b: str) -> float:
        return float(self.km[self.index(a), self.index(b)])
