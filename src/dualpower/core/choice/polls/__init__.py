"""Polls an assembly runs: approval, plurality, score (range), Borda and majority judgment."""

from dualpower.core.choice.polls.counts import approval, borda, plurality, score
from dualpower.core.choice.polls.judgment import majority_judgment
from dualpower.core.choice.polls.result import PollResult, PollTieBreak

__all__ = ["PollResult", "PollTieBreak", "approval", "borda", "majority_judgment", "plurality", "score"]
