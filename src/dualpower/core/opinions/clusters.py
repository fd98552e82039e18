"""k-means, silhouette and the smoothing of k, after Polis' math/clusters.clj and conversation.clj.

Two levels, as in Polis: ``base_k`` (100) small clusters of participants, then opinion groups made
by k-means over the base clusters' centres weighted by their sizes, for every k from 2 to
``max_k``, keeping the k with the best silhouette.

Where Polis starts k-means from the first k distinct rows (an order that depends on who voted
first), this starts from a k-means++ draw over the points in a canonical order with a fixed seed,
so the same votes give the same groups however participants and statements are numbered. When a
previous map exists its centres are the start (Polis' ``last-clusters``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial import cKDTree

from dualpower.core.opinions.model import FloatArray, IntArray, KSmoother

ROUND = 9  # decimals: positions are compared after rounding, so float noise cannot reorder them


@dataclass(frozen=True, eq=False)
class Clustering:
    centers: FloatArray  # (k, 2)
    labels: IntArray  # (points,)
    inertia: float


def canonical_order(points: FloatArray) -> IntArray:
    rounded = np.round(points, ROUND)
    return np.lexsort(rounded.T[::-1]).astype(np.int64)


def _closest(points: FloatArray, centers: FloatArray) -> tuple[IntArray, FloatArray]:
    """Each point's nearest centre (the first on a tie) and the squared distance to it."""
    if len(centers) > 16 and len(points) > 1000:
        distance, labels = cKDTree(centers).query(points, k=1)
        return labels.astype(np.int64), distance * distance
    d2 = ((points[:, None, :] - centers[None, :, :]) ** 2).sum(2)
    labels = np.argmin(d2, axis=1)
    return labels.astype(np.int64), d2[np.arange(len(points)), labels]


def plus_plus_init(points: FloatArray, weights: FloatArray, k: int, seed: int = 0) -> FloatArray:
    """k distinct starting centres by k-means++ over the points in canonical order."""
    order = canonical_order(points)
    pts, w = points[order], weights[order]
    _, first = np.unique(np.round(pts, ROUND), axis=0, return_index=True)
    first.sort()
    pts, w = pts[first], w[first]  # one of each distinct point, canonical order kept
    k = min(k, len(pts))
    rng = np.random.default_rng(seed)
    chosen = [int(np.argmax(w))]  # the heaviest point first: no luck in the first pick
    d2 = ((pts - pts[chosen[0]]) ** 2).sum(1)
    for _ in range(1, k):
        p = w * d2
        total = p.sum()
        if total <= 0:
            break
        pick = int(np.searchsorted(np.cumsum(p), rng.random() * total, side="right"))
        pick = min(pick, len(pts) - 1)
        chosen.append(pick)
        d2 = np.minimum(d2, ((pts - pts[pick]) ** 2).sum(1))
    return pts[chosen].copy()


def kmeans(
    points: FloatArray,
    weights: FloatArray,
    init: FloatArray,
    max_iters: int,
    tolerance: float = 0.01,
) -> Clustering:
    """Lloyd's iterations from ``init`` until no centre moves more than ``tolerance`` (Polis'
    ``same-clustering?`` uses 0.01) or ``max_iters``; empty clusters are dropped, as Polis'
    ``cluster-step`` does."""
    centers = init.copy()
    for _ in range(max_iters):
        labels, _ = _closest(points, centers)
        used = np.unique(labels)
        if len(used) < len(centers):
            labels = np.searchsorted(used, labels)
        w = np.bincount(labels, weights=weights, minlength=len(used))
        sums = np.stack(
            [np.bincount(labels, weights=weights * points[:, j], minlength=len(used)) for j in (0, 1)],
            axis=1,
        )
        moved = sums / np.maximum(w, 1e-300)[:, None]
        shift = np.sqrt(((moved - centers[used]) ** 2).sum(1)).max() if len(used) else 0.0
        centers = moved
        if shift <= tolerance and len(used) == len(init):
            break
    labels, d2 = _closest(points, centers)
    used = np.unique(labels)
    if len(used) < len(centers):
        centers, labels = centers[used], np.searchsorted(used, labels)
    return Clustering(centers=centers, labels=labels, inertia=float((weights * d2).sum()))


def silhouette(distances: FloatArray, labels: IntArray) -> float:
    """Mean silhouette over the points (the base clusters), unweighted as in Polis; a point alone
    in its cluster scores 0."""
    n = len(labels)
    if n < 2:
        return 0.0
    k = int(labels.max()) + 1
    one_hot = np.zeros((n, k))
    one_hot[np.arange(n), labels] = 1.0
    sizes = one_hot.sum(0)
    sums = distances @ one_hot  # (n, k): distance to every member of each cluster
    own = sizes[labels]
    a = sums[np.arange(n), labels] / np.maximum(own - 1, 1)
    other = np.where(one_hot > 0, np.inf, sums / np.maximum(sizes, 1)[None, :])
    other[:, sizes == 0] = np.inf
    b = other.min(1)
    score = np.where((own <= 1) | ~np.isfinite(b), 0.0, (b - a) / np.maximum(np.maximum(a, b), 1e-300))
    return float(score.mean())


def smooth_k(previous: KSmoother, best_k: int, buffer: int) -> KSmoother:
    """Polis' ``group-k-smoother``: switch to a new k only once it won ``buffer`` times in a row."""
    same = previous.last_k is not None and previous.last_k == best_k
    count = previous.last_k_count + 1 if same else 1
    smoothed = best_k if count >= buffer or previous.smoothed_k is None else previous.smoothed_k
    return KSmoother(last_k=best_k, last_k_count=count, smoothed_k=smoothed)
