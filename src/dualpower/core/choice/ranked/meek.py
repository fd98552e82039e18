"""Meek STV in exact rational arithmetic.

B. L. Meek, "Une nouvelle approche du scrutin transférable", Mathématiques et sciences humaines
25 (1969); as specified for computers by Hill, Wichmann and Woodall, "Algorithm 123: Single
Transferable Vote by Meek's method", Computer Journal 30 (1987), and counted by droop's
"Meek parametric" rule (omega = 1/10^10), whose rational reports this reproduces.

Every elected candidate keeps a fraction (the keep factor) of each vote reaching them and passes
the rest on; keep factors are lowered until each elected candidate keeps just a quota, where the
quota is recomputed from the votes still in play (so exhausted votes lower it). When no one more
can be elected, the candidates who cannot catch up even with all the surplus are excluded.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction
from typing import Any

from dualpower.core.choice.ranked._common import check_seats, lot_order, valid_ballots
from dualpower.core.choice.ranked.election import RankedElection
from dualpower.core.choice.ranked.outcome import RankedOutcome, Round

_ZERO = Fraction(0)
_ONE = Fraction(1)


class _MeekCount:
    def __init__(
        self,
        election: RankedElection,
        rankings: Sequence[tuple[int, ...]],
        weights: Sequence[int],
        seats: int,
        lot: Sequence[int],
        omega: Fraction,
        keep_digits: int,
    ) -> None:
        self.election = election
        self.scale = 10**keep_digits
        self.ranks = list(rankings)
        self.mult = list(weights)
        self.total = sum(weights)
        self.seats = seats
        self.omega = omega
        self.lot_rank = {c: i for i, c in enumerate(lot)}
        self.order = [c for c in range(len(election.candidates)) if c not in election.withdrawn]
        self.hopeful = list(self.order)
        self.elected: list[int] = []
        self.defeated: list[int] = []
        self.keep: dict[int, Fraction] = dict.fromkeys(self.order, _ONE)
        self.votes: dict[int, Fraction] = dict.fromkeys(self.order, _ZERO)
        self.exhausted = _ZERO
        self.quota = Fraction(self.total, seats + 1)
        self.surplus = _ZERO
        self.rounds: list[Round] = []
        self.notes: list[str] = []
        self.round_elected: list[int] = []
        self.round_excluded: list[int] = []
        self.last_votes: dict[int, Fraction] = {}
        for ranking, m in zip(self.ranks, self.mult, strict=True):
            self.votes[ranking[0]] += m

    def distribute(self) -> None:
        """Pass each ballot down its ranking: every candidate keeps their keep factor of what arrives."""
        votes = dict.fromkeys(self.order, _ZERO)
        keep = self.keep
        kept_total = _ZERO
        for ranking, m in zip(self.ranks, self.mult, strict=True):
            weight = _ONE
            for c in ranking:
                kf = keep[c]
                if kf:
                    part = weight * kf
                    votes[c] += part * m
                    kept_total += part * m
                    weight -= part
                    if weight <= 0:
                        break
        self.votes = votes
        self.exhausted = self.total - kept_total

    def complete(self) -> bool:
        left = self.seats - len(self.elected)
        return left <= 0 or len(self.hopeful) <= left

    def sure_losers(self) -> list[int]:
        """The largest set of lowest candidates who together, plus the surplus, trail the next one.

        droop's "defeat_batch=safe": tied groups are never split, and enough hopefuls are kept to
        fill the remaining seats.
        """
        ranked = sorted(self.hopeful, key=lambda c: (self.votes[c], c))
        groups: list[list[int]] = []
        group: list[int] = []
        base = _ZERO
        for c in ranked:
            if base + self.surplus >= self.votes[c]:
                group.append(c)
            else:
                if group:
                    groups.append(group)
                group, base = [c], self.votes[c]
        if group:
            groups.append(group)
        max_defeat = len(self.hopeful) - (self.seats - len(self.elected))
        total, count, best = _ZERO, 0, None
        for g in range(len(groups) - 1):
            count += len(groups[g])
            if count > max_defeat:
                break
            total += sum((self.votes[c] for c in groups[g]), _ZERO)
            if total + self.surplus < self.votes[groups[g + 1][0]]:
                best = g
        if best is None:
            return []
        return [c for g in groups[: best + 1] for c in g]

    def iterate(self) -> tuple[str, list[int]]:
        last_surplus = Fraction(self.total)
        while True:
            self.distribute()
            in_play = sum((self.votes[c] for c in (*self.hopeful, *self.elected)), _ZERO)
            self.quota = in_play / (self.seats + 1)
            reached = [c for c in self.hopeful if self.votes[c] > self.quota]
            reached.sort(key=lambda c: (-self.votes[c], self.lot_rank[c]))
            for c in reached:
                self.hopeful.remove(c)
                self.elected.append(c)
                self.round_elected.append(c)
            self.surplus = sum((self.votes[c] - self.quota for c in self.elected), _ZERO)
            if reached:
                self.notes.append("keep factors iterated until a candidate passed the quota")
                return "elected", []
            if self.surplus <= self.omega:
                return "omega", []
            if self.surplus >= last_surplus:
                return "stable", []
            batch = self.sure_losers()
            if batch:
                return "batch", batch
            last_surplus = self.surplus
            for c in self.elected:
                # Exact keep factors grow denominators twice as long each iteration, so they are
                # rounded up to keep_digits places (as NZ Schedule 1A rounds up to 9); votes stay exact.
                exact = self.keep[c] * self.quota / self.votes[c]
                self.keep[c] = Fraction(-((-exact.numerator * self.scale) // exact.denominator), self.scale)

    def exclude(self, c: int, why: str) -> None:
        name = self.election.candidate_ids[c]
        self.notes.append(f"{name} excluded ({why}, {float(self.votes[c]):.6f} votes)")
        self.hopeful.remove(c)
        self.defeated.append(c)
        self.round_excluded.append(c)
        self.keep[c] = _ZERO
        self.distribute()

    def close_round(self) -> None:
        ids = self.election.candidate_ids
        self.rounds.append(
            Round(
                number=len(self.rounds),
                tallies={ids[c]: self.votes[c] for c in self.order},
                elected=tuple(ids[c] for c in self.round_elected),
                excluded=tuple(ids[c] for c in self.round_excluded),
                transfers={
                    ids[c]: self.votes[c] - self.last_votes[c]
                    for c in self.order
                    if self.last_votes and self.votes[c] != self.last_votes[c]
                },
                non_transferable=self.exhausted,
                residual=_ZERO,
                note="; ".join(self.notes),
                quota=self.quota,
            )
        )
        self.last_votes = dict(self.votes)
        self.round_elected, self.round_excluded, self.notes = [], [], []

    def run(self) -> None:
        # A round is closed only once the next step is known, so filling the last seats
        # belongs to the round that made them fillable.
        self.notes.append("first preferences counted")
        while not self.complete():
            self.close_round()
            status, batch = self.iterate()
            if status == "batch":
                for c in sorted(batch):
                    self.exclude(c, "cannot catch up even with the whole surplus")
            elif status != "elected" and self.hopeful:
                low = min(self.votes[c] for c in self.hopeful)
                # Candidates within the surplus of the lowest are effectively tied (droop's rule).
                tied = [c for c in self.hopeful if low + self.surplus >= self.votes[c]]
                c = min(tied, key=lambda c: self.lot_rank[c])
                if len(tied) > 1:
                    names = ", ".join(self.election.candidate_ids[t] for t in tied)
                    self.notes.append(f"tie (exclusion) [{names}] broken by lot")
                reason = "surplus below omega" if status == "omega" else "surplus no longer falling"
                self.exclude(c, reason)
        for c in list(self.hopeful):
            self.hopeful.remove(c)
            if len(self.elected) < self.seats:
                self.elected.append(c)
                self.round_elected.append(c)
                self.notes.append(f"{self.election.candidate_ids[c]} elected to fill a remaining seat")
            else:
                # As droop does: a candidate left over is excluded and their votes passed on, so the
                # final tallies show what the elected keep once the count is closed.
                self.defeated.append(c)
                self.round_excluded.append(c)
                self.keep[c] = _ZERO
                self.distribute()
        self.close_round()


def meek_stv(
    election: RankedElection,
    *,
    seats: int | None = None,
    lot_seed: int | None = None,
    omega_digits: int = 10,
    keep_digits: int = 30,
) -> RankedOutcome:
    """Count ``election`` by Meek STV; iterate until the surplus is at most 10**-omega_digits.

    Votes are exact rationals given the keep factors; keep factors are rounded up to
    ``keep_digits`` decimal places so that the numbers stay a manageable size.
    """
    seats = check_seats(election, seats)
    if omega_digits < 1:
        raise ValueError("omega_digits must be at least 1.")
    if keep_digits <= omega_digits:
        raise ValueError("keep_digits must exceed omega_digits, or the surplus could never fall below omega.")
    rankings, weights = valid_ballots(election)
    if not rankings:
        raise ValueError("There are no valid ballots to count.")
    lot, lot_settings = lot_order(election, lot_seed)
    count = _MeekCount(election, rankings, weights, seats, lot, Fraction(1, 10**omega_digits), keep_digits)
    count.run()
    ids = election.candidate_ids
    settings: dict[str, Any] = {
        "seats": seats,
        "arithmetic": "exact rationals",
        "omega": f"1/10^{omega_digits}",
        "keep_factors": f"rounded up to {keep_digits} decimal places",
        "defeat_batch": "safe (sure losers excluded together)",
        "tie_break": "lot among candidates within the surplus of the lowest",
        **lot_settings,
    }
    return RankedOutcome(
        rule="meek",
        seats=seats,
        elected=tuple(ids[c] for c in count.elected),
        rounds=tuple(count.rounds),
        settings=settings,
        defeated=tuple(ids[c] for c in count.defeated),
        title=election.title,
        report_places=6,
    )
