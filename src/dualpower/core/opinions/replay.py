"""Polis' update path replayed: the groups a Polis server would have reached, from timestamped votes.

Polis does not compute a conversation's groups once: its math worker runs an update each time new
votes arrive (math/conversation.clj ``small-conv-update-graph``), and each update starts from the
last one's state: the power iteration of the PCA starts from the last components, base k-means
starts from the last base clusters (``clean-start-clusters``: re-centred on their members, split by
the most distant points up to 100), each group k-means from the last groups of that k, ``in-conv``
only grows, and k changes only after winning ``group-k-buffer`` updates in a row. The very first
k-means starts from the first k distinct points in the participants' arrival order
(``init-clusters``). An export's ``group-id`` is the end of that path (and of the export's own
update, ``reload_at_end``), so this replays it: the votes in timestamp order, cut into the batches
an update loop would have seen (every vote within ten minutes of the first one not yet seen).

Arrival order is the order of each participant's first vote (timestamp, then the vote's statement
and participant ids in natural order), so numbering participants or statements differently, or
shuffling the rows of the input, changes nothing.

Polis' math changed over the years; ``polis_era`` picks the version from the date of the last vote
(``Era``: missing votes filled with 0 before 2017-10-21, moderated-out statements counted for
``in-conv`` before 2017-10-31, fewer power iterations and k-means steps before 2022-06-29).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from dualpower.core.opinions.clusters import silhouette, smooth_k
from dualpower.core.opinions.model import FloatArray, IntArray, KSmoother, Settings, Votes, natural_key

DEFAULT_SETTINGS = Settings()
BASE_TOLERANCE = 0.01  # same-clustering?


@dataclass
class _Clusters:
    """A clustering as Polis keeps it between updates: ids, centres, and who is in which."""

    ids: IntArray  # (k,)
    centers: FloatArray  # (k, 2)
    member_names: IntArray  # participant rows (base) or base cluster ids (groups)
    member_of: IntArray  # the id of each member's cluster

    def sizes(self) -> FloatArray:
        where = np.searchsorted(self.ids, self.member_of)
        return np.bincount(where, minlength=len(self.ids)).astype(float)


@dataclass
class ReplayState:
    comps: dict[str, tuple[float, float]] = field(default_factory=dict)
    in_conv: set[int] = field(default_factory=set)
    base: _Clusters | None = None
    groups: dict[int, _Clusters] = field(default_factory=dict)
    smoother: KSmoother = field(default_factory=KSmoother)
    updates: int = 0


@dataclass(frozen=True)
class Era:
    """What Polis' math did differently over the years (its git history), by the date of the
    conversation's last vote: the version that computed an export's groups."""

    zero_fill: bool  # missing votes filled with 0, not the statement's mean (until 2017-10-21)
    count_moderated: bool  # moderated-out statements counted as voted for in-conv (until 2017-10-31)
    pca_iters: int  # power iterations per update: 10, then 100 from 2022-06-29
    base_iters: (
        int  # base k-means steps: 20 (the option was ignored), 10 from 2017-12-08, 100 from 2022-06-29
    )


def _ms(year: int, month: int, day: int) -> float:
    return float(
        (np.datetime64(f"{year:04d}-{month:02d}-{day:02d}") - np.datetime64("1970-01-01"))
        .astype("timedelta64[ms]")
        .astype(np.int64)
    )


def polis_era(timestamps: FloatArray | None) -> Era:
    """The Polis that last updated a conversation whose newest vote is in ``timestamps``."""
    last = float(np.max(timestamps)) if timestamps is not None and len(timestamps) else float("inf")
    return Era(
        zero_fill=last < _ms(2017, 10, 21),
        count_moderated=last < _ms(2017, 10, 31),
        pca_iters=10 if last < _ms(2022, 6, 29) else 100,
        base_iters=20 if last < _ms(2017, 12, 8) else 10 if last < _ms(2022, 6, 29) else 100,
    )


def _power_iteration(gram: FloatArray, start: FloatArray, iters: int) -> FloatArray:
    """Polis' ``power-iteration`` on the Gram matrix (its ``xtxr`` is a product with it)."""
    vec = start
    last = 0.0
    for _ in range(iters + 1):
        product = gram @ vec
        value = float(np.linalg.norm(product))
        if value == 0.0:
            return product
        vec = product / value
        if value == last:
            break
        last = value
    return vec


def _distances(points: FloatArray, centers: FloatArray) -> FloatArray:
    out: FloatArray = np.sqrt(((points[:, None, :] - centers[None, :, :]) ** 2).sum(2))
    return out


