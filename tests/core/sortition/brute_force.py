"""Reference lotteries by listing every panel of a tiny pool (test-only).

With every feasible panel listed, the maximin LP needs no column generation: it is one LP, solved
here with HiGHS directly, so it checks the engine's optimum without sharing its code.
"""

from __future__ import annotations

from itertools import combinations

import highspy
import numpy as np

from dualpower.core.sortition import Pool, Quotas


def feasible_panels(pool: Pool, quotas: Quotas, panel_size: int) -> list[tuple[str, ...]]:
    values = {p.id: dict(p.features) for p in pool.people}
    panels = []
    for panel in combinations(sorted(values), panel_size):
        ok = True
        for q in quotas.quotas:
            count = sum(1 for pid in panel if values[pid][q.feature] == q.value)
            if not q.min <= count <= q.max:
                ok = False
                break
        if ok:
            panels.append(panel)
    return panels


def _lp(objective: np.ndarray, rows: list[tuple[float, float, np.ndarray]], maximise: bool) -> np.ndarray:
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    n = len(objective)
    h.addCols(n, objective, np.zeros(n), np.full(n, highspy.kHighsInf), 0,
              np.zeros(n, dtype=np.int32), np.zeros(0, dtype=np.int32), np.zeros(0))  # fmt: skip
    for lo, hi, coefs in rows:
        idx = np.nonzero(coefs)[0].astype(np.int32)
        h.addRow(lo, hi, len(idx), idx, coefs[idx])
    h.changeObjectiveSense(highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize)
    h.run()
    assert h.getModelStatus() == highspy.HighsModelStatus.kOptimal
    return np.asarray(h.getSolution().col_value)


def brute_maximin(pool: Pool, quotas: Quotas, panel_size: int) -> float:
    """The largest minimum selection probability over people some panel includes."""
    panels = feasible_panels(pool, quotas, panel_size)
    people = sorted({pid for panel in panels for pid in panel})
    m = len(panels)
    objective = np.zeros(m + 1)
    objective[m] = 1.0
    rows = [(1.0, 1.0, np.concatenate([np.ones(m), [0.0]]))]
    for pid in people:
        coefs = np.array([1.0 if pid in panel else 0.0 for panel in panels] + [-1.0])
        rows.append((0.0, highspy.kHighsInf, coefs))
    return float(_lp(objective, rows, maximise=True)[m])


def best_raise(pool: Pool, quotas: Quotas, panel_size: int, levels: dict[str, float], who: str) -> float:
    """The highest probability ``who`` can get while nobody falls below min(own level, who's level).

    A leximin lottery leaves no such raise (else mixing in a little of it would lift ``who`` without
    pushing anyone at or below ``who``'s level down: a leximin improvement)."""
    panels = feasible_panels(pool, quotas, panel_size)
    m = len(panels)
    objective = np.array([1.0 if who in panel else 0.0 for panel in panels])
    rows = [(1.0, 1.0, np.ones(m))]
    for pid, level in levels.items():
        coefs = np.array([1.0 if pid in panel else 0.0 for panel in panels])
        rows.append((min(level, levels[who]) - 1e-9, highspy.kHighsInf, coefs))
    x = _lp(objective, rows, maximise=True)
    return float(objective @ x)
