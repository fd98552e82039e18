"""The values the sortition engine takes and returns: a pool, its quotas, a lottery, a drawn panel.

All are frozen dataclasses. Mappings are stored as sorted tuples of pairs so that two pools built
from the same people in a different order are equal, hash the same and give the same lottery.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Literal

Objective = Literal["maximin", "leximin"]
OBJECTIVES: tuple[Objective, ...] = ("maximin", "leximin")


@dataclass(frozen=True)
class Person:
    """A volunteer in the pool: a stable public id (a number is enough) and their feature values."""

    id: str
    features: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, person_id: str, features: Mapping[str, str]) -> Person:
        return cls(str(person_id), tuple(sorted((str(k), str(v)) for k, v in features.items())))

    def value(self, feature: str) -> str:
        for name, value in self.features:
            if name == feature:
                return value
        raise ValueError(f"Person {self.id!r} has no value for the feature {feature!r}.")


@dataclass(frozen=True)
class Pool:
    """Everyone who volunteered, in canonical order (sorted by id)."""

    people: tuple[Person, ...]

    def __post_init__(self) -> None:
        twice = sorted(pid for pid, n in Counter(p.id for p in self.people).items() if n > 1)
        if twice:
            raise ValueError(f"The pool lists the person {twice[0]!r} twice; every id must be unique.")
        object.__setattr__(self, "people", tuple(sorted(self.people, key=lambda p: p.id)))

    @classmethod
    def of(cls, people: Mapping[str, Mapping[str, str]] | Iterable[Person]) -> Pool:
        """Build a pool from ``{id: {feature: value}}`` or from ``Person`` values."""
        if isinstance(people, Mapping):
            return cls(tuple(Person.of(pid, feats) for pid, feats in people.items()))
        return cls(tuple(people))

    def __len__(self) -> int:
        return len(self.people)


@dataclass(frozen=True)
class Quota:
    """How many panel members must have ``value`` for ``feature``: at least ``min``, at most ``max``."""

    feature: str
    value: str
    min: int
    max: int

    def __post_init__(self) -> None:
        if self.min < 0 or self.max < self.min:
            raise ValueError(
                f"The quota for {self.feature} = {self.value} must have 0 <= min <= max "
                f"(it has min {self.min}, max {self.max})."
            )


@dataclass(frozen=True)
class Quotas:
    """Per feature value bounds, sorted by (feature, value). Every value present in the pool for a
    feature with quotas must have its own quota (it may be 0..panel size)."""

    quotas: tuple[Quota, ...]

    def __post_init__(self) -> None:
        keys = [(q.feature, q.value) for q in self.quotas]
        if len(set(keys)) != len(keys):
            dup = next(k for k in keys if keys.count(k) > 1)
            raise ValueError(f"The quota for {dup[0]} = {dup[1]} is given twice.")
        object.__setattr__(self, "quotas", tuple(sorted(self.quotas, key=lambda q: (q.feature, q.value))))

    @classmethod
    def of(cls, bounds: Mapping[str, Mapping[str, tuple[int, int]]]) -> Quotas:
        """Build quotas from ``{feature: {value: (min, max)}}``."""
        return cls(
            tuple(Quota(f, v, lo, hi) for f, values in bounds.items() for v, (lo, hi) in values.items())
        )

    @property
    def features(self) -> tuple[str, ...]:
        return tuple(sorted({q.feature for q in self.quotas}))


@dataclass(frozen=True)
class Profile:
    """People who share every quota feature value: the engine treats them alike, so they all get
    the same selection probability (by symmetry the optimum can always be taken that way)."""

    values: tuple[str, ...]  # aligned with Distribution.features
    members: tuple[str, ...]  # person ids, sorted


@dataclass(frozen=True)
class Composition:
    """One line of the lottery: how many people to take from each profile, and its tickets."""

    counts: tuple[int, ...]  # aligned with Distribution.profiles
    tickets: int


@dataclass(frozen=True)
class Distribution:
    """A lottery over panels, in two stages.

    Stage 1 picks a composition (counts per profile) with probability ``tickets / total_tickets``;
    stage 2 picks that many members of each profile uniformly at random. Every panel that can come
    out satisfies the quotas and has ``panel_size`` members. ``probabilities`` gives each person's
    exact chance of selection under this lottery, as a fraction.
    """

    objective: Objective
    panel_size: int
    features: tuple[str, ...]
    quotas: Quotas
    profiles: tuple[Profile, ...]
    lottery: tuple[Composition, ...]  # canonical order: counts, lexicographic
    total_tickets: int
    probabilities: tuple[tuple[str, Fraction], ...] = field(repr=False)  # sorted by person id
    never_selectable: tuple[str, ...]  # people no panel meeting the quotas can include
    columns_generated: int  # compositions the column generation looked at (a measure of work)

    def probability(self, person_id: str) -> Fraction:
        for pid, p in self.probabilities:
            if pid == person_id:
                return p
        raise ValueError(f"The person {person_id!r} is not in the pool of this lottery.")

    @property
    def min_probability(self) -> float:
        """The smallest selection probability among people some feasible panel can include."""
        excluded = set(self.never_selectable)
        return float(min((p for pid, p in self.probabilities if pid not in excluded), default=Fraction(0)))


@dataclass(frozen=True)
class Panel:
    """A drawn panel and everything needed to check the draw by hand."""

    members: tuple[str, ...]  # sorted ids
    seed: str  # the public seed, as text
    ticket: int  # 0 <= ticket < total_tickets, from SHA-256 of the seed
    composition: Composition
