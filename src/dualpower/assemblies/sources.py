"""Counts cast outside the app: a show of hands or paper ballots in a meeting.

A proposal decided in the room (``voting_mode`` "room") is counted from the tallies other apps
register here, instead of from online votes. The meetings app registers the tallies a teller
entered and a second member witnessed:

    from dualpower.assemblies import sources
    sources.register("meetings.room", confirmed_room_counts)

where ``confirmed_room_counts(proposal) -> list[OutsideCount]``. Only witnessed (confirmed)
tallies may be returned: the count is final once the proposal closes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from dualpower.assemblies.models import Proposal


@dataclass(frozen=True)
class OutsideCount:
    source: str  # "meetings.room"
    # Positions of core.choice.decision ("agree", "disagree", "abstain", "stand_aside", "block",
    # "object") → how many hands or papers.
    counts: Mapping[str, int]
    # For the outcome record, e.g. "Show of hands at the meeting of 3 May; teller Ana, witness Ben."
    description: str
    link: str = ""  # the meeting's page


Provider = Callable[[Proposal], list[OutsideCount]]
_registry: dict[str, Provider] = {}


def register(key: str, provider: Provider) -> None:
    _registry[key] = provider


def counts_for(proposal: Proposal) -> list[OutsideCount]:
    found: list[OutsideCount] = []
    for provider in _registry.values():
        found.extend(provider(proposal))
    return found


def room_description(proposal: Proposal) -> str:
    """How a proposal decided in the room was counted (the meeting's own words), else ""."""
    if proposal.voting_mode != Proposal.VotingMode.ROOM:
        return ""
    return " ".join(s.description for s in counts_for(proposal) if s.description)
