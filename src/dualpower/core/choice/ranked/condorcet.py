"""The Schulze method (Markus Schulze, "A new monotonic, clone-independent, reversal symmetric, and
Condorcet-consistent single-winner election method", Social Choice and Welfare 36 (2011) 267–303).

Every pair of candidates is compared: d[a][b] is the number of voters who rank a above b (a
candidate a ballot ranks is above every candidate it leaves out; those left out are equal). A path
from a to b is a chain of candidates each beating the next; its strength is its weakest link, and
a link a→b counts only when a beats b (d[a][b] > d[b][a]), with strength d[a][b] ("winning votes",
section 2.1 of the paper). p[a][b] is the strength of the strongest path. a ranks above b when
p[a][b] > p[b][a]; this relation is transitive (section 4.1), so it orders the candidates. The
winner beats or ties everyone by strongest paths; with ``seats`` > 1 the top of that order is
elected (a ranking, not a proportional count: use STV for that).

Ties in the order are broken by a recorded order of candidates, or by a lot drawn from a recorded
seed, as in the other ranked counts; the order used is kept in the settings.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from dualpower.core.choice.ranked._common import lot_order
from dualpower.core.choice.ranked.election import RankedElection
from dualpower.core.choice.ranked.outcome import RankedOutcome, Round

Table = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class SchulzeOutcome(RankedOutcome):
    """A ``RankedOutcome`` with the full pairwise table and strongest paths.

    ``candidates`` are the standing candidates' ids in table order; ``pairwise[i][j]`` is d[i][j]
    and ``strongest_paths[i][j]`` is p[i][j] for those candidates (0 on the diagonal);
    ``ranking`` orders every standing candidate, winner first.
    """

    candidates: tuple[str, ...] = ()
    pairwise: Table = ()
    strongest_paths: Table = ()
    ranking: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        out = super().to_json()
        out["ranking"] = list(self.ranking)
        out["pairwise"] = _table_json(self.candidates, self.pairwise)
        out["strongest_paths"] = _table_json(self.candidates, self.strongest_paths)
        return out

    def report(self, places: int | None = None) -> str:
        """The pairwise table, the strongest paths and the resulting order, as text."""
        lines = [f"{self.rule}: {self.title}" if self.title else self.rule, f"Seats: {self.seats}"]
        lines.append(
            f"Ties broken by: {self.settings['tie_break']} ({', '.join(self.settings['tie_order'])})"
        )
        lines += ["", "Voters preferring row to column, d[row][column]:"]
        lines += _table_text(self.candidates, self.pairwise)
        lines += ["", "Strongest paths, p[row][column]:"]
        lines += _table_text(self.candidates, self.strongest_paths)
        lines += ["", "Order:"]
        lines += [f"  {k}. {cid}" for k, cid in enumerate(self.ranking, start=1)]
        notes = [f"  {r.note}" for r in self.rounds if "tie" in r.note]
        if notes:
            lines += ["", "Ties:", *notes]
        lines += ["", "Elected: " + ", ".join(self.elected)]
        return "\n".join(lines) + "\n"


def schulze(
    election: RankedElection,
    *,
    seats: int = 1,
    tie_break_order: Sequence[str] | None = None,
    lot_seed: int | None = None,
) -> SchulzeOutcome:
    """Count ``election`` by the Schulze method and elect the top ``seats`` of its order.

    Ties are broken by ``tie_break_order`` (candidate ids, first preferred) when given, else by
    a lot: drawn from ``lot_seed`` when given, else the order recorded in the ballot file or
    the file's candidate order (see ``_common.lot_order``).
    """
    standing = [c for c in range(len(election.candidates)) if c not in election.withdrawn]
    if not standing:
        raise ValueError("No candidate is standing: every candidate has withdrawn.")
    if not 1 <= seats <= len(standing):
        raise ValueError(f"Schulze can fill 1 to {len(standing)} seats here, not {seats}.")
    ids = election.candidate_ids
    order, settings = _tie_order(election, tie_break_order, lot_seed)
    place = {c: k for k, c in enumerate(order)}

    d = pairwise_counts(election.rankings, election.weights, len(election.candidates))
    d = d[np.ix_(standing, standing)]
    # With two or more standing candidates, any ballot ranking one of them sets some d[a][b].
    if not d.any() and (len(standing) > 1 or not any(election.weights)):
        raise ValueError("There are no valid ballots to count.")
    p = strongest_paths(d)
    n = len(standing)
    remaining = list(range(n))
    ranking: list[int] = []
    rounds: list[Round] = []
    while remaining:
        wins = {a: sum(p[a][b] > p[b][a] for b in remaining if b != a) for a in remaining}
        unbeaten = [a for a in remaining if all(p[a][b] >= p[b][a] for b in remaining if b != a)]
        pick = min(unbeaten, key=lambda a: place[standing[a]])
        chosen = ids[standing[pick]]
        if len(remaining) == 1:
            note = f"{chosen} is the last candidate left"
        elif len(unbeaten) > 1:
            tied = ", ".join(ids[standing[a]] for a in unbeaten)
            note = f"{chosen} placed first of the tie between {tied}, by the tie-break order"
        else:
            note = f"{chosen} beats every remaining candidate by strongest paths"
        elected = (chosen,) if len(ranking) < seats else ()
        tallies = {ids[standing[a]]: wins[a] for a in remaining}
        rounds.append(Round(len(ranking) + 1, tallies, elected=elected, note=note))
        ranking.append(pick)
        remaining.remove(pick)
    order_ids = tuple(ids[standing[a]] for a in ranking)
    return SchulzeOutcome(
        rule="schulze",
        seats=seats,
        elected=order_ids[:seats],
        rounds=tuple(rounds),
        settings={"method": "schulze", "strength": "winning votes", "seats": seats, **settings},
        defeated=order_ids[seats:],
        title=election.title,
        candidates=tuple(ids[c] for c in standing),
        pairwise=tuple(tuple(int(x) for x in row) for row in d),
        strongest_paths=tuple(tuple(row) for row in p),
        ranking=order_ids,
    )


def pairwise_counts(
    rankings: Sequence[Sequence[int]],
    weights: Sequence[int],
    num: int,
) -> npt.NDArray[np.int64]:
    """d[a][b]: the weight of ballots ranking a above b; unranked candidates rank below all ranked.

    Works on flat arrays (ballot, candidate, place), so a million ballots need no Python loop per ballot.
    """
    d = np.zeros((num, num), dtype=np.int64)
    w = np.asarray(weights, dtype=np.int64)
    if len(w) != len(rankings):
        raise ValueError("Every ballot needs a weight.")
    if (w < 0).any():
        raise ValueError(f"A ballot weight must not be negative (found {int(w.min())}).")
    if not len(rankings):
        return d
    lengths = np.fromiter((len(r) for r in rankings), dtype=np.int64, count=len(rankings))
    flat = np.fromiter(itertools.chain.from_iterable(rankings), dtype=np.int64, count=int(lengths.sum()))
    rows = np.repeat(np.arange(len(rankings)), lengths)
    places = np.arange(len(flat)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    bad = (flat < 0) | (flat >= num)
    if bad.any():
        raise ValueError(
            f"A ballot names a candidate who does not exist: {rankings[int(rows[bad.argmax()])]}."
        )
    # pos[c, k] is c's place on ballot k; every unranked candidate shares the place num, after
    # all ranked ones. One row per candidate keeps each comparison below on contiguous memory.
    pos = np.full((num, len(rankings)), num, dtype=np.int16 if num < 2**15 else np.int64)
    pos[flat, rows] = places
    # A candidate ranked twice on a ballot is written once, so that ballot has fewer places set.
    short = (pos < num).sum(axis=0) != lengths
    if short.any():
        raise ValueError(f"A ballot ranks a candidate twice: {tuple(rankings[int(short.argmax())])}.")
    # A withdrawn candidate's places may stay: comparing the others does not look at them, and
    # their rows and columns are left out of the table the count uses.
    for a in range(num):
        for b in range(num):
            if a != b:
                d[a, b] = np.dot(w, pos[a] < pos[b])
    return d


def strongest_paths(d: npt.NDArray[np.int64]) -> list[list[int]]:
    """p[a][b] by the Floyd–Warshall variant of Schulze (2011), section 2.3, with winning votes."""
    n = len(d)
    p = [[int(d[a][b]) if a != b and d[a][b] > d[b][a] else 0 for b in range(n)] for a in range(n)]
    for k in range(n):
        for a in range(n):
            if a == k or p[a][k] == 0:
                continue
            for b in range(n):
                if b != a and b != k:
                    via = min(p[a][k], p[k][b])
                    if via > p[a][b]:
                        p[a][b] = via
    return p


def _tie_order(
    election: RankedElection, tie_break_order: Sequence[str] | None, lot_seed: int | None
) -> tuple[list[int], dict[str, Any]]:
    if tie_break_order is None:
        order, lot = lot_order(election, lot_seed)
        return order, {
            "tie_break": f"lot ({lot['lot']})",
            "lot_seed": lot_seed,
            "tie_order": lot["lot_order"],
        }
    index = {cid: c for c, cid in enumerate(election.candidate_ids)}
    unknown = [cid for cid in tie_break_order if cid not in index]
    if unknown:
        raise ValueError(f"The tie-break order names {', '.join(unknown)}, who is not a candidate.")
    order = [index[cid] for cid in tie_break_order]
    missing = [
        cid for c, cid in enumerate(election.candidate_ids) if c not in order and c not in election.withdrawn
    ]
    if missing:
        raise ValueError(f"The tie-break order does not list {', '.join(missing)}.")
    return order, {"tie_break": "recorded order", "tie_order": list(tie_break_order)}


def _table_json(ids: Sequence[str], table: Table) -> dict[str, dict[str, int]]:
    return {a: {b: table[i][j] for j, b in enumerate(ids) if j != i} for i, a in enumerate(ids)}


def _table_text(ids: Sequence[str], table: Table) -> list[str]:
    # Columns are numbered so that long candidate names do not make the table unreadable.
    labels = [f"{k}. {cid}" for k, cid in enumerate(ids, start=1)]
    width = max(len(label) for label in labels)
    cell = max(len(str(len(ids))), max((len(str(x)) for row in table for x in row), default=1))
    head = " " * width + "  " + " ".join(f"{k:>{cell}}" for k in range(1, len(ids) + 1))
    rows = [
        f"{label:<{width}}  " + " ".join(f"{'-' if i == j else table[i][j]:>{cell}}" for j in range(len(ids)))
        for i, label in enumerate(labels)
    ]
    return [head, *rows]
