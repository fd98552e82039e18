"""Two principal components and Polis' sparsity-aware projection (math/pca.clj).

Polis finds the components by power iteration on the centred, mean-imputed matrix; here they are
the two leading eigenvectors of the same matrix's Gram matrix, which power iteration converges to.
A participant's place is their centred votes times the components, scaled by
sqrt(statements / statements answered): someone who voted on few statements is pushed out from the
centre instead of sitting on it (``sparsity-aware-project-ptpt``).
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
import scipy.sparse.linalg as spla

from dualpower.core.opinions.matrix import RatingMatrix
from dualpower.core.opinions.model import FloatArray

DENSE_UP_TO = 400  # statements: below this the Gram matrix is small enough to decompose whole


def _orient(component: FloatArray) -> FloatArray:
    """A fixed sign, so the same votes always give the same map whatever the order of the
    statements: the sum of cubed loadings positive (the largest loading positive if that is 0)."""
    if not component.any():
        return component
    skew = float(np.round((component**3).sum(), 12))
    if skew == 0:
        skew = float(component[int(np.argmax(np.abs(np.round(component, 12))))])
    return component if skew > 0 else -component


def components(matrix: RatingMatrix, centred: sp.csr_matrix, start: FloatArray | None = None) -> FloatArray:
    """(2, columns): the leading directions; a zero row where the data has fewer than two."""
    n_cols = centred.shape[1]
    out = np.zeros((2, n_cols))
    if n_cols == 0 or centred.nnz == 0:
        return out
    # With the mean filled in, a missing cell is 0 once centred: the Gram matrix is that of the
    # sparse centred votes, cheap to multiply by.
    n_rows = centred.shape[0]
    if n_cols <= DENSE_UP_TO:
        values, vectors = np.linalg.eigh((centred.T @ centred).toarray())
        order = np.argsort(values)[::-1][:2]
        values, vectors = values[order], vectors[:, order].T
    elif n_rows <= DENSE_UP_TO:
        # few participants, many statements: the same eigenvalues from the participants' side,
        # each direction then carried back to the statements (v = C'u, normalised below)
        values, people = np.linalg.eigh((centred @ centred.T).toarray())
        order = np.argsort(values)[::-1][:2]
        values = values[order]
        vectors = np.asarray(centred.T @ people[:, order]).T
    else:

        def gram_times(x: FloatArray) -> FloatArray:
            return np.asarray(centred.T @ (centred @ x))

        op = spla.LinearOperator((n_cols, n_cols), matvec=gram_times, dtype=np.float64)
        v0 = start if start is not None and start.any() else np.ones(n_cols)
        values, vectors = spla.eigsh(op, k=2, which="LA", v0=v0, tol=1e-10)
        order = np.argsort(values)[::-1]
        values, vectors = values[order], vectors[:, order].T
    top = max(float(values[0]), 0.0)
    for i in range(min(2, len(values))):
        if values[i] > 1e-9 * max(top, 1.0) and vectors[i].any():
            out[i] = _orient(vectors[i] / np.linalg.norm(vectors[i]))
    return out


def project(matrix: RatingMatrix, centred: sp.csr_matrix, comps: FloatArray) -> FloatArray:
    """(participants, 2): Polis' sparsity-aware projection of every participant."""
    raw = np.asarray(centred @ comps.T)
    scale = np.sqrt(matrix.n_columns / np.maximum(matrix.seen_counts(), 1))
    return raw * scale[:, None]


def project_statements(matrix: RatingMatrix, comps: FloatArray) -> FloatArray:
    """(columns, 2): where someone who agreed with just that statement would sit (Polis'
    ``pca-project-cmnts``, with agree as 1 here)."""
    n = matrix.n_columns
    if n == 0:
        return np.zeros((0, 2))
    shifted: FloatArray = (1.0 - matrix.center)[:, None] * comps.T * np.sqrt(n)
    return shifted
