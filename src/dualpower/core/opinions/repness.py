"""What sets each group apart, and what every group shares: Polis' math/repness.clj and the
``group-aware-consensus`` of conversation.clj, with the same statistics and selection rules.

n = count, p = probability (with a +1/+2 prior), r = ratio to the other groups, t = test (z).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dualpower.core.opinions.model import (
    ConsensusStatement,
    FloatArray,
    GroupVotes,
    IntArray,
    RepStatement,
)

Z90 = 1.2816  # one-sided 90 %: Polis' z-sig-90?
TOP = 5


def prop_test(succ: FloatArray, n: FloatArray) -> FloatArray:
    """Polis' ``prop-test``: z of a proportion against 1/2, with a +1 prior on both counts."""
    succ, n = succ + 1.0, n + 1.0
    return 2.0 * np.sqrt(n) * (succ / n - 0.5)


def two_prop_test(
    succ_in: FloatArray, succ_out: FloatArray, pop_in: FloatArray, pop_out: FloatArray
) -> FloatArray:
    """Polis' ``two-prop-test``: z of the group's proportion against the other groups'."""
    succ_in, succ_out, pop_in, pop_out = succ_in + 1, succ_out + 1, pop_in + 1, pop_out + 1
    pi1, pi2 = succ_in / pop_in, succ_out / pop_out
    hat = (succ_in + succ_out) / (pop_in + pop_out)
    denom = np.sqrt(hat * (1 - hat) * (1 / pop_in + 1 / pop_out))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (pi1 - pi2) / denom
    return np.where(hat == 1, 0.0, z)


@dataclass(frozen=True, eq=False)
class Counts:
    """(groups, columns) counts of agree, disagree and seen (any vote, passes included)."""

    agree: FloatArray
    disagree: FloatArray
    seen: FloatArray


def group_counts(
    row: IntArray, col: IntArray, value: IntArray, group: IntArray, n_groups: int, n_cols: int
) -> Counts:
    g = group[row]
    inside = g >= 0
    # one pass: (group, statement, vote) → count, vote −1/0/1 as 0/1/2
    code = (g[inside] * n_cols + col[inside]) * 3 + (value[inside] + 1)
    table: FloatArray = (
        np.bincount(code, minlength=n_groups * n_cols * 3).reshape(n_groups, n_cols, 3).astype(float)
    )
    return Counts(agree=table[:, :, 2], disagree=table[:, :, 0], seen=table.sum(2))


@dataclass(frozen=True, eq=False)
class Stats:
    na: FloatArray
    nd: FloatArray
    ns: FloatArray
    pa: FloatArray
    pd: FloatArray
    pat: FloatArray
    pdt: FloatArray
    ra: FloatArray
    rd: FloatArray
    rat: FloatArray
    rdt: FloatArray


def stats(counts: Counts) -> Stats:
    na, nd, ns = counts.agree, counts.disagree, counts.seen
    rest_a, rest_d, rest_s = na.sum(0) - na, nd.sum(0) - nd, ns.sum(0) - ns
    pa, pd = (1 + na) / (2 + ns), (1 + nd) / (2 + ns)
    return Stats(
        na=na,
        nd=nd,
        ns=ns,
        pa=pa,
        pd=pd,
        pat=prop_test(na, ns),
        pdt=prop_test(nd, ns),
        ra=pa / ((1 + rest_a) / (2 + rest_s)),
        rd=pd / ((1 + rest_d) / (2 + rest_s)),
        rat=two_prop_test(na, rest_a, ns, rest_s),
        rdt=two_prop_test(nd, rest_d, ns, rest_s),
    )


def _finalize(s: Stats, g: int, c: int, statement_id: str, best_agree: bool = False) -> RepStatement:
    if s.rat[g, c] > s.rdt[g, c]:
        fields = (s.na, s.pa, s.pat, s.ra, s.rat, "agree")
    else:
        fields = (s.nd, s.pd, s.pdt, s.rd, s.rdt, "disagree")
    n, p, pt, r, rt, side = fields
    return RepStatement(
        statement_id=statement_id,
        repful_for=side,
        n_success=int(n[g, c]),
        n_trials=int(s.ns[g, c]),
        p_success=float(p[g, c]),
        p_test=float(pt[g, c]),
        repness=float(r[g, c]),
        repness_test=float(rt[g, c]),
        best_agree=best_agree,
    )


def _metric(r: RepStatement) -> float:
    return r.repness * r.repness_test * r.p_success * r.p_test


