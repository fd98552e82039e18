"""Read droop v0.11 count reports (../shared/stv/reference) into per-round tallies to compare against."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from tests.shared_data import shared

REFERENCE = shared("stv", "reference")
BLT = shared("stv", "blt")

_CANDIDATE = re.compile(r"^\t(Elected|Hopeful|Pending|Defeated):\s+(.*) \(([-0-9.]+)\)$")
_TOTAL = re.compile(r"^\t(Nontransferable votes|Residual|Quota|Votes|Surplus): ([-0-9.]+)$")


@dataclass
class Snapshot:
    """The state printed after one action: candidate votes and the running totals."""

    action: str
    votes: dict[str, Decimal] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)
    totals: dict[str, Decimal] = field(default_factory=dict)


@dataclass
class Report:
    rounds: list[list[Snapshot]]
    final: Snapshot
    quota: Decimal

    @property
    def elected(self) -> set[str]:
        return {name for name, state in self.final.states.items() if state == "Elected"}

    def round_tallies(self) -> list[Snapshot]:
        """For each round, the last snapshot in it that lists candidates."""
        out = []
        for snaps in self.rounds:
            listed = [s for s in snaps if s.votes]
            if listed:
                out.append(listed[-1])
        return out


def parse_report(path: Path, candidates: tuple[str, ...]) -> Report:
    rounds: list[list[Snapshot]] = [[]]
    current: Snapshot | None = None
    quota = Decimal(0)
    # droop collapses runs of spaces in names ("Ellen   Hurcombe" in Canal-2007); map back to ours.
    ours = {re.sub(r"\s+", " ", name): name for name in candidates}
    known = set(ours)
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("\tQuota: ") and current is None:
            quota = Decimal(line.split(": ")[1])
        if re.match(r"^Round \d+:$", line):
            rounds.append([])
            current = None
            continue
        if line.startswith("Action: "):
            current = Snapshot(action=line[len("Action: ") :])
            rounds[-1].append(current)
            continue
        if current is None:
            continue
        match = _CANDIDATE.match(line)
        if match:
            state, names, value = match.groups()
            # droop joins defeated candidates with no votes on one line: "A, B, C (0.00000)"
            group = [names] if names in known else names.split(", ")
            for name in group:
                current.votes[ours[name]] = Decimal(value)
                current.states[ours[name]] = state
            continue
        match = _TOTAL.match(line)
        if match:
            current.totals[match.group(1)] = Decimal(match.group(2))
    final = rounds[-1][-1]
    assert final.action == "Count Complete", path
    return Report(rounds=rounds, final=final, quota=quota)
