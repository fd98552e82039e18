"""The values the matching engine takes: needs, offers (helpers), time windows and weights.

All are frozen dataclasses that check themselves on construction, so a bad value is refused with a
sentence where it is made rather than deep inside a ranking. Times are minutes of the week
(Monday 00:00 is 0, Sunday 24:00 is 10,080): a need's window and a volunteer's availability are
compared on the same weekly clock, and the aid app turns a dated request into week minutes.
Locations are neighbourhood names only, never addresses (issue 6: coarse location in every listing).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import IntEnum, StrEnum

WEEK_MINUTES = 7 * 24 * 60


class Urgency(IntEnum):
    """How soon a need must be met. Higher urgency weighs distance more in a ranking and makes
    leaving the need unmatched costlier in a batch assignment."""

    LOW = 0
    NORMAL = 1
    HIGH = 2
    CRITICAL = 3


class OfferKind(StrEnum):
    """Issue 6: offers can be one-off, recurring, or inexhaustible (a community fridge, a tool library)."""

    ONE_OFF = "one-off"
    RECURRING = "recurring"
    INEXHAUSTIBLE = "inexhaustible"


@dataclass(frozen=True, order=True)
class TimeWindow:
    """A span of the week, ``start`` inclusive to ``end`` exclusive, in minutes since Monday 00:00."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if not (0 <= self.start < self.end <= WEEK_MINUTES):
            raise ValueError(
                f"A time window must start before it ends, within the week (0 to {WEEK_MINUTES} minutes); "
                f"this one starts at {self.start} and ends at {self.end}."
            )

    @classmethod
    def weekly(cls, day: int, start: str, end: str) -> TimeWindow:
        """``TimeWindow.weekly(1, "18:00", "21:00")`` is Tuesday evening (day 0 is Monday)."""
        if not 0 <= day <= 6:
            raise ValueError(f"The day of the week must be 0 (Monday) to 6 (Sunday), not {day}.")
        return cls(day * 1440 + _minutes(start), day * 1440 + _minutes(end))

    @property
    def minutes(self) -> int:
        return self.end - self.start


def _minutes(hhmm: str) -> int:
    hours, _, mins = hhmm.partition(":")
    try:
        value = int(hours) * 60 + int(mins or 0)
    except ValueError:
        raise ValueError(f"A time of day must be written HH:MM, not {hhmm!r}.") from None
    if not 0 <= value <= 1440:
        raise ValueError(f"A time of day must be between 00:00 and 24:00, not {hhmm!r}.")
    return value


def merge_windows(windows: Iterable[TimeWindow]) -> tuple[TimeWindow, ...]:
    """Sorted, with overlapping or touching windows joined, so overlap minutes are never counted twice."""
    merged: list[TimeWindow] = []
    for w in sorted(windows):
        if merged and w.start <= merged[-1].end:
            last = merged.pop()
            w = TimeWindow(last.start, max(last.end, w.end))
        merged.append(w)
    return tuple(merged)


def _names(values: Iterable[str], what: str, owner: str) -> tuple[str, ...]:
    out = tuple(sorted({str(v).strip() for v in values}))
    if any(not v for v in out):
        raise ValueError(f"{owner} lists an empty {what}; every {what} needs a name.")
    return out


@dataclass(frozen=True)
class Need:
    """An open request. ``windows`` empty means "any time"; ``languages`` empty means "any language".

    ``language_required`` makes a shared language a hard constraint (a phone call in the person's own
    language), otherwise it only scores. ``quantity`` (e.g. 3 food boxes) travels with the need for the
    aid app's partial fulfilment; one match takes one unit of a helper's capacity.
    """

    id: str
    category: str
    neighbourhood: str
    skills: tuple[str, ...] = ()
    windows: tuple[TimeWindow, ...] = ()
    languages: tuple[str, ...] = ()
    language_required: bool = False
    urgency: Urgency = Urgency.NORMAL
    quantity: int = 1

    def __post_init__(self) -> None:
        owner = f"The need {self.id!r}"
        if not str(self.id).strip():
            raise ValueError("A need must have an id (its request code).")
        if not self.category.strip():
            raise ValueError(f"{owner} has no category; every need belongs to one.")
        if self.quantity < 1:
            raise ValueError(f"{owner} asks for a quantity of {self.quantity}; a quantity is at least 1.")
        if self.language_required and not self.languages:
            raise ValueError(f"{owner} requires a shared language but lists no language.")
        object.__setattr__(self, "urgency", Urgency(self.urgency))
        object.__setattr__(self, "skills", _names(self.skills, "skill", owner))
        object.__setattr__(self, "languages", _names(self.languages, "language", owner))
        object.__setattr__(self, "windows", merge_windows(self.windows))


