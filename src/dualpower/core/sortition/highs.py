"""Thin helpers over HiGHS (the ``highspy`` package), the LP/MIP solver sortition-algorithms uses too.

We call its low-level array interface rather than its modelling layer: building expressions one
variable at a time costs more than solving these small programs.
"""

from __future__ import annotations

from collections.abc import Sequence

import highspy
import numpy as np

INF = highspy.kHighsInf


def new_highs(*, mip: bool) -> highspy.Highs:
    """A silent, single-threaded, seeded solver, so the same input always gives the same lottery."""
    h = highspy.Highs()  # type: ignore[no-untyped-call]  # highspy's constructor has no annotations
    h.setOptionValue("output_flag", False)
    h.setOptionValue("random_seed", 0)
    h.setOptionValue("threads", 1)
    if mip:
        # The default gap (1e-4) would let column generation stop short of the optimum; these
        # programs are small enough to solve exactly.
        h.setOptionValue("mip_rel_gap", 1e-10)
        h.setOptionValue("mip_abs_gap", 1e-12)
    return h


def add_columns(
    h: highspy.Highs, cost: Sequence[float], lower: Sequence[float], upper: Sequence[float]
) -> None:
    n = len(cost)
    empty_i = np.zeros(n, dtype=np.int32)
    h.addCols(
        n,
        np.asarray(cost, dtype=np.float64),
        np.asarray(lower, dtype=np.float64),
        np.asarray(upper, dtype=np.float64),
        0,
        empty_i,
        np.zeros(0, dtype=np.int32),
        np.zeros(0, dtype=np.float64),
    )


def make_integer(h: highspy.Highs, columns: Sequence[int]) -> None:
    idx = np.asarray(columns, dtype=np.int32)
    kinds = np.full(len(idx), int(highspy.HighsVarType.kInteger.value), dtype=np.uint8)
    h.changeColsIntegrality(len(idx), idx, kinds)


def add_row(
    h: highspy.Highs, lower: float, upper: float, columns: Sequence[int], values: Sequence[float]
) -> None:
    h.addRow(
        lower,
        upper,
        len(columns),
        np.asarray(columns, dtype=np.int32),
        np.asarray(values, dtype=np.float64),
    )


def set_costs(h: highspy.Highs, costs: Sequence[float] | np.ndarray) -> None:
    c = np.asarray(costs, dtype=np.float64)
    h.changeColsCost(len(c), np.arange(len(c), dtype=np.int32), c)


def solve(h: highspy.Highs, *, maximise: bool) -> bool:
    """Run; True when an optimum was found, False when the program is infeasible."""
    sense = highspy.ObjSense.kMaximize if maximise else highspy.ObjSense.kMinimize
    h.changeObjectiveSense(sense)
    h.run()
    status = h.getModelStatus()
    if status == highspy.HighsModelStatus.kOptimal:
        return True
    if status == highspy.HighsModelStatus.kInfeasible:
        return False
    raise ValueError(f"The solver stopped without an answer ({h.modelStatusToString(status)}).")


def values(h: highspy.Highs) -> np.ndarray:
    return np.asarray(h.getSolution().col_value, dtype=np.float64)


def objective(h: highspy.Highs) -> float:
    return float(h.getInfo().objective_function_value)


def add_dense_rows(h: highspy.Highs, lower: np.ndarray, upper: np.ndarray, matrix: np.ndarray) -> None:
    """Add one row per line of ``matrix`` (zeros dropped), in one call."""
    matrix = np.atleast_2d(np.asarray(matrix, dtype=np.float64))
    rows, cols = np.nonzero(matrix)
    starts = np.searchsorted(rows, np.arange(matrix.shape[0])).astype(np.int32)
    h.addRows(
        matrix.shape[0],
        np.asarray(lower, dtype=np.float64),
        np.asarray(upper, dtype=np.float64),
        len(cols),
        starts,
        cols.astype(np.int32),
        matrix[rows, cols],
    )


def tighten_lp(h: highspy.Highs) -> None:
    """Feasibility tolerances of 1e-9 instead of 1e-7, so probabilities are right to about 1e-9; no
    presolve, so that after a row is added the simplex restarts from the last basis."""
    h.setOptionValue("presolve", "off")
    h.setOptionValue("primal_feasibility_tolerance", 1e-9)
    h.setOptionValue("dual_feasibility_tolerance", 1e-9)
