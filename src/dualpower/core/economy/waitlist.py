"""Allocating a vacant home from the waitlist by a published method anyone can replay.

1. Eligibility: each published requirement (e.g. household size between 2 and 4 for a two-bedroom
   home, income at most 80% of the area median) excludes applicants outside its bounds, with the
   reason.
2. Priority points: each published criterion gives ``points_per_unit`` for each unit of a fact
   about the applicant (years on the waitlist, 1 if they live in the neighbourhood), up to
   ``max_units``; an applicant's points are the sum.
3. Lottery among equal points, from a seed announced before the draw: each applicant's key is the
   hex SHA-256 of the UTF-8 text ``seed + "\\n" + applicant id`` (the same rule as the sortition
   draw); within equal points the smaller key comes first. Anyone can check a key with
   ``printf '%s\\n%s' "$SEED" "$ID" | sha256sum``.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from dualpower.core.economy.rounding import whole


@dataclass(frozen=True)
class Criterion:
    key: str  # the fact it reads, e.g. "years_waiting"
    description: str  # as published, e.g. "2 points for each full year on the waitlist, at most 5 years"
    points_per_unit: int
    max_units: int | None = None


@dataclass(frozen=True)
class Requirement:
    key: str  # the fact it reads, e.g. "household_size"
    description: str
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Applicant:
    applicant_id: str
    facts: Mapping[str, int]  # one whole number per criterion and requirement key (0/1 for yes/no)


@dataclass(frozen=True)
class Placement:
    place: int  # 1 is offered the home first
    applicant_id: str
    points: int
    points_by_criterion: tuple[tuple[str, int], ...]
    lottery_key: str  # hex SHA-256 of seed + "\n" + applicant id
    tied: int  # how many eligible applicants share these points (1: no lottery needed)
    reason: str


@dataclass(frozen=True)
class Exclusion:
    applicant_id: str
    reason: str


@dataclass(frozen=True)
class WaitlistRanking:
    """The ranking and everything used to make it, so anyone can replay it."""

    seed: str
    criteria: tuple[Criterion, ...]
    requirements: tuple[Requirement, ...]
    ranking: tuple[Placement, ...]
    excluded: tuple[Exclusion, ...]


def lottery_key(seed: str, applicant_id: str) -> str:
    """The hex SHA-256 of ``seed + "\\n" + applicant_id`` (UTF-8)."""
    return hashlib.sha256(f"{seed}\n{applicant_id}".encode()).hexdigest()


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _fact(applicant: Applicant, key: str) -> int:
    if key not in applicant.facts:
        raise ValueError(
            f"Applicant {applicant.applicant_id} has no value for {key!r}, which the method uses."
        )
    value = whole(applicant.facts[key], f"The {key!r} of applicant {applicant.applicant_id}")
    return value


def _check(applicants: Sequence[Applicant], criteria: Sequence[Criterion], seed: str) -> None:
    if not seed.strip():
        raise ValueError("The lottery needs a seed announced before the draw; it is empty.")
    ids = Counter(a.applicant_id for a in applicants)
    duplicates = sorted(i for i, n in ids.items() if n > 1)
    if duplicates:
        raise ValueError(f"Applicant ids must be unique; repeated: {', '.join(duplicates)}.")
    for applicant_id in ids:
        if not applicant_id or "\n" in applicant_id:
            raise ValueError(f"Applicant id {applicant_id!r} must be non-empty text on one line.")
    keys = Counter(c.key for c in criteria)
    if any(n > 1 for n in keys.values()):
        raise ValueError("Each criterion must read a different fact; one key is used twice.")
    for criterion in criteria:
        whole(criterion.points_per_unit, f"The points of criterion {criterion.key!r}")
        if criterion.max_units is not None and whole(criterion.max_units, "max_units") < 0:
            raise ValueError(f"The cap of criterion {criterion.key!r} must be 0 or more.")


def _check_requirements(requirements: Sequence[Requirement]) -> None:
    for req in requirements:
        if req.minimum is not None and req.maximum is not None and req.minimum > req.maximum:
            raise ValueError(
                f"The requirement {req.key!r} has a minimum ({req.minimum}) "
                f"above its maximum ({req.maximum})."
            )


def _failed_requirement(applicant: Applicant, requirements: Sequence[Requirement]) -> str | None:
    for req in requirements:
        value = _fact(applicant, req.key)
        if req.minimum is not None and value < req.minimum:
            return f"{req.description}: {req.key} is {value}, below the minimum of {req.minimum}."
        if req.maximum is not None and value > req.maximum:
            return f"{req.description}: {req.key} is {value}, above the maximum of {req.maximum}."
    return None


def rank_waitlist(
    *,
    applicants: Sequence[Applicant],
    criteria: Sequence[Criterion],
    seed: str,
    requirements: Sequence[Requirement] = (),
) -> WaitlistRanking:
    """Rank eligible ``applicants`` by priority points (highest first), equal points by lottery key
    from ``seed``; list the ineligible with the requirement they miss. Raises ValueError with a
    sentence on bad input (missing facts, repeated ids, an empty seed)."""
    _check(applicants, criteria, seed)
    _check_requirements(requirements)
    scored: list[tuple[Applicant, int, tuple[tuple[str, int], ...], str]] = []
    excluded: list[Exclusion] = []
    for applicant in applicants:
        failed = _failed_requirement(applicant, requirements)
        if failed is not None:
            excluded.append(Exclusion(applicant.applicant_id, f"Not eligible: {failed}"))
            continue
        detail: list[tuple[str, int]] = []
        for criterion in criteria:
            units = _fact(applicant, criterion.key)
            if units < 0:
                raise ValueError(
                    f"The {criterion.key!r} of applicant {applicant.applicant_id} is negative ({units})."
                )
            if criterion.max_units is not None:
                units = min(units, criterion.max_units)
            detail.append((criterion.key, units * criterion.points_per_unit))
        scored.append(
            (applicant, sum(p for _, p in detail), tuple(detail), lottery_key(seed, applicant.applicant_id))
        )
    # Ties in key are impossible in practice (SHA-256); the id settles them anyway, so the order is total.
    scored.sort(key=lambda s: (-s[1], s[3], s[0].applicant_id))
    ties = Counter(points for _, points, _, _ in scored)
    seen: Counter[int] = Counter()
    ranking = []
    for place, (applicant, points, details, key) in enumerate(scored, 1):
        seen[points] += 1
        parts = "; ".join(f"{k} {p}" for k, p in details) or "no criteria"
        reason = f"Place {place}: {points} points ({parts})"
        if ties[points] == 1:
            reason += f", the only eligible applicant with {points} points."
        else:
            reason += (
                f", tied with {ties[points] - 1} other(s); the lottery key {key[:12]}… is the "
                f"{_ordinal(seen[points])} smallest of the {ties[points]} keys from seed {seed!r}."
            )
        ranking.append(Placement(place, applicant.applicant_id, points, details, key, ties[points], reason))
    return WaitlistRanking(
        seed=seed,
        criteria=tuple(criteria),
        requirements=tuple(requirements),
        ranking=tuple(ranking),
        excluded=tuple(excluded),
    )
