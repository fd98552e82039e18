"""Tie-breaking between projects, fixed before counting and stored with every count.

Every rule breaks ties the same way: by a total order on the projects computed once
from the election and the setting, so the same inputs and settings always give the
same outcome and anyone can replay a count from the recorded setting.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from dualpower.core.choice.pb.election import PBElection

TieBreakKind = Literal["equalshares", "project-id", "order"]


@dataclass(frozen=True)
class TieBreak:
    """How ties between projects are broken.

    - ``equalshares`` (default, as equalshares.net): lower cost first, then more
      supporters (approval/choose-1/ordinal) or points (cumulative), then a lot drawn
      once before counting with ``random.Random(seed)``.
    - ``project-id``: by project id, numerically when both ids are integers.
    - ``order``: the recorded order ``order`` (project ids, first preferred).
    """

    kind: TieBreakKind = "equalshares"
    seed: int = 0
    order: tuple[str, ...] = ()

    @classmethod
    def default(cls) -> TieBreak:
        return cls()

    def settings(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind}
        if self.kind == "equalshares":
            out["seed"] = self.seed
        if self.kind == "order":
            out["order"] = list(self.order)
        return out

    def rank(self, election: PBElection) -> npt.NDArray[np.int64]:
        """``rank[i]`` is project i's place in the order: 0 wins every tie."""
        n = len(election.projects)
        if self.kind == "order":
            place = {pid: k for k, pid in enumerate(self.order)}
            missing = [p.id for p in election.projects if p.id not in place]
            if missing:
                raise ValueError(f"The tie-break order does not list project(s) {', '.join(missing)}.")
            keys: list[tuple[object, ...]] = [(place[p.id],) for p in election.projects]
        elif self.kind == "project-id":
            keys = [_id_key(p.id) for p in election.projects]
        else:
            support = _support(election)
            lot = list(range(n))
            random.Random(self.seed).shuffle(lot)
            keys = [(p.cost, -int(support[i]), lot[i]) for i, p in enumerate(election.projects)]
        order = sorted(range(n), key=lambda i: keys[i])
        rank = np.empty(n, dtype=np.int64)
        rank[order] = np.arange(n, dtype=np.int64)
        return rank


def _id_key(pid: str) -> tuple[int, int | str]:
    # Numeric ids sort as numbers (2 before 10); others after them, as text.
    return (0, int(pid)) if pid.lstrip("-").isdigit() else (1, pid)


def _support(election: PBElection) -> npt.NDArray[np.int64]:
    ballots = election.ballots
    weights = np.repeat(ballots.weights, np.diff(ballots.offsets))
    values = weights * ballots.points if election.vote_type == "cumulative" else weights
    support = np.bincount(ballots.project_index, weights=values, minlength=len(election.projects))
    return support.astype(np.int64)
