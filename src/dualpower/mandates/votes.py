"""How delegates voted, read from the assemblies app (non-secret proposals only)."""

from __future__ import annotations

from typing import Any

from dualpower.core.choice.decision import POSITIONS, count_positions


def open_votes(proposal: Any) -> dict[int, str]:
    """membership id → vote on ``proposal``; empty for secret ballots, whose votes nobody can read."""
    from dualpower.assemblies import selectors

    if proposal.is_secret:
        return {}
    return dict(selectors.open_votes(proposal))


def position_of(vote: str) -> str:
    """The vote as a position of the decision engine (``yes`` → ``agree``...), or as given."""
    try:
        counts = count_positions([vote])
    except ValueError:
        return str(vote)
    return next(p for p in POSITIONS if counts[p])
