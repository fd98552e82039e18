"""The weighted inclusive Gregory count shared by Scottish STV and WIGM.

Ballots move as whole papers: a surplus passes on every paper the elected candidate holds, each
at value x surplus / votes (the *inclusive* Gregory method, weighted by the value the paper
arrived with). Scottish STV does this in fixed point, truncating each new value to five decimal
places (SSI 2007/42 rule 48(3)); WIGM does it in exact rationals.

Fixed-point values are integers scaled by 10**places, so no float ever touches a count.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from dualpower.core.choice.ranked.election import RankedElection
from dualpower.core.choice.ranked.outcome import Round, Value

Num = int | Fraction


@dataclass(frozen=True)
class GregoryRules:
    """What distinguishes the members of the family."""

    places: int | None  # fixed-point decimal places, or None for exact rationals
    prior_stage_ties: bool  # SSI 2007/42 rules 49(2) and 51(2): look back before drawing lots
    statutory_order: bool  # Scottish order of steps (elect, then check complete) vs droop's WIGM


class GregoryCount:
    """One count in progress. Build it, call ``run()``, read ``rounds`` and ``elected``."""

    def __init__(
        self,
        election: RankedElection,
        rankings: Sequence[tuple[int, ...]],
        weights: Sequence[int],
        seats: int,
        rules: GregoryRules,
        lot: Sequence[int],
    ) -> None:
        self.election = election
        self.rules = rules
        self.seats = seats
        self.scale: Num = 10**rules.places if rules.places is not None else Fraction(1)
        self.ranks = list(rankings)
        self.mult = list(weights)
        self.total = sum(weights)
        self.weight: list[Num] = [self.scale] * len(self.ranks)
        self.pos = [0] * len(self.ranks)
        n = len(election.candidates)
        self.lot_rank = {c: i for i, c in enumerate(lot)}
        self.hopeful = [c for c in range(n) if c not in election.withdrawn]
        self.elected: list[int] = []
        self.pending: list[int] = []
        self.defeated: list[int] = []
        self.votes: dict[int, Num] = dict.fromkeys(self.hopeful, self.zero)
        self.piles: dict[int, list[int]] = {c: [] for c in self.hopeful}
        self.non_transferable: Num = self.zero
        self.history: list[dict[int, Num]] = []
        self.rounds: list[Round] = []
        self.notes: list[str] = []
        self.round_elected: list[int] = []
        self.round_excluded: list[int] = []
        self.gains: dict[int, Num] = {}
        if rules.places is not None:
            # SSI 2007/42 rule 46: valid papers / (seats + 1), decimals ignored, plus one.
            self.quota: Num = (self.total // (seats + 1) + 1) * self.scale
        else:
            self.quota = Fraction(self.total, seats + 1)
        for b, ranking in enumerate(self.ranks):
            top = ranking[0]
            self.piles[top].append(b)
            self.votes[top] += self.scale * self.mult[b]

    @property
    def zero(self) -> Num:
        return 0 if self.rules.places is not None else Fraction(0)

    def value(self, v: Num) -> Value:
        if self.rules.places is not None:
            return Decimal(int(v)).scaleb(-self.rules.places)
        return Fraction(v)

    def has_quota(self, c: int) -> bool:
        # An integer quota is reached by equalling it (rule 47(1)); an exact quota only by passing it.
        if self.rules.places is not None:
            return self.votes[c] >= self.quota
        return self.votes[c] > self.quota

    def complete(self) -> bool:
        left = self.seats - len(self.elected)
        return left <= 0 or len(self.hopeful) <= left

    # --- steps -------------------------------------------------------------------------------

    def elect_with_quota(self) -> None:
        reached = [c for c in self.hopeful if self.has_quota(c)]
        reached.sort(key=lambda c: (-self.votes[c], self.lot_rank[c]))
        for c in reached:
            self.hopeful.remove(c)
            self.elected.append(c)
            self.pending.append(c)
            self.round_elected.append(c)

    def transfer(self, c: int, *, surplus: bool) -> None:
        """Pass on every paper ``c`` holds to its next continuing candidate."""
        vote = self.votes[c]
        pile = self.piles[c]
        self.piles[c] = []
        if surplus:
            excess = vote - self.quota
            if self.rules.places is not None:
                # rule 48(3): "to five decimal places (any remainder being ignored)"
                for b in pile:
                    self.weight[b] = self.weight[b] * excess // vote
            else:
                for b in pile:
                    self.weight[b] = Fraction(self.weight[b] * excess) / vote
        hopeful = set(self.hopeful)
        for b in pile:
            ranking = self.ranks[b]
            p = self.pos[b] + 1
            while p < len(ranking) and ranking[p] not in hopeful:
                p += 1
            self.pos[b] = p
            amount = self.weight[b] * self.mult[b]
            if p == len(ranking):
                self.non_transferable += amount
            else:
                top = ranking[p]
                self.piles[top].append(b)
                self.votes[top] += amount
                self.gains[top] = self.gains.get(top, self.zero) + amount
        self.votes[c] = self.quota if surplus else self.zero
        self.gains[c] = self.gains.get(c, self.zero) + self.votes[c] - vote

    def break_tie(self, tied: list[int], *, highest: bool, reason: str) -> int:
        if len(tied) == 1:
            return tied[0]
        names = ", ".join(self.election.candidate_ids[c] for c in tied)
        at_best = tied
        if self.rules.prior_stage_ties:
            # Rules 49(2), 51(2): the most recent earlier stage at which their votes differed.
            for stage in range(len(self.history) - 1, -1, -1):
                votes = self.history[stage]
                best = (max if highest else min)(votes[c] for c in tied)
                at_best = [c for c in tied if votes[c] == best]
                if len(at_best) == 1:
                    self.notes.append(f"tie ({reason}) [{names}] broken by stage {stage}")
                    return at_best[0]
            # As droop does, the lot is drawn among those at the extreme at the first stage.
            tied = at_best
        chosen = min(tied, key=lambda c: self.lot_rank[c])
        self.notes.append(f"tie ({reason}) [{names}] broken by lot")
        return chosen

    def transfer_highest_surplus(self) -> None:
        high = max(self.votes[c] for c in self.pending)
        tied = [c for c in self.pending if self.votes[c] == high]
        c = self.break_tie(tied, highest=True, reason="largest surplus")
        self.pending.remove(c)
        excess = self.votes[c] - self.quota
        self.notes.append(f"surplus of {self.election.candidate_ids[c]} ({self.value(excess)}) transferred")
        self.transfer(c, surplus=True)

    def exclude_lowest(self) -> None:
        low = min(self.votes[c] for c in self.hopeful)
        tied = [c for c in self.hopeful if self.votes[c] == low]
        c = self.break_tie(tied, highest=False, reason="exclusion")
        self.hopeful.remove(c)
        self.defeated.append(c)
        self.round_excluded.append(c)
        self.notes.append(
            f"{self.election.candidate_ids[c]} excluded ({self.value(low)}), papers transferred"
        )
        self.transfer(c, surplus=False)

    def elect_remaining(self) -> None:
        for c in sorted(self.hopeful, key=lambda c: (-self.votes[c], self.lot_rank[c])):
            if len(self.elected) < self.seats:
                self.elected.append(c)
                self.round_elected.append(c)
                self.notes.append(f"{self.election.candidate_ids[c]} elected to fill a remaining seat")
            else:
                self.defeated.append(c)
        self.hopeful = []

    # --- rounds ------------------------------------------------------------------------------

    def close_round(self) -> None:
        ids = self.election.candidate_ids
        order = [c for c in range(len(ids)) if c not in self.election.withdrawn]
        counted = sum(self.votes.values(), self.zero)
        residual = self.total * self.scale - counted - self.non_transferable
        self.rounds.append(
            Round(
                number=len(self.rounds),
                tallies={ids[c]: self.value(self.votes[c]) for c in order},
                elected=tuple(ids[c] for c in self.round_elected),
                excluded=tuple(ids[c] for c in self.round_excluded),
                transfers={ids[c]: self.value(v) for c, v in self.gains.items()},
                non_transferable=self.value(self.non_transferable),
                residual=self.value(residual),
                note="; ".join(self.notes),
                quota=self.value(self.quota),
            )
        )
        self.history.append(dict(self.votes))
        self.round_elected, self.round_excluded, self.gains, self.notes = [], [], {}, []

    def run(self) -> None:
        if self.rules.statutory_order:
            self._run_scottish()
        else:
            self._run_wigm()

    def _run_scottish(self) -> None:
        # SSI 2007/42 rules 45-52, in the order droop's scotland rule applies them. A round is
        # closed only once the next step is known, so filling the last seats (rule 52) belongs
        # to the round that made them fillable.
        self.notes.append("first preferences counted")
        self.elect_with_quota()
        while not self.complete():
            self.close_round()
            if self.pending:
                self.transfer_highest_surplus()  # rules 48, 49
            else:
                self.exclude_lowest()  # rules 50, 51
            self.elect_with_quota()  # rule 47
        self.elect_remaining()  # rule 52
        self.close_round()

    def _run_wigm(self) -> None:
        # droop's model WIGM: elect at the start of a round, then one surplus or one exclusion.
        self.notes.append("first preferences counted")
        while len(self.hopeful) > self.seats - len(self.elected) > 0:
            self.close_round()
            self.elect_with_quota()
            if self.pending:
                self.transfer_highest_surplus()
            elif self.hopeful:
                self.exclude_lowest()
        self.elect_remaining()
        self.close_round()


def run_gregory(
    election: RankedElection,
    rankings: Sequence[tuple[int, ...]],
    weights: Sequence[int],
    seats: int,
    rules: GregoryRules,
    lot: Sequence[int],
) -> tuple[GregoryCount, Callable[[list[int]], tuple[str, ...]]]:
    count = GregoryCount(election, rankings, weights, seats, rules, lot)
    count.run()

    def names(cs: list[int]) -> tuple[str, ...]:
        return tuple(election.candidate_ids[c] for c in cs)

    return count, names


def settings_for(
    rules: GregoryRules, lot_settings: dict[str, Any], seats: int, quota: Value
) -> dict[str, Any]:
    return {
        "seats": seats,
        "quota": str(quota),
        "arithmetic": f"fixed-point, {rules.places} decimal places, truncated"
        if rules.places is not None
        else "exact rationals",
        **lot_settings,
    }
