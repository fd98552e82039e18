"""The opinion map as the page draws it: an SVG the server writes (no script) and the same data
as lists, so a screen reader and a phone read it without the picture."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class Worded(Protocol):
    """A statement as the map shows it: our own ``Statement``, or one as a peer sent it."""

    text: str


@dataclass
class SentStatement:
    """A statement of a peer's deliberation, as its node sent it."""

    number: int
    text: str


def sent_statements(statements: list[dict[str, Any]]) -> dict[int, SentStatement]:
    """A peer's statements ([{"number", "text"}], as kept) by number, for ``drawn``."""
    return {s["number"]: SentStatement(s["number"], s["text"]) for s in statements}


WIDTH, HEIGHT, MARGIN = 320, 240, 24
# Distinguishable in colour and, for who cannot tell colours apart, by the group's number drawn at
# its centre.
PALETTE = ("#1b6ca8", "#c2410c", "#15803d", "#7e22ce", "#a16207")


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    r: float
    people: int
    group: int
    colour: str


@dataclass(frozen=True)
class Said:
    statement: Worded | None
    number: int
    direction: str
    percent: int


@dataclass(frozen=True)
class Group:
    number: int
    size: int
    colour: str
    label_x: float
    label_y: float
    representative: list[Said]


@dataclass(frozen=True)
class Consensus:
    statement: Worded | None
    number: int
    direction: str
    percents: list[int]


@dataclass(frozen=True)
class Drawn:
    width: int
    height: int
    points: list[Point]
    groups: list[Group]
    consensus: list[Consensus]
    participants: int
    mapped: int


def drawn(stored: dict[str, Any], statements: Mapping[int, Worded]) -> Drawn | None:
    """The stored map (mapping.shown) with its statements' texts; None before the first map."""
    if not stored or not stored.get("groups"):
        return None
    inner_w, inner_h = WIDTH - 2 * MARGIN, HEIGHT - 2 * MARGIN
    points = []
    sums: dict[int, list[float]] = {}
    for x, y, people, group in stored.get("points", []):
        px, py = MARGIN + x * inner_w, MARGIN + (1 - y) * inner_h
        points.append(
            Point(
                x=round(px, 1),
                y=round(py, 1),
                r=round(min(4 + 3 * math.sqrt(people), 18), 1),
                people=people,
                group=group + 1,
                colour=PALETTE[group % len(PALETTE)],
            )
        )
        acc = sums.setdefault(group, [0.0, 0.0, 0.0])
        acc[0] += px * people
        acc[1] += py * people
        acc[2] += people
    groups = []
    for g in stored["groups"]:
        index = g["number"] - 1
        acc = sums.get(index, [WIDTH / 2, HEIGHT / 2, 1.0])
        groups.append(
            Group(
                number=g["number"],
                size=g["size"],
                colour=PALETTE[index % len(PALETTE)],
                label_x=round(acc[0] / acc[2], 1),
                label_y=round(acc[1] / acc[2], 1),
                representative=[
                    Said(statements.get(r["statement"]), r["statement"], r["direction"], r["percent"])
                    for r in g["representative"]
                ],
            )
        )
    consensus = [
        Consensus(statements.get(c["statement"]), c["statement"], c["direction"], c["percent_by_group"])
        for c in stored.get("consensus", [])
    ]
    return Drawn(
        width=WIDTH,
        height=HEIGHT,
        points=points,
        groups=groups,
        consensus=consensus,
        participants=stored.get("participants", 0),
        mapped=stored.get("mapped", 0),
    )