def select_representative(
    s: Stats, statement_ids: list[str], order: list[int], excluded: set[int]
) -> tuple[tuple[RepStatement, ...], ...]:
    """Polis' ``select-rep-comments``: up to five statements per group that pass both z-tests
    (agree or disagree), the best agreed-with one first; when none passes, the single best."""
    n_groups = s.na.shape[0]
    result = []
    for g in range(n_groups):
        sufficient: list[RepStatement] = []
        best: RepStatement | None = None
        best_agree: int | None = None
        for c in order:
            if c in excluded:
                continue
            passes = (s.rat[g, c] > Z90 and s.pat[g, c] > Z90) or (s.rdt[g, c] > Z90 and s.pdt[g, c] > Z90)
            if passes:
                sufficient.append(_finalize(s, g, c, statement_ids[c]))
            if not sufficient and (best is None or max(s.rat[g, c], s.rdt[g, c]) > best.repness_test):
                best = _finalize(s, g, c, statement_ids[c])
            if _beats_best_agree(s, g, c, best_agree):
                best_agree = c
        head = (
            [_finalize(s, g, best_agree, statement_ids[best_agree], True)] if best_agree is not None else []
        )
        if not sufficient:
            chosen = head or ([best] if best else [])
        else:
            rest = [r for r in sufficient if not head or r.statement_id != head[0].statement_id]
            rest.sort(key=lambda r: -_metric(r))
            top = (head + rest)[:TOP]
            chosen = [r for r in top if r.repful_for == "agree"] + [
                r for r in top if r.repful_for == "disagree"
            ]
        result.append(tuple(chosen))
    return tuple(result)


def _beats_best_agree(s: Stats, g: int, c: int, current: int | None) -> bool:
    """Polis' ``beats-best-agr?``."""
    if s.na[g, c] == 0 and s.nd[g, c] == 0:
        return False
    this = s.ra[g, c] * s.rat[g, c] * s.pa[g, c] * s.pat[g, c]
    if current is not None and s.ra[g, current] > 1.0:
        best = s.ra[g, current] * s.rat[g, current] * s.pa[g, current] * s.pat[g, current]
        return bool(this > best)
    if current is not None:
        return bool(s.pa[g, c] * s.pat[g, c] > s.pa[g, current] * s.pat[g, current])
    return bool(s.pat[g, c] > Z90 or (s.ra[g, c] > 1.0 and s.pa[g, c] > 0.5))


def group_votes(counts: Counts, statement_ids: list[str]) -> dict[str, tuple[GroupVotes, ...]]:
    return {
        sid: tuple(
            GroupVotes(
                agree=int(counts.agree[g, c]),
                disagree=int(counts.disagree[g, c]),
                seen=int(counts.seen[g, c]),
            )
            for g in range(counts.agree.shape[0])
        )
        for c, sid in enumerate(statement_ids)
    }


def consensus(
    counts: Counts, statement_ids: list[str], order: list[int], excluded: set[int]
) -> tuple[dict[str, float], tuple[ConsensusStatement, ...]]:
    """Group-aware consensus: the product over groups of (agree + 1) / (seen + 2) (Polis'
    ``group-aware-consensus``), for every statement; and the consensus statements: those that a
    significant majority of every group agrees with (or disagrees with): in each group p > 1/2 and
    the proportion test beyond Polis' 90 % threshold. The five strongest each way."""
    p_agree = (counts.agree + 1) / (counts.seen + 2)
    p_disagree = (counts.disagree + 1) / (counts.seen + 2)
    agree_score = p_agree.prod(0)
    disagree_score = p_disagree.prod(0)
    every_agree: npt.NDArray[np.bool_] = np.all(
        (p_agree > 0.5) & (prop_test(counts.agree, counts.seen) > Z90), axis=0
    )
    every_disagree: npt.NDArray[np.bool_] = np.all(
        (p_disagree > 0.5) & (prop_test(counts.disagree, counts.seen) > Z90), axis=0
    )
    scores = {statement_ids[c]: float(agree_score[c]) for c in order if c not in excluded}
    chosen: list[ConsensusStatement] = []
    for direction, mask, score, per in (
        ("agree", every_agree, agree_score, p_agree),
        ("disagree", every_disagree, disagree_score, p_disagree),
    ):
        picks = [c for c in order if c not in excluded and mask[c]]
        picks.sort(key=lambda c: -score[c])  # stable: canonical order breaks ties
        chosen += [
            ConsensusStatement(
                statement_id=statement_ids[c],
                direction=direction,
                score=float(score[c]),
                per_group=tuple(float(x) for x in per[:, c]),
            )
            for c in picks[:TOP]
        ]
    return scores, tuple(chosen)