def _init_clusters(points: FloatArray, k: int) -> _Clusters:
    """Polis' ``init-clusters``: the first k distinct rows, in row order."""
    _, first = np.unique(points, axis=0, return_index=True)
    first = np.sort(first)[:k]
    empty = np.zeros(0, dtype=np.int64)
    return _Clusters(np.arange(len(first), dtype=np.int64), points[first].copy(), empty, empty)


def _recenter(
    names: IntArray,
    points: FloatArray,
    weights: FloatArray,
    ids: IntArray,
    member_names: IntArray,
    member_of: IntArray,
) -> tuple[IntArray, FloatArray]:
    """Each cluster's centre moved to the (weighted) mean of its members' positions now; clusters
    with no member left are dropped (``safe-recenter-clusters``)."""
    rows = np.searchsorted(names, member_names)
    ok = rows < len(names)
    ok[ok] = names[rows[ok]] == member_names[ok]
    rows, owner = rows[ok], np.searchsorted(ids, member_of[ok])
    w = np.bincount(owner, weights=weights[rows], minlength=len(ids))
    sums = np.stack(
        [np.bincount(owner, weights=weights[rows] * points[rows, j], minlength=len(ids)) for j in (0, 1)], 1
    )
    keep = w > 0
    return ids[keep], sums[keep] / w[keep, None]


def _clean_start(
    names: IntArray, points: FloatArray, weights: FloatArray, last: _Clusters, k: int
) -> _Clusters:
    """Polis' ``clean-start-clusters``: the last clusters re-centred, identical ones merged, then
    the most distant point made a cluster of its own until there are k (or no distinct point
    is left)."""
    ids, centers = _recenter(names, points, weights, last.ids, last.member_names, last.member_of)
    if not len(ids):
        return _init_clusters(points, k)
    member_names, member_of = last.member_names, last.member_of
    # uniqify: clusters at the same place merge into the one with more members
    _, first, inverse = np.unique(centers, axis=0, return_index=True, return_inverse=True)
    if len(first) < len(ids):
        counts = np.bincount(np.searchsorted(ids, member_of[np.isin(member_of, ids)]), minlength=len(ids))
        target = ids.copy()
        for group in range(len(first)):
            together = np.flatnonzero(inverse.ravel() == group)
            target[together] = ids[together[np.argmax(counts[together])]]
        where = np.isin(member_of, ids)
        member_of = member_of.copy()
        member_of[where] = target[np.searchsorted(ids, member_of[where])]
        ids, centers = _recenter(names, points, weights, np.unique(target), member_names, member_of)
    possible = min(k, len(np.unique(points, axis=0)))
    while len(ids) < possible:
        d = _distances(points, centers).min(1)
        far = int(np.argmax(d))
        if d[far] <= 0:
            break
        name = names[far]
        keep = member_names != name
        member_names = np.append(member_names[keep], name)
        new_id = int(ids.max()) + 1
        member_of = np.append(member_of[keep], new_id)
        ids, centers = _recenter(names, points, weights, np.append(ids, new_id), member_names, member_of)
    return _Clusters(ids, centers, member_names, member_of)


def _same(a: FloatArray, b: FloatArray) -> bool:
    """Polis' ``same-clustering?``: the sorted centres each moved less than 0.01."""
    a = a[np.lexsort(a.T[::-1])]
    b = b[np.lexsort(b.T[::-1])]
    n = min(len(a), len(b))
    return bool((np.sqrt(((a[:n] - b[:n]) ** 2).sum(1)) < BASE_TOLERANCE).all())


def _kmeans(
    names: IntArray, points: FloatArray, k: int, last: _Clusters | None, max_iters: int, weights: FloatArray
) -> _Clusters:
    """Polis' ``kmeans``: from the last clustering (or ``init-clusters``), Lloyd steps that drop
    empty clusters, until the centres stop moving or ``max_iters`` steps more."""
    start = _clean_start(names, points, weights, last, k) if last is not None else _init_clusters(points, k)
    ids, centers = start.ids, start.centers
    iters = max_iters
    while True:
        nearest = _distances(points, centers).argmin(1)
        w = np.bincount(nearest, weights=weights, minlength=len(ids))
        sums = np.stack(
            [np.bincount(nearest, weights=weights * points[:, j], minlength=len(ids)) for j in (0, 1)], 1
        )
        used = w > 0
        new_ids, new_centers = ids[used], sums[used] / w[used, None]
        labels = np.searchsorted(new_ids, ids[nearest])
        if iters == 0 or _same(centers, new_centers):
            return _Clusters(new_ids, new_centers, names.copy(), new_ids[labels])
        ids, centers = new_ids, new_centers
        iters -= 1


