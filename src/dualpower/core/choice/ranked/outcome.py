"""The result of a ranked count: who was elected, and every round that got there.

Vote values are exact: ``Decimal`` for counts whose rules fix the decimal places (Scottish STV
truncates to five), ``Fraction`` for rational counts (Meek, WIGM), ``int`` where no ballot is ever
split (IRV). ``to_json`` writes them as exact text, so a published result can be checked digit by
digit against a recount.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

Value = Decimal | Fraction | int


def value_text(value: Value, places: int | None = None) -> str:
    """Exact text for a vote value: Decimal as written, Fraction as ``p/q``; rounded if ``places``."""
    if places is not None:
        return f"{_to_decimal(value, places):.{places}f}"
    if isinstance(value, Fraction):
        return str(value.numerator) if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    return str(value)


def _to_decimal(value: Value, places: int) -> Decimal:
    if isinstance(value, Fraction):
        scaled = value * 10**places
        # round half up, as droop prints its rational reports
        whole = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
        return Decimal(whole).scaleb(-places)
    return Decimal(value).quantize(Decimal(1).scaleb(-places))


@dataclass(frozen=True)
class Round:
    """One stage of a count: the tallies at its end and what happened during it.

    ``tallies`` holds every candidate still in the count or elected (candidate id → votes);
    ``transfers`` what each candidate gained this round; ``non_transferable`` and ``residual`` are
    running totals: votes on exhausted ballots, and votes lost to rounding (or, for Meek, all the
    value no candidate keeps).
    """

    number: int
    tallies: Mapping[str, Value]
    elected: tuple[str, ...] = ()
    excluded: tuple[str, ...] = ()
    transfers: Mapping[str, Value] = field(default_factory=dict)
    non_transferable: Value = 0
    residual: Value = 0
    note: str = ""
    quota: Value | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "tallies": {cid: value_text(v) for cid, v in self.tallies.items()},
            "elected": list(self.elected),
            "excluded": list(self.excluded),
            "transfers": {cid: value_text(v) for cid, v in self.transfers.items()},
            "non_transferable": value_text(self.non_transferable),
            "residual": value_text(self.residual),
            "quota": None if self.quota is None else value_text(self.quota),
            "note": self.note,
        }


@dataclass(frozen=True)
class RankedOutcome:
    """Elected candidate ids in order of election, with the rounds and the settings to replay it."""

    rule: str
    seats: int
    elected: tuple[str, ...]
    rounds: tuple[Round, ...]
    settings: Mapping[str, Any]
    defeated: tuple[str, ...] = ()
    title: str = ""
    report_places: int | None = None  # decimals shown by report(); to_json is always exact

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "seats": self.seats,
            "selected": list(self.elected),
            "elected": list(self.elected),
            "defeated": list(self.defeated),
            "settings": dict(self.settings),
            "rounds": [r.to_json() for r in self.rounds],
        }

    def report(self, places: int | None = None) -> str:
        """A readable round-by-round report; values shown to ``places`` decimals (default: exact)."""
        if places is None:
            places = self.report_places
        head = [f"{self.rule}: {self.title}" if self.title else self.rule, f"Seats: {self.seats}"]
        head.extend(f"{key}: {value}" for key, value in self.settings.items() if key != "seats")
        lines = [*head, ""]
        for rnd in self.rounds:
            lines.append(f"Round {rnd.number}" + (f": {rnd.note}" if rnd.note else ""))
            if rnd.quota is not None:
                lines.append(f"  Quota: {value_text(rnd.quota, places)}")
            width = max(len(cid) for cid in (*rnd.tallies, "Non-transferable", "Lost to rounding"))
            for cid, votes in rnd.tallies.items():
                gain = rnd.transfers.get(cid)
                change = f"  ({'+' if gain >= 0 else ''}{value_text(gain, places)})" if gain else ""
                lines.append(f"  {cid:<{width}}  {value_text(votes, places):>16}{change}")
            lines.append(f"  {'Non-transferable':<{width}}  {value_text(rnd.non_transferable, places):>16}")
            if rnd.residual:
                lines.append(f"  {'Lost to rounding':<{width}}  {value_text(rnd.residual, places):>16}")
            if rnd.elected:
                lines.append("  Elected: " + ", ".join(rnd.elected))
            if rnd.excluded:
                lines.append("  Excluded: " + ", ".join(rnd.excluded))
            lines.append("")
        lines.append("Elected: " + ", ".join(self.elected))
        if self.defeated:
            lines.append("Not elected: " + ", ".join(self.defeated))
        return "\n".join(lines) + "\n"
