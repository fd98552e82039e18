"""The opinion map of a conversation: Polis' conversation update (math/conversation.clj) in numpy.

    votes → last-vote matrix → who is mapped (in_conversation) → PCA, sparsity-aware projection
    → 100 base clusters → groups (k by silhouette, smoothed between updates) → repness, consensus

``opinion_map(votes, previous=...)`` starts from the previous map: the PCA from its components,
k-means from its clusters (re-centred on where their members are now, as Polis'
``clean-start-clusters`` does), the smoothing of k from its counter, and participants once mapped
stay mapped (Polis' ``in-conv`` only grows).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import replace

import numpy as np
import numpy.typing as npt

from dualpower.core.opinions import clusters, pca, repness
from dualpower.core.opinions.matrix import RatingMatrix, rating_matrix
from dualpower.core.opinions.model import (
    FloatArray,
    IntArray,
    KSmoother,
    OpinionMap,
    Settings,
    Votes,
    natural_key,
)

DEFAULT = Settings()
GROUP_INITS = 8  # k-means++ draws per k at the group level; the lowest weighted inertia wins


def in_conversation(
    matrix: RatingMatrix, ids: tuple[str, ...], settings: Settings, already: frozenset[str]
) -> npt.NDArray[np.bool_]:
    """Polis' ``in-conv``: everyone with at least min(7, statements) votes, plus, while fewer
    than 15 are in, the most active others; ``already`` (Polis keeps the set between updates:
    once in, a participant stays in) are in whatever their count."""
    counts = matrix.raw_counts
    need = min(settings.min_votes, matrix.n_columns)
    mask = (counts >= need) & (counts > 0)
    if already:
        mask |= np.fromiter((i in already for i in ids), bool, len(ids)) & (counts > 0)
    missing = settings.greedy_n - int(mask.sum())
    if missing > 0:
        others = [int(i) for i in np.flatnonzero(~mask & (counts > 0))]
        others.sort(key=lambda i: (-counts[i], natural_key(ids[i])))
        mask[others[:missing]] = True
    return mask


def _carry(previous: OpinionMap, ids: tuple[str, ...]) -> IntArray:
    """For each of ``ids``, their row in the previous map (−1 for people new since)."""
    where = {pid: i for i, pid in enumerate(previous.participant_ids)}
    return np.fromiter((where.get(pid, -1) for pid in ids), np.int64, len(ids))


def _previous_labels(labels: IntArray, index: IntArray) -> IntArray:
    """The previous map's labels (one per participant) carried over through ``_carry``."""
    return np.where(index >= 0, labels[np.maximum(index, 0)], -1)


def _warm_start(
    points: FloatArray, weights: FloatArray, old: IntArray, k: int, fresh: FloatArray
) -> FloatArray | None:
    """Polis' ``clean-start-clusters``: each earlier cluster re-centred on where its members are
    now (the map may have turned or flipped), then new centres at the fresh candidates farthest
    from those until there are ``k``; None when nothing carries over."""
    known = old >= 0
    if not known.any():
        return None
    _, which = np.unique(old[known], return_inverse=True)
    w = np.bincount(which, weights=weights[known])
    sums = np.stack([np.bincount(which, weights=weights[known] * points[known, j]) for j in (0, 1)], axis=1)
    centers = np.unique(np.round(sums / np.maximum(w, 1e-300)[:, None], clusters.ROUND), axis=0)
    wanted = min(k, len(fresh))
    if len(centers) < wanted:
        d = ((fresh[:, None, :] - centers[None, :, :]) ** 2).sum(2).min(1)
        far = np.argsort(-d, kind="stable")[: wanted - len(centers)]
        centers = np.vstack([centers, fresh[far[d[far] > 0]]])
    return centers[:k]


def _base_clusters(points: FloatArray, old: IntArray | None, settings: Settings) -> clusters.Clustering:
    weights = np.ones(len(points))
    init = clusters.plus_plus_init(points, weights, settings.base_k)
    if old is not None:
        warm = _warm_start(points, weights, old, settings.base_k, init)
        if warm is not None:
            init = warm
    return clusters.kmeans(points, weights, init, settings.base_iters)


