"""What goes into the opinion map and what comes out of it: frozen values, numpy arrays inside.

Votes follow Polis' export: agree 1, disagree −1, pass 0 (Polis stores agree as −1 internally and
flips it on export; here agree is 1 throughout). A participant who voted twice on a statement counts
with their last vote.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

AGREE, PASS, DISAGREE = 1, 0, -1

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


def natural_key(text: str) -> tuple[tuple[int, int | str], ...]:
    """Sort "2" before "10": statement ids are usually numbers."""
    return tuple((0, int(p)) if p.isdigit() else (1, p) for p in re.findall(r"\d+|\D+", text))


class OpinionsError(ValueError):
    """Input the engine cannot map: one sentence saying what is wrong."""


@dataclass(frozen=True, eq=False)
class Votes:
    """Every vote of a conversation, oldest first.

    ``participant`` and ``statement`` hold indexes into ``participant_ids`` and ``statement_ids``;
    ``vote`` is 1, 0 or −1. ``moderated_out`` holds statement ids the facilitators took out: they
    count for nothing, as in Polis (their column is zeroed)."""

    participant_ids: tuple[str, ...]
    statement_ids: tuple[str, ...]
    participant: IntArray
    statement: IntArray
    vote: IntArray
    moderated_out: frozenset[str] = frozenset()
    timestamp: FloatArray | None = None  # per vote, when it was cast (Polis: ms since 1970)

    def __post_init__(self) -> None:
        n = len(self.participant)
        if self.timestamp is not None and len(self.timestamp) != n:
            raise OpinionsError("The vote timestamps differ in length from the votes.")
        if len(self.statement) != n or len(self.vote) != n:
            raise OpinionsError("The vote columns (participant, statement, vote) differ in length.")
        if n and (
            int(self.participant.min()) < 0
            or int(self.participant.max()) >= len(self.participant_ids)
            or int(self.statement.min()) < 0
            or int(self.statement.max()) >= len(self.statement_ids)
        ):
            raise OpinionsError("A vote names a participant or statement that is not in the list.")
        if n and not np.isin(self.vote, (AGREE, PASS, DISAGREE)).all():
            raise OpinionsError("A vote is not 1 (agree), 0 (pass) or -1 (disagree).")
        if len(set(self.participant_ids)) != len(self.participant_ids):
            raise OpinionsError("A participant id appears twice in the list of participants.")
        if len(set(self.statement_ids)) != len(self.statement_ids):
            raise OpinionsError("A statement id appears twice in the list of statements.")

    @classmethod
    def from_triples(
        cls,
        triples: list[tuple[str, str, int]] | tuple[tuple[str, str, int], ...],
        *,
        moderated_out: frozenset[str] | set[str] = frozenset(),
        timestamps: list[float] | tuple[float, ...] | None = None,
    ) -> Votes:
        """Votes from (participant id, statement id, vote) in the order they were cast."""
        people: dict[str, int] = {}
        statements: dict[str, int] = {}
        rows, cols, values = [], [], []
        for person, statement, value in triples:
            rows.append(people.setdefault(str(person), len(people)))
            cols.append(statements.setdefault(str(statement), len(statements)))
            values.append(int(value))
        return cls(
            participant_ids=tuple(people),
            statement_ids=tuple(statements),
            participant=np.asarray(rows, dtype=np.int64),
            statement=np.asarray(cols, dtype=np.int64),
            vote=np.asarray(values, dtype=np.int64),
            moderated_out=frozenset(str(s) for s in moderated_out),
            timestamp=None if timestamps is None else np.asarray(timestamps, dtype=np.float64),
        )


@dataclass(frozen=True)
class Settings:
    """Polis' defaults (math/src/polismath/math/conversation.clj, ``base-conv-update-graph``)."""

    base_k: int = 100
    max_k: int = 5
    base_iters: int = 100
    group_iters: int = 20  # Polis passes :cluster-iters, which kmeans ignores: its default is 20
    group_k_buffer: int = 4
    min_votes: int = 7  # a participant is mapped once they voted on min(7, statements) statements
    greedy_n: int = 15  # ... or while fewer than 15 are mapped, the most active ones


@dataclass(frozen=True)
class KSmoother:
    """Polis' smoothing of the number of groups between updates: a new k is taken only after the
    silhouette preferred it ``group_k_buffer`` updates in a row."""

    last_k: int | None = None
    last_k_count: int = 0
    smoothed_k: int | None = None


@dataclass(frozen=True)
class RepStatement:
    """A statement that sets a group apart (Polis' ``finalize-cmt-stats``)."""

    statement_id: str
    repful_for: str  # "agree" or "disagree"
    n_success: int
    n_trials: int
    p_success: float
    p_test: float
    repness: float
    repness_test: float
    best_agree: bool = False


@dataclass(frozen=True)
class GroupVotes:
    """How one group voted on one statement."""

    agree: int
    disagree: int
    seen: int


@dataclass(frozen=True)
class ConsensusStatement:
    """A statement most of every group agrees (or disagrees) with."""

    statement_id: str
    direction: str  # "agree" or "disagree"
    score: float  # product over groups of (n + 1) / (seen + 2): Polis' group-aware consensus
    per_group: tuple[float, ...]


@dataclass(frozen=True, eq=False)
class OpinionMap:
    """The map: where everyone stands, the groups, what sets each group apart, what all share.

    ``group_of`` maps each mapped participant id to a group number (0 is the largest group);
    participants with too few votes are on the map (``position``) but in no group. ``state`` carries
    what the next update starts from (warm start, k smoothing)."""

    participant_ids: tuple[str, ...]
    statement_ids: tuple[str, ...]
    position: FloatArray  # (participants, 2), Polis' sparsity-aware projection
    in_conversation: npt.NDArray[np.bool_]
    group: IntArray  # (participants,), −1 for participants left out of clustering
    groups: tuple[tuple[str, ...], ...]  # participant ids per group
    base_centers: FloatArray
    base_members: IntArray  # (participants,), base cluster of each, −1 when left out
    repness: tuple[tuple[RepStatement, ...], ...]  # per group
    group_votes: dict[str, tuple[GroupVotes, ...]]  # statement id → per group
    consensus: tuple[ConsensusStatement, ...]
    group_aware_consensus: dict[str, float]
    components: FloatArray  # (2, statements)
    center: FloatArray  # (statements,)
    statement_position: FloatArray  # (statements, 2)
    silhouettes: dict[int, float]
    k_smoother: KSmoother
    labels_by_k: dict[int, IntArray] = field(default_factory=dict)  # k → group per participant
    settings: Settings = Settings()

    @property
    def group_of(self) -> dict[str, int]:
        return {self.participant_ids[i]: int(g) for i, g in enumerate(self.group) if g >= 0}
