"""The participant × statement vote matrix, kept sparse.

Polis (conversation.clj) fills a missing vote with the statement's mean before the PCA; once the
columns are centred, a filled-in vote is exactly 0, so the centred matrix has entries only where
someone voted. That is what makes 50,000 × 1,000 cheap: the work follows the votes, not the cells.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from dualpower.core.opinions.model import FloatArray, IntArray, Votes


@dataclass(frozen=True, eq=False)
class RatingMatrix:
    """Last votes only, on the statements that have at least one vote, ordered by participant
    then statement.

    ``columns`` are indexes into ``Votes.statement_ids``; ``row``/``col``/``value`` are the
    observed cells (col indexes ``columns``). Moderated-out columns are zeroed as Polis'
    ``zero-out-columns`` does: every participant then counts as having "voted" 0 on them."""

    n_participants: int
    columns: IntArray
    row: IntArray
    col: IntArray
    value: IntArray
    moderated: npt.NDArray[np.bool_]  # per column
    raw_counts: IntArray  # per participant: votes cast, moderated statements included
    center: FloatArray  # per column: mean of the votes (0 for moderated columns)

    @property
    def n_columns(self) -> int:
        return len(self.columns)

    def seen_counts(self) -> IntArray:
        """Per participant, the cells Polis treats as answered when projecting: their votes on
        statements still in, plus every zeroed (moderated-out) column."""
        n_moderated = int(self.moderated.sum())
        if not n_moderated:
            return self.raw_counts
        kept = ~self.moderated[self.col]
        return np.bincount(self.row[kept], minlength=self.n_participants) + n_moderated

    def centred(self) -> sp.csr_matrix:
        """The mean-imputed, centred matrix: vote − statement mean where voted, 0 elsewhere
        (and 0 in moderated-out columns)."""
        data = self.value - self.center[self.col]
        data[self.moderated[self.col]] = 0.0
        indptr = np.concatenate(([0], np.cumsum(self.raw_counts)))
        return sp.csr_matrix((data, self.col, indptr), shape=(self.n_participants, self.n_columns))


def rating_matrix(votes: Votes) -> RatingMatrix:
    n_people, n_statements = len(votes.participant_ids), len(votes.statement_ids)
    n = len(votes.vote)
    width = max(n_statements, 1)
    # One sort of key·n + position (all distinct) orders the votes by participant and statement
    # with each pair's votes together, latest last: the last vote of a pair is the one that counts.
    ordered = np.sort((votes.participant * width + votes.statement) * max(n, 1) + np.arange(n))
    pair, position = np.divmod(ordered, max(n, 1))
    last = np.ones(n, dtype=bool)
    last[:-1] = pair[1:] != pair[:-1]
    if not last.all():
        pair, position = pair[last], position[last]
    person, statement = np.divmod(pair, width)
    value = votes.vote[position]
    used = np.bincount(statement, minlength=n_statements) > 0
    columns = np.flatnonzero(used)
    col = (np.cumsum(used) - 1)[statement]
    out = np.zeros(n_statements, dtype=bool)
    for i, sid in enumerate(votes.statement_ids):
        if sid in votes.moderated_out:
            out[i] = True
    moderated = out[columns]
    n_cols = len(columns)
    sums = np.bincount(col, weights=value, minlength=n_cols)
    counts = np.bincount(col, minlength=n_cols)
    center = np.where(moderated, 0.0, sums / np.maximum(counts, 1))
    return RatingMatrix(
        n_participants=n_people,
        columns=columns.astype(np.int64, copy=False),
        row=person,
        col=col.astype(np.int64, copy=False),
        value=value.astype(np.int64, copy=False),
        moderated=moderated,
        raw_counts=np.bincount(person, minlength=n_people).astype(np.int64, copy=False),
        center=center.astype(np.float64, copy=False),
    )
