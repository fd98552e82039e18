"""What every poll returns, and how ties between options are broken.

A poll's ties are broken by an order on the options fixed before counting: either an order the
assembly recorded (for instance the order the options were proposed) or a lot drawn from a recorded
seed. The order actually used is stored in the result, so anyone can replay the count.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Literal, TypeVar

PollTieBreakKind = Literal["lot", "order"]
K = TypeVar("K")


@dataclass(frozen=True)
class PollTieBreak:
    """How ties between options are broken.

    - ``lot`` (default): the options, in the order given, shuffled once with ``random.Random(seed)``;
      the first option of the shuffled list wins every tie.
    - ``order``: the recorded ``order`` of option ids, first preferred.
    """

    kind: PollTieBreakKind = "lot"
    seed: int = 0
    order: tuple[str, ...] = ()

    def resolve(self, options: Sequence[str]) -> tuple[str, ...]:
        """The full tie-break order on ``options`` (first wins every tie)."""
        if self.kind == "order":
            missing = [o for o in options if o not in self.order]
            if missing:
                raise ValueError(f"The tie-break order does not list option(s) {', '.join(missing)}.")
            wanted = set(options)
            return tuple(o for o in self.order if o in wanted)
        lot = list(options)
        random.Random(self.seed).shuffle(lot)
        return tuple(lot)

    def settings(self, options: Sequence[str]) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.kind == "lot":
            out["seed"] = self.seed
        out["order"] = list(self.resolve(options))
        return out


@dataclass(frozen=True)
class PollResult:
    """The result of one poll.

    ``ranking`` orders every option from best to worst (ties broken by the recorded rule);
    ``winners`` is its head. ``scores`` is each option's score under the rule (an int or a
    ``Fraction``; for majority judgment the median grade). ``ties`` lists every group of options
    whose scores were equal, in ranking order; ``tie_decided`` is True when the tie-break decided
    who won. ``details`` holds per-option data (grade counts, how many scored it, ...).
    """

    rule: str
    options: tuple[str, ...]
    ranking: tuple[str, ...]
    winners: tuple[str, ...]
    scores: Mapping[str, Any]
    ties: tuple[tuple[str, ...], ...]
    tie_decided: bool
    ballots: int
    blank: int
    settings: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    details: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))

    def to_json(self) -> dict[str, Any]:
        return {
            "rule": self.rule,
            "options": list(self.options),
            "ranking": list(self.ranking),
            "winners": list(self.winners),
            "selected": list(self.winners),
            "scores": {k: json_value(v) for k, v in self.scores.items()},
            "ties": [list(t) for t in self.ties],
            "tie_decided": self.tie_decided,
            "ballots": self.ballots,
            "blank": self.blank,
            "settings": json_value(dict(self.settings)),
            "details": json_value({k: dict(v) for k, v in self.details.items()}),
        }


def json_value(value: Any) -> Any:
    """Fractions as "p/q" text (whole numbers as ints), containers recursively."""
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else f"{value.numerator}/{value.denominator}"
    if isinstance(value, Mapping):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    return value


def check_options(options: Iterable[str]) -> tuple[str, ...]:
    opts = tuple(options)
    if not opts:
        raise ValueError("A poll needs at least one option.")
    if len(set(opts)) != len(opts):
        raise ValueError("Each option may be listed only once.")
    return opts


def check_winners(winners: int, options: Sequence[str]) -> None:
    if not 1 <= winners <= len(options):
        raise ValueError(f"The number of winners must be between 1 and {len(options)}, not {winners}.")


def unknown(option: object, options: Sequence[str]) -> ValueError:
    return ValueError(f"A ballot names {option!r}, which is not an option of this poll.")


def build_result(
    rule: str,
    options: tuple[str, ...],
    key: Callable[[str], Hashable],
    scores: Mapping[str, Any],
    *,
    winners: int,
    tie_break: PollTieBreak | None,
    ballots: int,
    blank: int,
    settings: Mapping[str, Any],
    details: Mapping[str, Mapping[str, Any]] | None = None,
) -> PollResult:
    """Rank ``options`` by ``key`` (larger is better), breaking ties by ``tie_break``."""
    check_winners(winners, options)
    tie_break = tie_break or PollTieBreak()
    place = {o: k for k, o in enumerate(tie_break.resolve(options))}
    ranking = tuple(sorted(options, key=lambda o: (_Desc(key(o)), place[o])))
    groups: list[tuple[str, ...]] = []
    for option in ranking:
        if groups and key(groups[-1][0]) == key(option):
            groups[-1] = (*groups[-1], option)
        else:
            groups.append((option,))
    ties = tuple(g for g in groups if len(g) > 1)
    cut = set(ranking[:winners])
    tie_decided = any(cut & set(g) and set(g) - cut for g in ties)
    return PollResult(
        rule=rule,
        options=options,
        ranking=ranking,
        winners=ranking[:winners],
        scores=MappingProxyType(dict(scores)),
        ties=ties,
        tie_decided=tie_decided,
        ballots=ballots,
        blank=blank,
        settings=MappingProxyType({**settings, "winners": winners, "tie_break": tie_break.settings(options)}),
        details=MappingProxyType(dict(details or {})),
    )


class _Desc:
    """Sorts its value in descending order (values need only ``<`` and ``==``)."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Desc) -> bool:
        return bool(other.value < self.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and bool(self.value == other.value)

    __hash__ = None  # type: ignore[assignment]
