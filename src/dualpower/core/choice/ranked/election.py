"""A ranked-ballot election, as read from a BLT file or collected by an assembly."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RankedElection:
    """Candidates, seats and ranked ballots.

    ``rankings[k]`` is one distinct ballot: candidate indexes, most preferred first
    (equal rankings are not allowed); ``weights[k]`` is how many voters cast it.
    ``withdrawn`` holds indexes of candidates who withdrew before the count (BLT's
    negative numbers on the first line). ``candidates`` holds display names; the ids used in
    results are ``candidate_ids`` (BLT has none, so by default the names). ``tie_order``, when
    given, lists candidate indexes in the order a lot drawn before the count put them (BLT's
    ``[tie ...]`` line): the first listed loses a tie for exclusion and wins one for a surplus.
    """

    candidates: tuple[str, ...]
    seats: int
    rankings: tuple[tuple[int, ...], ...]
    weights: tuple[int, ...]
    withdrawn: frozenset[int] = frozenset()
    title: str = ""
    candidate_ids: tuple[str, ...] = ()
    tie_order: tuple[int, ...] = ()

    def __post_init__(self) -> None:
        if len(self.rankings) != len(self.weights):
            raise ValueError("Every ballot needs a weight.")
        if not self.candidate_ids:
            object.__setattr__(self, "candidate_ids", self.candidates)

    @property
    def num_ballots(self) -> int:
        return sum(self.weights)
