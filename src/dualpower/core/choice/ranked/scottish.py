"""Scottish STV: the Scottish Local Government Elections Order 2007 (SSI 2007/42), schedule 1, rules 45-52.

Droop quota on valid papers (decimals ignored, plus one); a candidate with the quota is elected;
surpluses pass on all the elected candidate's papers at value x surplus / votes, truncated to
five decimal places; the largest surplus goes first; with no surplus left, the lowest candidate
is excluded and their papers pass on at the value they arrived with. Ties look back to the most
recent stage at which the tied candidates differed, and only then go to a lot.
"""

from __future__ import annotations

from dualpower.core.choice.ranked._common import check_seats, lot_order, valid_ballots
from dualpower.core.choice.ranked._gregory import GregoryRules, run_gregory, settings_for
from dualpower.core.choice.ranked.election import RankedElection
from dualpower.core.choice.ranked.outcome import RankedOutcome

SCOTTISH_RULES = GregoryRules(places=5, prior_stage_ties=True, statutory_order=True)


def scottish_stv(
    election: RankedElection, *, seats: int | None = None, lot_seed: int | None = None
) -> RankedOutcome:
    """Count ``election`` under Scottish STV; ``lot_seed`` draws the lot (default: file order)."""
    seats = check_seats(election, seats)
    rankings, weights = valid_ballots(election)
    if not rankings:
        raise ValueError("There are no valid ballots to count.")
    lot, lot_settings = lot_order(election, lot_seed)
    count, names = run_gregory(election, rankings, weights, seats, SCOTTISH_RULES, lot)
    settings = settings_for(SCOTTISH_RULES, lot_settings, seats, count.value(count.quota))
    settings["tie_break"] = "most recent stage at which the tied candidates differed, then lot (rules 49, 51)"
    return RankedOutcome(
        rule="scottish-stv",
        seats=seats,
        elected=names(count.elected),
        rounds=tuple(count.rounds),
        settings=settings,
        defeated=names(count.defeated),
        title=election.title,
        report_places=5,
    )