def _groups(
    base: clusters.Clustering,
    sizes: FloatArray,
    settings: Settings,
    old: dict[int, IntArray],
    smoother: KSmoother,
) -> tuple[IntArray, dict[int, float], KSmoother, dict[int, IntArray]]:
    """Groups over the base clusters for each k, the silhouette of each, and the smoothed k.
    ``old`` holds, per k, each base cluster's group in the previous map (by its members)."""
    centers = base.centers
    n = len(centers)
    distinct = len(np.unique(np.round(centers, clusters.ROUND), axis=0))
    if distinct < 2:
        return np.zeros(n, dtype=np.int64), {}, KSmoother(1, 1, 1), {1: np.zeros(n, dtype=np.int64)}
    max_k = max(2, min(settings.max_k, 2 + n // 12, distinct))
    distances = np.sqrt(((centers[:, None, :] - centers[None, :, :]) ** 2).sum(2))
    found: dict[int, clusters.Clustering] = {}
    silhouettes: dict[int, float] = {}
    for k in range(2, max_k + 1):
        starts = [clusters.plus_plus_init(centers, sizes, k, seed) for seed in range(GROUP_INITS)]
        if k in old:
            warm = _warm_start(centers, sizes, old[k], k, starts[0])
            if warm is not None and len(warm) == k:
                starts = [warm]  # Polis' last-clusters: the groups move with the data, not jump
        runs = [clusters.kmeans(centers, sizes, s, settings.group_iters) for s in starts]
        best = min(runs, key=lambda r: r.inertia)
        found[k] = best
        silhouettes[k] = clusters.silhouette(distances, best.labels)
    best_k = max(silhouettes, key=lambda k: (silhouettes[k], -k))
    smoothed = clusters.smooth_k(smoother, best_k, settings.group_k_buffer)
    k = smoothed.smoothed_k if smoothed.smoothed_k in found else best_k
    return found[k].labels, silhouettes, smoothed, {kk: c.labels for kk, c in found.items()}


def _relabel(labels: IntArray, sizes: FloatArray, centers: FloatArray) -> IntArray:
    """Group 0 is the largest; ties by position, so labels do not depend on the input order."""
    groups = np.unique(labels)
    keys = []
    for g in groups:
        inside = labels == g
        weight = sizes[inside].sum()
        where = (centers[inside] * sizes[inside, None]).sum(0) / max(weight, 1e-300)
        keys.append((-weight, *np.round(where, clusters.ROUND)))
    mapping = np.empty(int(groups.max()) + 1, dtype=np.int64)
    for new, i in enumerate(sorted(range(len(groups)), key=lambda i: keys[i])):
        mapping[groups[i]] = new
    return mapping[labels]


def opinion_map(
    votes: Votes,
    *,
    settings: Settings = DEFAULT,
    previous: OpinionMap | None = None,
    already: Collection[str] = (),
    groups_before: Mapping[str, int] | None = None,
) -> OpinionMap:
    """The map of ``votes``; pass the last map as ``previous`` to update it incrementally.

    ``already``: participants mapped in earlier updates (Polis' ``in-conv`` state), mapped
    whatever their number of votes. ``groups_before``: the groups of an earlier computation
    made elsewhere (participant id → group, e.g. a Polis export's ``group-id``), taken as the
    state the update starts from, as Polis starts each update from the last: their members are
    mapped, k is smoothed from their number of groups, and k-means starts from them."""
    matrix = rating_matrix(votes)
    centred = matrix.centred()
    statement_ids = [votes.statement_ids[c] for c in matrix.columns]
    start = None
    if previous is not None:
        where = {s: i for i, s in enumerate(previous.statement_ids)}
        start = np.array([previous.components[0, where[s]] if s in where else 1.0 for s in statement_ids])
    comps = pca.components(matrix, centred, start)
    position = pca.project(matrix, centred, comps)
    carried = frozenset(already) | frozenset(groups_before or ())
    if previous is not None:
        carried |= frozenset(
            p for p, inside in zip(previous.participant_ids, previous.in_conversation, strict=True) if inside
        )
    mapped = in_conversation(matrix, votes.participant_ids, settings, carried)
    people = np.flatnonzero(mapped)
    n_people = len(votes.participant_ids)
    group = np.full(n_people, -1, dtype=np.int64)
    base_of = np.full(n_people, -1, dtype=np.int64)
    silhouettes: dict[int, float] = {}
    smoother = previous.k_smoother if previous is not None else KSmoother()
    if groups_before:
        k_before = len(set(groups_before.values()))
        smoother = KSmoother(last_k=k_before, last_k_count=1, smoothed_k=k_before)
    labels_by_k: dict[int, IntArray] = {}
    base_centers = np.zeros((0, 2))
    n_groups = 0
    if len(people):
        ids = tuple(votes.participant_ids[i] for i in people)
        index = _carry(previous, ids) if previous is not None else None
        old_base = _previous_labels(previous.base_members, index) if previous and index is not None else None
        base = _base_clusters(position[people], old_base, settings)
        sizes = np.bincount(base.labels, minlength=len(base.centers)).astype(float)
        old_groups: dict[int, IntArray] = {}
        if previous is not None:
            for k, per_person in previous.labels_by_k.items():
                assert index is not None
                earlier = _previous_labels(per_person, index)
                # a base cluster's previous group: that of most of its members who had one
                tally = np.zeros((len(base.centers), k + 1))
                np.add.at(tally, (base.labels, earlier + 1), 1)
                tally[:, 0] = 0
                old_groups[k] = np.where(tally.max(1) > 0, tally.argmax(1) - 1, -1)
        if groups_before:
            names = sorted(set(groups_before.values()))
            earlier = np.array([names.index(groups_before[i]) if i in groups_before else -1 for i in ids])
            tally = np.zeros((len(base.centers), len(names) + 1))
            np.add.at(tally, (base.labels, earlier + 1), 1)
            tally[:, 0] = 0
            old_groups[len(names)] = np.where(tally.max(1) > 0, tally.argmax(1) - 1, -1)
        labels, silhouettes, smoother, by_k = _groups(base, sizes, settings, old_groups, smoother)
        labels = _relabel(labels, sizes, base.centers)
        n_groups = int(labels.max()) + 1
        base_of[people] = base.labels
        group[people] = labels[base.labels]
        base_centers = base.centers
        for k, base_labels in by_k.items():
            per_person = np.full(n_people, -1, dtype=np.int64)
            per_person[people] = base_labels[base.labels]
            labels_by_k[k] = per_person
    order = sorted(range(len(statement_ids)), key=lambda c: natural_key(statement_ids[c]))
    excluded = {c for c in range(len(statement_ids)) if matrix.moderated[c]}
    counts = repness.group_counts(matrix.row, matrix.col, matrix.value, group, n_groups, matrix.n_columns)
    if n_groups:
        reps = repness.select_representative(repness.stats(counts), statement_ids, order, excluded)
        scores, agreed = repness.consensus(counts, statement_ids, order, excluded)
    else:
        reps, scores, agreed = (), {}, ()
    return OpinionMap(
        participant_ids=votes.participant_ids,
        statement_ids=tuple(statement_ids),
        position=position,
        in_conversation=mapped,
        group=group,
        groups=tuple(
            tuple(votes.participant_ids[i] for i in np.flatnonzero(group == g)) for g in range(n_groups)
        ),
        base_centers=base_centers,
        base_members=base_of,
        repness=reps,
        group_votes=repness.group_votes(counts, statement_ids),
        consensus=agreed,
        group_aware_consensus=scores,
        components=comps,
        center=matrix.center,
        statement_position=pca.project_statements(matrix, comps),
        silhouettes=silhouettes,
        k_smoother=smoother,
        labels_by_k=labels_by_k,
        settings=settings,
    )


def polis_map(votes: Votes, *, settings: Settings = DEFAULT) -> OpinionMap:
    """The map of a conversation Polis computed, from its timestamped votes: the groups are those
    of Polis' update path replayed (``replay.replay``: each update warm-started from the last, as
    Polis' math worker ran them), the rest (positions, representative and consensus statements)
    as ``opinion_map`` computes them for those groups. Without timestamps, ``opinion_map``."""
    if votes.timestamp is None or not len(votes.vote):
        return opinion_map(votes, settings=settings)
    from dualpower.core.opinions.replay import replay

    replayed, mapped, _ = replay(votes, settings=settings)
    base = opinion_map(votes, settings=settings, already=mapped)
    ids = base.participant_ids
    raw = np.array([replayed.get(p, -1) for p in ids], dtype=np.int64)
    # group 0 the largest, ties by the first participant in natural order: no order dependence
    present = sorted({int(g) for g in raw if g >= 0})
    size = {g: int((raw == g).sum()) for g in present}
    first = {g: min(natural_key(ids[i]) for i in np.flatnonzero(raw == g)) for g in present}
    ranked = sorted(present, key=lambda g: (-size[g], first[g]))
    renumber = {g: new for new, g in enumerate(ranked)}
    group = np.array([renumber.get(int(g), -1) for g in raw], dtype=np.int64)
    n_groups = len(ranked)
    matrix = rating_matrix(votes)
    statement_ids = list(base.statement_ids)
    order = sorted(range(len(statement_ids)), key=lambda c: natural_key(statement_ids[c]))
    excluded = {c for c in range(len(statement_ids)) if matrix.moderated[c]}
    counts = repness.group_counts(matrix.row, matrix.col, matrix.value, group, n_groups, matrix.n_columns)
    if n_groups:
        reps = repness.select_representative(repness.stats(counts), statement_ids, order, excluded)
        scores, agreed = repness.consensus(counts, statement_ids, order, excluded)
    else:
        reps, scores, agreed = (), {}, ()
    mapped_mask = group >= 0
    return replace(
        base,
        in_conversation=mapped_mask | base.in_conversation,
        group=group,
        groups=tuple(tuple(ids[i] for i in np.flatnonzero(group == g)) for g in range(n_groups)),
        repness=reps,
        group_votes=repness.group_votes(counts, statement_ids),
        consensus=agreed,
        group_aware_consensus=scores,
        k_smoother=KSmoother(last_k=n_groups, last_k_count=1, smoothed_k=n_groups),
        labels_by_k={n_groups: group} if n_groups else {},
    )