def _ranks(ids: tuple[str, ...]) -> IntArray:
    """Each id's place in natural order ("2" before "10"), as Polis' integer ids sort."""
    order = sorted(range(len(ids)), key=lambda i: natural_key(ids[i]))
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[order] = np.arange(len(ids))
    return ranks


def _batches(stamps: FloatArray, window_ms: float) -> list[int]:
    """End index of each update's batch: an update takes every vote cast within ``window_ms`` of
    the first vote it has not seen (ten minutes by default: the replay's grain, one setting for
    every conversation)."""
    ends = []
    i, n = 0, len(stamps)
    while i < n:
        j = (
            n
            if window_ms == float("inf")
            else int(np.searchsorted(stamps, stamps[i] + window_ms, side="right"))
        )
        ends.append(max(j, i + 1))
        i = ends[-1]
    return ends


def replay(
    votes: Votes,
    *,
    settings: Settings = DEFAULT_SETTINGS,
    window_ms: float = 600_000.0,
    era: Era | None = None,
    one_batch: bool = False,
    reload_at_end: bool = True,
    reload_era: Era | None = None,
) -> tuple[dict[str, int], frozenset[str], ReplayState]:
    """Polis' groups for ``votes`` (which need timestamps): participant id → group, the ids Polis
    mapped, and the final state.

    ``reload_at_end``: end as Polis' export does (darwin/export.clj ``get-export-data`` with
    ``update-math``): the conversation loaded from what Polis stores (components, base clusters,
    in-conv, not the groups for every k nor the smoothing of k: conv_man.clj
    ``restructure-json-conv``) and updated once more, so the groups restart from
    ``init-clusters`` over the base clusters. ``one_batch``: all votes in one update from nothing,
    as the export's ``--at-time`` recompute does."""
    if votes.timestamp is None:
        raise ValueError("replay needs the votes' timestamps")
    era = era or polis_era(votes.timestamp)
    person_rank = _ranks(votes.participant_ids)[votes.participant]
    statement_rank = _ranks(votes.statement_ids)[votes.statement]
    if one_batch:
        # Polis' export recompute: all votes in one update, read ordered by (tid, pid, created)
        order = np.lexsort((votes.timestamp, person_rank, statement_rank))
        window_ms = float("inf")
    else:
        order = np.lexsort((person_rank, statement_rank, votes.timestamp))
    people, statements = votes.participant[order], votes.statement[order]
    values, stamps = votes.vote[order].astype(float), votes.timestamp[order]
    # rows in arrival order, columns in order of first vote
    _, first_p = np.unique(people, return_index=True)
    row_of = np.empty(len(votes.participant_ids), dtype=np.int64)
    arrivals = people[np.sort(first_p)]
    row_of[arrivals] = np.arange(len(arrivals))
    _, first_s = np.unique(statements, return_index=True)
    col_of = np.empty(len(votes.statement_ids), dtype=np.int64)
    columns = statements[np.sort(first_s)]
    col_of[columns] = np.arange(len(columns))
    col_ids = [votes.statement_ids[s] for s in columns]
    moderated = np.array([sid in votes.moderated_out for sid in col_ids], dtype=bool)
    rows, cols = row_of[people], col_of[statements]
    grid = np.full((len(arrivals), len(columns)), np.nan)
    state = ReplayState()
    done = n = m = 0
    for end in _batches(stamps, window_ms):
        grid[rows[done:end], cols[done:end]] = values[done:end]
        n = int(rows[:end].max()) + 1
        m = int(cols[:end].max()) + 1
        done = end
        _update(grid[:n, :m], col_ids[:m], moderated[:m], state, settings, era)
    if reload_at_end and n:
        state.groups = {}
        state.smoother = KSmoother()
        _update(grid[:n, :m], col_ids[:m], moderated[:m], state, settings, reload_era or era)
    group_of: dict[str, int] = {}
    k = state.smoother.smoothed_k
    if state.base is not None and k is not None and k in state.groups:
        groups = state.groups[k]
        base_group = dict(
            zip(
                groups.member_names.tolist(),
                np.searchsorted(groups.ids, groups.member_of).tolist(),
                strict=True,
            )
        )
        for r, b in zip(state.base.member_names.tolist(), state.base.member_of.tolist(), strict=True):
            group_of[votes.participant_ids[arrivals[r]]] = base_group.get(b, 0)
    mapped = frozenset(votes.participant_ids[arrivals[r]] for r in state.in_conv)
    return group_of, mapped, state