@dataclass(frozen=True)
class Offer:
    """A volunteer's or a group's offer. ``capacity`` is how many more needs it can take now (the
    remaining capacity, e.g. 2 of 4 deliveries left this month); ``None`` only for inexhaustible offers.
    ``windows`` empty means "any time"."""

    id: str
    categories: tuple[str, ...]
    neighbourhood: str
    skills: tuple[str, ...] = ()
    windows: tuple[TimeWindow, ...] = ()
    languages: tuple[str, ...] = ()
    capacity: int | None = 1
    kind: OfferKind = OfferKind.ONE_OFF

    def __post_init__(self) -> None:
        owner = f"The offer {self.id!r}"
        if not str(self.id).strip():
            raise ValueError("An offer must have an id.")
        object.__setattr__(self, "kind", OfferKind(self.kind))
        if self.kind is OfferKind.INEXHAUSTIBLE:
            if self.capacity is not None:
                raise ValueError(f"{owner} is inexhaustible, so its capacity must be None (unlimited).")
        elif self.capacity is None:
            raise ValueError(f"{owner} is {self.kind.value} and needs a capacity (0 or more).")
        elif self.capacity < 0:
            raise ValueError(f"{owner} has a capacity of {self.capacity}; capacity cannot be negative.")
        categories = _names(self.categories, "category", owner)
        if not categories:
            raise ValueError(f"{owner} lists no category; it must offer at least one.")
        object.__setattr__(self, "categories", categories)
        object.__setattr__(self, "skills", _names(self.skills, "skill", owner))
        object.__setattr__(self, "languages", _names(self.languages, "language", owner))
        object.__setattr__(self, "windows", merge_windows(self.windows))


# Issue 6 speaks of volunteers ("helpers") and offers; to the engine they are the same thing.
Helper = Offer


@dataclass(frozen=True)
class Weights:
    """How much each soft criterion counts, and the constants of the hard ones.

    A score is the weighted mean of criteria each in [0, 1] (see docs/matching.md). ``distance_scale_km``
    is the distance at which the distance criterion falls to one half; urgency multiplies the distance
    weight by ``1 + urgency_distance_boost × urgency``. ``max_distance_km`` (None: no limit) is a hard
    limit. In a batch assignment, leaving a need unmatched costs ``unmatched_cost × (1 + urgency)``,
    which is more than any pair costs, so the assignment meets as many needs as it can, urgent first.
    """

    skills: float = 3.0
    distance: float = 2.0
    time: float = 2.0
    language: float = 1.0
    capacity: float = 0.5
    distance_scale_km: float = 2.0
    urgency_distance_boost: float = 0.5
    capacity_reference: int = 3
    max_distance_km: float | None = None
    unmatched_cost: float = 2.0

    def __post_init__(self) -> None:
        for name in ("skills", "distance", "time", "language", "capacity", "urgency_distance_boost"):
            if getattr(self, name) < 0:
                raise ValueError(f"The weight {name!r} is {getattr(self, name)}; weights cannot be negative.")
        if self.skills + self.distance + self.time + self.language + self.capacity <= 0:
            raise ValueError("At least one weight must be positive, or no offer could be told from another.")
        if self.distance_scale_km <= 0:
            raise ValueError("The distance scale must be a positive number of kilometres.")
        if self.capacity_reference < 1:
            raise ValueError("The capacity reference must be at least 1.")
        if self.max_distance_km is not None and self.max_distance_km < 0:
            raise ValueError("The maximum distance cannot be negative.")
        if self.unmatched_cost <= 1:
            # Pair costs lie in [0, 1]; a smaller penalty would let the assignment prefer leaving a need open.
            raise ValueError(
                "The cost of leaving a need unmatched must be more than 1 (the largest pair cost)."
            )


DEFAULT_WEIGHTS = Weights()


@dataclass(frozen=True)
class Criteria:
    """One offer's criteria for one need, each in [0, 1], and the facts behind them."""

    skills: float
    distance: float
    time: float
    language: float
    capacity: float
    distance_km: float
    overlap_minutes: int


def ids_unique(items: Iterable[Need | Offer], what: str) -> None:
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise ValueError(f"The {what} {item.id!r} is listed twice; every id must be unique.")
        seen.add(item.id)
