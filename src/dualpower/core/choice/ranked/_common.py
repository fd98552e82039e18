"""Helpers every ranked count shares: valid ballots, seats, and the order a lot decides ties in."""

from __future__ import annotations

import random
from typing import Any

from dualpower.core.choice.ranked.election import RankedElection


def valid_ballots(election: RankedElection) -> tuple[list[tuple[int, ...]], list[int]]:
    """Rankings without withdrawn candidates, dropping ballots left with no preference.

    A paper with no preference for a standing candidate is not a valid vote (SSI 2007/42 rule 45(3)
    counts valid papers only), so it counts neither towards the quota nor as non-transferable.
    """
    num = len(election.candidates)
    rankings: list[tuple[int, ...]] = []
    weights: list[int] = []
    for ranking, weight in zip(election.rankings, election.weights, strict=True):
        if weight < 0:
            raise ValueError(f"A ballot weight must not be negative (found {weight}).")
        if len(set(ranking)) != len(ranking):
            raise ValueError(f"A ballot ranks a candidate twice: {ranking}.")
        if any(not 0 <= c < num for c in ranking):
            raise ValueError(f"A ballot names a candidate who does not exist: {ranking}.")
        kept = tuple(c for c in ranking if c not in election.withdrawn)
        if kept and weight:
            rankings.append(kept)
            weights.append(weight)
    return rankings, weights


def check_seats(election: RankedElection, seats: int | None) -> int:
    """The seats to fill: the argument if given, else the election's; at least one."""
    wanted = election.seats if seats is None else seats
    if wanted < 1:
        raise ValueError(f"A count needs at least one seat to fill (asked for {wanted}).")
    standing = len(election.candidates) - len(election.withdrawn)
    if standing < 1:
        raise ValueError("No candidate is standing: every candidate has withdrawn.")
    return wanted


def lot_order(election: RankedElection, lot_seed: int | None) -> tuple[list[int], dict[str, Any]]:
    """The order in which a lot ranks candidates; the first listed is chosen by a lot.

    Without a seed: the election's recorded tie order (BLT ``[tie ...]``) or else the order of
    the candidates in the file, as droop does, so its reference reports are reproduced. With a
    seed: a permutation drawn from ``random.Random(seed)``, recorded so the count can be replayed.
    """
    if lot_seed is not None:
        order = list(range(len(election.candidates)))
        random.Random(lot_seed).shuffle(order)
        source = f"drawn with seed {lot_seed}"
    elif election.tie_order:
        order = list(election.tie_order)
        source = "recorded in the ballot file"
    else:
        order = list(range(len(election.candidates)))
        source = "order of candidates in the ballot file"
    settings = {
        "lot": source,
        "lot_seed": lot_seed,
        "lot_order": [election.candidate_ids[c] for c in order],
    }
    return order, settings