def _update(
    raw: FloatArray,
    col_ids: list[str],
    moderated: np.ndarray,
    state: ReplayState,
    settings: Settings,
    era: Era,
) -> None:
    """One of Polis' updates (``small-conv-update-graph``) on the votes so far."""
    n, m = raw.shape
    voted = ~np.isnan(raw)
    # zero-out-columns: everyone "voted" 0 on a moderated-out statement, so those columns are 0
    # once centred, and count as answered
    seen_counts = (voted & ~moderated[None, :]).sum(1) + int(moderated.sum())
    counts = seen_counts if era.count_moderated else voted.sum(1)
    rows, cols = np.nonzero(voted & ~moderated[None, :])
    values = raw[rows, cols]
    per_column = np.bincount(cols, minlength=m).astype(float)
    sums = np.bincount(cols, weights=values, minlength=m)
    if era.zero_fill:  # missing votes are 0: centred cells are dense, −mean where no vote
        center = sums / n
        f = sp.csr_matrix((values, (rows, cols)), shape=(n, m))
        gram = np.asarray((f.T @ f).todense()) - n * np.outer(center, center)
        seen_cells = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, m))
        first_row = np.zeros(m)
        first_row[cols[rows == 0]] = values[rows == 0]
    else:  # missing votes are the statement's mean: 0 once centred
        center = sums / np.maximum(per_column, 1)
        f = sp.csr_matrix((values - center[cols], (rows, cols)), shape=(n, m))
        gram = np.asarray((f.T @ f).todense())
        first_row = np.where(voted[0] & ~moderated, np.nan_to_num(raw[0]), center)
    comps = np.zeros((2, m))
    if n == 1:  # wrapped-pca: one participant's row is the component
        norm = np.linalg.norm(first_row)
        if norm:
            comps[0] = first_row / norm
    else:
        for i in range(min(2, n, m)):
            start = np.array([state.comps.get(c, (1.0, 1.0))[i] for c in col_ids])
            if not start.any():
                start = np.ones(m)
            pc = _power_iteration(gram, start, era.pca_iters)
            comps[i] = pc
            norm2 = float(pc @ pc)
            if norm2:  # factor-matrix: the data with the component taken out
                gp = gram @ pc
                gram = (
                    gram
                    - np.outer(gp, pc) / norm2
                    - np.outer(pc, gp) / norm2
                    + (pc @ gp) * np.outer(pc, pc) / norm2**2
                )
    state.comps = {c: (float(comps[0, j]), float(comps[1, j])) for j, c in enumerate(col_ids)}
    # sparsity-aware-project-ptpts: centred votes on the statements answered, scaled out
    proj = np.asarray(f @ comps.T)
    if era.zero_fill:
        proj -= np.asarray(seen_cells @ (center[:, None] * comps.T))
    proj *= np.sqrt(m / np.maximum(seen_counts, 1))[:, None]
    need = min(settings.min_votes, m)
    state.in_conv |= set(np.flatnonzero(counts >= need).tolist())
    if len(state.in_conv) < settings.greedy_n:
        others = [
            int(i)
            for i in np.argsort(-counts, kind="stable")
            if int(i) not in state.in_conv and counts[i] > 0
        ]
        state.in_conv |= set(others[: settings.greedy_n - len(state.in_conv)])
    names = np.array(sorted(state.in_conv), dtype=np.int64)
    points = proj[names]
    state.base = _kmeans(names, points, settings.base_k, state.base, era.base_iters, np.ones(len(names)))
    base_names, base_points, weights = state.base.ids, state.base.centers, state.base.sizes()
    max_k = min(settings.max_k, 2 + len(base_names) // 12)
    dist = _distances(base_points, base_points)
    silhouettes: dict[int, float] = {}
    groups: dict[int, _Clusters] = {}
    for k in range(2, max_k + 1):
        found = _kmeans(base_names, base_points, k, state.groups.get(k), 20, weights)
        groups[k] = found
        labels = np.searchsorted(found.ids, found.member_of)
        silhouettes[k] = silhouette(dist, labels)
    state.groups = groups
    state.updates += 1
    if not silhouettes:
        return
    best = max(silhouettes.values())
    this_k = max(k for k, s in silhouettes.items() if s == best)
    state.smoother = smooth_k(state.smoother, this_k, settings.group_k_buffer)
