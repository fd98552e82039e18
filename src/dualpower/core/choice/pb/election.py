"""The participatory budgeting election every rule reads: projects, budget and ballots.

Ballots are stored column-wise in numpy arrays (a CSR layout: voter i's entries are
``project_index[offsets[i]:offsets[i + 1]]``) because the largest real instances have
over 100,000 voters and the rules work on whole columns at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

import numpy as np
import numpy.typing as npt

VoteType = Literal["approval", "cumulative", "ordinal", "choose-1"]
VOTE_TYPES: tuple[VoteType, ...] = ("approval", "cumulative", "ordinal", "choose-1")


@dataclass(frozen=True)
class Project:
    """A project voters can fund. ``cost`` is in the smallest currency unit."""

    id: str
    cost: int
    name: str = ""
    # Every other column of the PROJECTS section (votes, selected, category, ...), as text.
    extra: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True, eq=False)
class Ballots:
    """All ballots of one election in CSR form.

    - ``voter_ids[i]`` names voter i.
    - ``offsets`` has ``len(voter_ids) + 1`` entries; voter i's entries are the slice
      ``offsets[i]:offsets[i + 1]`` of ``project_index`` and ``points``.
    - ``project_index`` indexes ``PBElection.projects``; within a voter the entries keep
      the order of the ballot (for ordinal ballots: most preferred first).
    - ``points`` is the number of points for cumulative ballots, 1 for approval and
      choose-1, and for ordinal ballots the position (1 = first choice).
    - ``weights`` is the voter's weight (1 unless the file says otherwise).
    - ``extra`` keeps every other column of the VOTES section per voter, as text.
    """

    voter_ids: tuple[str, ...]
    offsets: npt.NDArray[np.int64]
    project_index: npt.NDArray[np.int32]
    points: npt.NDArray[np.int64]
    weights: npt.NDArray[np.int64]
    extra: tuple[Mapping[str, str], ...] = ()

    @property
    def num_voters(self) -> int:
        return len(self.voter_ids)

    def of(self, voter: int) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """The project indexes and points of voter ``voter`` (by position)."""
        start, end = int(self.offsets[voter]), int(self.offsets[voter + 1])
        return self.project_index[start:end], self.points[start:end]

    def voter_of_entry(self) -> npt.NDArray[np.int64]:
        """For every entry, the index of the voter it belongs to."""
        return np.repeat(np.arange(self.num_voters, dtype=np.int64), np.diff(self.offsets))

    @classmethod
    def from_lists(
        cls,
        voter_ids: Sequence[str],
        entries: Sequence[Sequence[tuple[int, int]]],
        weights: Sequence[int] | None = None,
        extra: Sequence[Mapping[str, str]] = (),
    ) -> Ballots:
        """Build from one list of ``(project_index, points)`` pairs per voter."""
        lengths = np.fromiter((len(e) for e in entries), dtype=np.int64, count=len(entries))
        offsets = np.zeros(len(entries) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        flat = [pair for ballot in entries for pair in ballot]
        project_index = np.fromiter((p for p, _ in flat), dtype=np.int32, count=len(flat))
        points = np.fromiter((s for _, s in flat), dtype=np.int64, count=len(flat))
        w = np.ones(len(entries), dtype=np.int64) if weights is None else np.asarray(weights, dtype=np.int64)
        return cls(tuple(voter_ids), offsets, project_index, points, w, tuple(extra))


@dataclass(frozen=True, eq=False)
class PBElection:
    """One participatory budgeting election, as read from a ``.pb`` file or built in code.

    ``meta`` keeps every META key of the file as text (``min_length``, ``max_sum_cost``,
    ``max_sum_points``, ``scoring_fn``, ...); ``budget`` is parsed from it and, like
    every cost, is in the smallest currency unit.
    """

    projects: tuple[Project, ...]
    budget: int
    vote_type: VoteType
    ballots: Ballots
    meta: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def costs(self) -> npt.NDArray[np.int64]:
        return np.fromiter((p.cost for p in self.projects), dtype=np.int64, count=len(self.projects))

    def project_position(self) -> dict[str, int]:
        return {p.id: i for i, p in enumerate(self.projects)}
