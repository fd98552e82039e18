"""Instant-runoff voting (the alternative vote): one seat, decided by successive exclusion.

Each round every ballot counts for its highest-ranked continuing candidate. A candidate with more
than half of the ballots still in play wins; otherwise the candidate with the fewest votes is
excluded and their ballots move on. A tie for fewest is broken as Scottish STV breaks it (SSI
2007/42 rule 51): by the most recent earlier round in which the tied candidates differed, then by
lot (the recorded order, or one drawn from a recorded seed).

Ballots are counted as numpy arrays (one row per distinct ranking, with its weight), so a count
of a million ballots takes a fraction of a second once identical ballots are aggregated.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import chain
from typing import Any

import numpy as np
import numpy.typing as npt

from dualpower.core.choice.ranked._common import lot_order
from dualpower.core.choice.ranked.election import RankedElection
from dualpower.core.choice.ranked.outcome import RankedOutcome, Round


def ranking_matrix(rankings: Sequence[tuple[int, ...]]) -> npt.NDArray[np.int32]:
    """Rankings as a matrix padded with -1, with at least one -1 closing every row."""
    lengths = np.fromiter(map(len, rankings), dtype=np.int64, count=len(rankings))
    width = int(lengths.max(initial=0)) + 1
    matrix = np.full((len(rankings), width), -1, dtype=np.int32)
    flat = np.fromiter(chain.from_iterable(rankings), dtype=np.int32, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(rankings)), lengths)
    starts = np.cumsum(lengths) - lengths
    cols = np.arange(len(flat)) - np.repeat(starts, lengths)
    matrix[rows, cols] = flat
    return matrix


def _checked_ballots(
    election: RankedElection,
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
    """The ballots as a matrix and weights, checked as ``valid_ballots`` checks them, in numpy."""
    num = len(election.candidates)
    matrix = ranking_matrix(election.rankings)
    weight = np.asarray(election.weights, dtype=np.int64)
    if (weight < 0).any():
        raise ValueError(f"A ballot weight must not be negative (found {int(weight.min())}).")
    if int(weight.sum()) >= 2**53:
        # tallies go through numpy's float64 bincount, exact only below 2**53
        raise ValueError("More than 2**53 ballots cannot be counted exactly here.")
    bad = (matrix < -1) | (matrix >= num)
    if bad.any():
        row = int(np.nonzero(bad.any(axis=1))[0][0])
        raise ValueError(f"A ballot names a candidate who does not exist: {election.rankings[row]}.")
    ordered = np.sort(matrix, axis=1)
    twice = (ordered[:, 1:] == ordered[:, :-1]) & (ordered[:, 1:] >= 0)
    if twice.any():
        row = int(np.nonzero(twice.any(axis=1))[0][0])
        raise ValueError(f"A ballot ranks a candidate twice: {election.rankings[row]}.")
    return matrix, weight


def irv(election: RankedElection, *, lot_seed: int | None = None) -> RankedOutcome:
    """Count ``election`` by instant-runoff for one seat (the election's ``seats`` is ignored)."""
    matrix, weight = _checked_ballots(election)
    lot, lot_settings = lot_order(election, lot_seed)
    num = len(election.candidates)
    continuing = np.ones(num + 1, dtype=bool)  # index num stands for "exhausted" (-1)
    continuing[num] = False
    for c in election.withdrawn:
        continuing[c] = False
    lot_rank = {c: i for i, c in enumerate(lot)}
    ids = election.candidate_ids
    order = [c for c in range(num) if c not in election.withdrawn]

    pointer = np.zeros(len(matrix), dtype=np.int64)
    top = _first_continuing(matrix, pointer, np.arange(len(matrix)), continuing, num)
    # A paper with no standing candidate on it is not a valid vote: it leaves the count.
    valid = (top != num) & (weight > 0)
    if not valid.any():
        raise ValueError("There are no valid ballots to count.")
    matrix, weight, pointer, top = matrix[valid], weight[valid], pointer[valid], top[valid]
    history: list[npt.NDArray[np.int64]] = []
    rounds: list[Round] = []
    excluded_order: list[int] = []
    previous: npt.NDArray[np.int64] | None = None
    winner = -1
    notes: list[str] = ["first preferences counted"]
    excluded_now: list[int] = []
    while True:
        tally = np.bincount(top, weights=weight, minlength=num + 1).astype(np.int64)
        active = int(tally[:num].sum())
        standing = [c for c in order if continuing[c]]
        leader = max(standing, key=lambda c: (tally[c], -lot_rank[c]))
        if 2 * tally[leader] > active or len(standing) == 1:
            winner = leader
        rounds.append(
            Round(
                number=len(rounds),
                tallies={ids[c]: int(tally[c]) for c in standing},
                elected=(ids[winner],) if winner >= 0 else (),
                excluded=tuple(ids[c] for c in excluded_now),
                transfers={}
                if previous is None
                else {ids[c]: int(tally[c] - previous[c]) for c in standing if tally[c] != previous[c]},
                non_transferable=int(tally[num]),
                note="; ".join(notes),
            )
        )
        history.append(tally)
        previous = tally
        if winner >= 0:
            break
        notes = []
        loser = _lowest(standing, history, lot_rank, notes, ids)
        excluded_order.append(loser)
        excluded_now = [loser]
        notes.insert(0, f"{ids[loser]} excluded ({int(tally[loser])} votes), ballots transferred")
        continuing[loser] = False
        moving = np.nonzero(top == loser)[0]
        pointer[moving] += 1
        top[moving] = _first_continuing(matrix, pointer, moving, continuing, num)
    settings: dict[str, Any] = {
        "seats": 1,
        "majority": "more than half of the ballots still in play",
        "tie_break": "most recent round in which the tied candidates differed, then lot",
        **lot_settings,
    }
    losers = [c for c in order if c != winner and c not in excluded_order]
    return RankedOutcome(
        rule="irv",
        seats=1,
        elected=(ids[winner],),
        rounds=tuple(rounds),
        settings=settings,
        defeated=tuple(ids[c] for c in (*excluded_order, *losers)),
        title=election.title,
    )


def _first_continuing(
    matrix: npt.NDArray[np.int32],
    pointer: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
    continuing: npt.NDArray[np.bool_],
    num: int,
) -> npt.NDArray[np.int64]:
    """Move each pointer in ``rows`` on to its first continuing candidate; ``num`` when none is left."""
    top = np.empty(len(rows), dtype=np.int64)
    todo = np.arange(len(rows))
    while todo.size:
        r = rows[todo]
        nxt = matrix[r, pointer[r]].astype(np.int64)
        nxt[nxt < 0] = num
        top[todo] = nxt
        stuck = (nxt != num) & ~continuing[nxt]
        pointer[r[stuck]] += 1
        todo = todo[stuck]
    return top


def _lowest(
    standing: list[int],
    history: list[npt.NDArray[np.int64]],
    lot_rank: dict[int, int],
    notes: list[str],
    ids: tuple[str, ...],
) -> int:
    low = min(int(history[-1][c]) for c in standing)
    tied = [c for c in standing if history[-1][c] == low]
    if len(tied) == 1:
        return tied[0]
    names = ", ".join(ids[c] for c in tied)
    for stage in range(len(history) - 2, -1, -1):
        fewest = min(int(history[stage][c]) for c in tied)
        at_fewest = [c for c in tied if history[stage][c] == fewest]
        if len(at_fewest) == 1:
            notes.append(f"tie [{names}] broken by round {stage}")
            return at_fewest[0]
    notes.append(f"tie [{names}] broken by lot")
    return min(tied, key=lambda c: lot_rank[c])
