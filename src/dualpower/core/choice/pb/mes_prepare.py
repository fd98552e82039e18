"""Utilities and voter groups for the Method of Equal Shares.

Utilities follow pabutools' ``method_of_equal_shares`` with the satisfaction measures
equalshares.net uses (Peters, Pierczyński, Skowron, "Proportional Participatory Budgeting
with Additive Utilities", NeurIPS 2021; equalshares.net/implementation):
- approval and choose-1: cost utilities, u_i(p) = cost(p) if i supports p (pabutools ``Cost_Sat``);
- cumulative: the points i gave p (pabutools ``Additive_Cardinal_Sat``);
- ordinal: the Borda score within i's own ranking, len(ranking) - position, so a voter's last
  choice has utility 0 (pabutools ``Additive_Borda_Sat``).

Voters with identical utilities have identical budgets throughout an MES count, so the count
runs on groups of identical voters (a group's multiplicity is the sum of its voters' weights).
That turns 131,778 Wrocław ballots into a few hundred groups.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dualpower.core.choice.pb.election import PBElection

UTILITY_NAMES = {
    "approval": "cost (u = cost of the project if approved; pabutools Cost_Sat)",
    "choose-1": "cost (u = cost of the chosen project; pabutools Cost_Sat)",
    "cumulative": "points (u = points given; pabutools Additive_Cardinal_Sat)",
    "ordinal": "borda (u = ballot length - position; pabutools Additive_Borda_Sat)",
}

IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, eq=False)
class Prepared:
    """Groups of identical voters and their utilities, in two CSR layouts.

    Group-major: group g's projects are ``g_project[g_offsets[g]:g_offsets[g + 1]]`` with
    utilities ``g_util``. Project-major: project p's supporter groups are
    ``p_group[p_offsets[p]:p_offsets[p + 1]]`` with utilities ``p_util`` and multiplicities
    ``p_mult``. Only entries with positive utility are kept.
    """

    costs: IntArray
    total_weight: int
    mult: IntArray
    g_offsets: IntArray
    g_project: IntArray
    g_util: IntArray
    p_offsets: IntArray
    p_group: IntArray
    p_util: IntArray
    p_mult: IntArray
    p_mu: IntArray  # sum over supporters of multiplicity x utility
    voter_group: IntArray  # -1 for a voter who supports nothing
    utility: str
    # float64 copies for the float search: utilities, multiplicities, and their products
    p_util_f: npt.NDArray[np.float64]
    p_mult_f: npt.NDArray[np.float64]
    p_mu_f: npt.NDArray[np.float64]

    @property
    def num_projects(self) -> int:
        return len(self.costs)

    @property
    def num_groups(self) -> int:
        return len(self.mult)


def entry_utilities(election: PBElection) -> IntArray:
    """The utility of every ballot entry (see the module docstring)."""
    ballots = election.ballots
    if election.vote_type == "cumulative":
        return ballots.points.astype(np.int64)
    if election.vote_type == "ordinal":
        lengths = np.repeat(np.diff(ballots.offsets), np.diff(ballots.offsets))
        return (lengths - ballots.points).astype(np.int64)
    return election.costs[ballots.project_index].astype(np.int64)


def prepare(election: PBElection) -> Prepared:
    if election.vote_type not in UTILITY_NAMES:
        raise ValueError(f"MES cannot count {election.vote_type!r} ballots.")
    if any(p.cost < 0 for p in election.projects):
        raise ValueError("A project has a negative cost; MES needs costs of at least 0.")
    ballots = election.ballots
    n_projects = len(election.projects)
    n_voters = ballots.num_voters
    if np.any(ballots.weights < 0):
        raise ValueError("A voter weight is negative; MES needs non-negative weights.")
    util = entry_utilities(election)
    if np.any(util < 0):
        raise ValueError("A ballot gives a negative utility; MES needs non-negative points.")
    voter = ballots.voter_of_entry()
    keep = util > 0
    voter, proj, util = voter[keep], ballots.project_index[keep].astype(np.int64), util[keep]
    # Identical voters share a row of this matrix (utility per project, 0 = no support).
    # Approval-type ballots only need membership, packed to bits.
    if election.vote_type in ("approval", "choose-1"):
        dense = np.zeros((n_voters, n_projects), dtype=np.bool_)
        dense[voter, proj] = True
        rows = np.packbits(dense, axis=1)
    else:
        dtype = np.int32 if (util.size == 0 or int(util.max()) < 2**31) else np.int64
        rows = np.zeros((n_voters, n_projects), dtype=dtype)
        np.add.at(rows, (voter, proj), util.astype(dtype))
    first, inverse = _group_rows(np.ascontiguousarray(rows))
    has_support = np.zeros(n_voters, dtype=np.bool_)
    has_support[voter] = True
    # Drop the group of voters who support nothing (they pay for nothing).
    group_ok = has_support[first]
    new_id = np.full(len(first), -1, dtype=np.int64)
    new_id[group_ok] = np.arange(int(group_ok.sum()), dtype=np.int64)
    voter_group = new_id[inverse]
    n_groups = int(group_ok.sum())
    mult = np.bincount(
        voter_group[voter_group >= 0],
        weights=ballots.weights[voter_group >= 0].astype(np.float64),
        minlength=n_groups,
    ).astype(np.int64)
    # Number groups in the order of their representative (first) voter, so that the
    # representatives' entries, read in ballot order, are already grouped (no sort needed).
    reps = first[group_ok]
    by_voter = np.argsort(reps, kind="stable")
    renumber = np.empty(n_groups, dtype=np.int64)
    renumber[by_voter] = np.arange(n_groups, dtype=np.int64)
    if n_groups:
        voter_group = np.where(voter_group >= 0, renumber[np.maximum(voter_group, 0)], -1)
    mult = mult[by_voter]
    reps = reps[by_voter]
    is_rep = np.zeros(n_voters, dtype=np.bool_)
    is_rep[reps] = True
    sel = is_rep[voter]
    e_group = voter_group[voter[sel]]
    e_proj, e_util = proj[sel], util[sel]
    g_offsets = np.zeros(n_groups + 1, dtype=np.int64)
    np.cumsum(np.bincount(e_group, minlength=n_groups), out=g_offsets[1:])
    # Stable sort by project; numpy radix-sorts 16-bit keys.
    key = e_proj.astype(np.int16) if n_projects < 2**15 else e_proj
    porder = np.argsort(key, kind="stable")
    p_offsets = np.zeros(n_projects + 1, dtype=np.int64)
    np.cumsum(np.bincount(e_proj, minlength=n_projects), out=p_offsets[1:])
    p_group = e_group[porder]
    p_util = e_util[porder]
    p_mult = mult[p_group]
    weights = p_util * p_mult
    if int(weights.sum()) < 2**53:  # integer sums below 2**53 are exact in float64
        p_mu = np.rint(np.bincount(e_proj[porder], weights=weights, minlength=n_projects)).astype(np.int64)
    else:
        p_mu = np.zeros(n_projects, dtype=np.int64)
        np.add.at(p_mu, e_proj[porder], weights)
    return Prepared(
        costs=election.costs.astype(np.int64),
        total_weight=int(ballots.weights.sum()),
        mult=mult,
        g_offsets=g_offsets,
        g_project=e_proj,
        g_util=e_util,
        p_offsets=p_offsets,
        p_group=p_group,
        p_util=p_util,
        p_mult=p_mult,
        p_mu=p_mu,
        voter_group=voter_group,
        utility=UTILITY_NAMES[election.vote_type],
        p_util_f=p_util.astype(np.float64),
        p_mult_f=p_mult.astype(np.float64),
        p_mu_f=(p_util * p_mult).astype(np.float64),
    )


def _group_rows(rows: npt.NDArray[np.generic]) -> tuple[IntArray, IntArray]:
    """Group identical rows: (first row of each group, group of each row).

    Rows are hashed twice with random 64-bit multipliers (seeded, so counts are reproducible)
    and grouped by the hash pair; the grouping is then verified row by row, falling back to an
    exact sort of the raw rows if two different rows ever shared a hash.
    """
    n = rows.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    rng = np.random.default_rng(20251121)
    cols = rows.astype(np.uint64)
    with np.errstate(over="ignore"):
        h1 = cols @ rng.integers(1, 2**63, size=rows.shape[1], dtype=np.uint64)
        h2 = cols @ rng.integers(1, 2**63, size=rows.shape[1], dtype=np.uint64)
    order = np.lexsort((h2, h1))
    new = np.ones(n, dtype=np.bool_)
    new[1:] = (h1[order][1:] != h1[order][:-1]) | (h2[order][1:] != h2[order][:-1])
    ids_sorted = np.cumsum(new) - 1
    inverse = np.empty(n, dtype=np.int64)
    inverse[order] = ids_sorted
    first = order[new]
    if not np.array_equal(rows, rows[first[inverse]]):
        void = rows.view(np.dtype((np.void, rows.dtype.itemsize * rows.shape[1]))).ravel()
        _, first, inverse = np.unique(void, return_index=True, return_inverse=True)
        return first.astype(np.int64), inverse.ravel().astype(np.int64)
    return first.astype(np.int64), inverse


def gather(offsets: IntArray, items: IntArray) -> IntArray:
    """Concatenated CSR positions of ``items`` (vectorised ``concat(range(o[i], o[i+1]))``)."""
    starts = offsets[items]
    lengths = offsets[items + 1] - starts
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    shift = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
    return np.arange(total, dtype=np.int64) + shift
