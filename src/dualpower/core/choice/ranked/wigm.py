"""The weighted inclusive Gregory method (WIGM) in exact rational arithmetic.

As counted by droop's reference WIGM rule: quota = valid ballots / (seats + 1) exactly, a
candidate is elected on passing it, one surplus (the largest) is transferred per round at value
x surplus / votes with no rounding, and otherwise the lowest candidate is excluded. Ties go to
the lot order straight away (droop's model rule has no look-back).
"""

from __future__ import annotations

from dualpower.core.choice.ranked._common import check_seats, lot_order, valid_ballots
from dualpower.core.choice.ranked._gregory import GregoryRules, run_gregory, settings_for
from dualpower.core.choice.ranked.election import RankedElection
from dualpower.core.choice.ranked.outcome import RankedOutcome

WIGM_RULES = GregoryRules(places=None, prior_stage_ties=False, statutory_order=False)


def wigm(election: RankedElection, *, seats: int | None = None, lot_seed: int | None = None) -> RankedOutcome:
    """Count ``election`` under rational WIGM; ``lot_seed`` draws the lot (default: file order)."""
    seats = check_seats(election, seats)
    rankings, weights = valid_ballots(election)
    if not rankings:
        raise ValueError("There are no valid ballots to count.")
    lot, lot_settings = lot_order(election, lot_seed)
    count, names = run_gregory(election, rankings, weights, seats, WIGM_RULES, lot)
    settings = settings_for(WIGM_RULES, lot_settings, seats, count.value(count.quota))
    settings["tie_break"] = "lot"
    return RankedOutcome(
        rule="wigm",
        seats=seats,
        elected=names(count.elected),
        rounds=tuple(count.rounds),
        settings=settings,
        defeated=names(count.defeated),
        title=election.title,
        report_places=6,
    )
