"""Decision rules for proposals: majority, supermajority, quorum, consensus, consent, modified consensus.

Every rule is a frozen ``DecisionRule``; ``decide`` applies it to the positions members took and
returns a ``DecisionResult`` that says whether the proposal passed and why, in one plain sentence,
with every count and threshold needed to check it by hand. All arithmetic is on integers and
``Fraction``s: "two thirds" is exactly 2/3, never 0.666…. docs/decision-rules.md explains how each
rule counts abstentions, stand-asides, blocks and objections.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Any, Literal

Position = Literal["agree", "disagree", "abstain", "stand_aside", "block", "object"]
POSITIONS: tuple[Position, ...] = ("agree", "disagree", "abstain", "stand_aside", "block", "object")
# The words members and other tools use for the same positions.
_ALIASES: Mapping[str, Position] = MappingProxyType(
    {
        "agree": "agree",
        "yes": "agree",
        "for": "agree",
        "consent": "agree",
        "disagree": "disagree",
        "no": "disagree",
        "against": "disagree",
        "abstain": "abstain",
        "abstention": "abstain",
        "stand_aside": "stand_aside",
        "stand-aside": "stand_aside",
        "stand aside": "stand_aside",
        "block": "block",
        "object": "object",
        "objection": "object",
    }
)

RuleKind = Literal["majority", "supermajority", "consensus", "consent", "modified_consensus"]
Base = Literal["cast", "eligible"]
Comparison = Literal["more_than", "at_least"]
Stage = Literal["quorum", "vote", "consensus", "consent", "fallback"]


@dataclass(frozen=True)
class DecisionRule:
    """How an assembly decides a proposal.

    - ``majority`` / ``supermajority``: agree votes compared with ``threshold`` times the base:
      the votes cast (agree + disagree; abstentions and stand-asides are not votes cast, as in
      Robert's Rules of Order, 12th ed., 44:1–44:4) or all ``eligible`` members. ``comparison``
      says whether agree must be ``more_than`` the fraction (simple majority: more than half) or
      ``at_least`` it (supermajorities: "at least two thirds"). Blocks and objections count as
      disagree votes under a vote.
    - ``consensus``: passes when nobody blocks and nobody disagrees or objects, with at least one
      agree; stand-asides and abstentions do not stop it, unless more than ``stand_aside_limit``
      members stand aside (a group may say that many stand-asides mean there is no consensus).
    - ``consent``: passes when no objection is left unresolved (sociocracy: "good enough for now,
      safe enough to try"); blocks and disagree votes count as objections.
    - ``modified_consensus``: consensus first; if it is blocked or not reached, the ``fallback``
      rule (a vote, e.g. three quarters of votes cast) decides, as in many worker co-op bylaws.
    - ``quorum`` (any kind): at least this fraction of eligible members must take part (take any
      position, abstaining included), or nothing passes.
    """

    kind: RuleKind
    threshold: Fraction | None = None
    of: Base = "cast"
    comparison: Comparison = "at_least"
    quorum: Fraction | None = None
    fallback: DecisionRule | None = None
    stand_aside_limit: int | None = None

    def __post_init__(self) -> None:
        if self.kind in ("majority", "supermajority"):
            if self.threshold is None or not (0 < self.threshold <= 1):
                raise ValueError("A vote needs a threshold above 0 and at most 1.")
            if self.comparison == "more_than" and self.threshold == 1:
                raise ValueError("Nobody can get more than all the votes; use at_least 1 for unanimity.")
        elif self.threshold is not None:
            raise ValueError(
                f"A {self.kind.replace('_', ' ')} rule has no threshold; give it to the fallback."
            )
        if self.quorum is not None and not (0 < self.quorum <= 1):
            raise ValueError("A quorum is a fraction of eligible members above 0 and at most 1.")
        if self.kind == "modified_consensus":
            if self.fallback is None or self.fallback.kind not in ("majority", "supermajority"):
                raise ValueError(
                    "Modified consensus needs a fallback vote (a majority or supermajority rule)."
                )
        elif self.fallback is not None:
            raise ValueError("Only modified consensus has a fallback rule.")
        if self.stand_aside_limit is not None and self.stand_aside_limit < 0:
            raise ValueError("The stand-aside limit cannot be negative.")

    @classmethod
    def majority(cls, *, of: Base = "cast", quorum: Fraction | None = None) -> DecisionRule:
        """More than half of the votes cast (or of all eligible members)."""
        return cls("majority", Fraction(1, 2), of=of, comparison="more_than", quorum=quorum)

    @classmethod
    def supermajority(
        cls, threshold: Fraction, *, of: Base = "cast", quorum: Fraction | None = None
    ) -> DecisionRule:
        """At least ``threshold`` (e.g. 2/3) of the votes cast or of all eligible members."""
        return cls("supermajority", Fraction(threshold), of=of, comparison="at_least", quorum=quorum)

    def settings(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind}
        if self.threshold is not None:
            out.update(threshold=_frac(self.threshold), of=self.of, comparison=self.comparison)
        out["quorum"] = None if self.quorum is None else _frac(self.quorum)
        if self.stand_aside_limit is not None:
            out["stand_aside_limit"] = self.stand_aside_limit
        if self.fallback is not None:
            out["fallback"] = self.fallback.settings()
        return out


@dataclass(frozen=True)
class DecisionResult:
    """The outcome of one decision, with everything needed to check it by hand.

    ``needed`` is the fewest agree votes that would have passed a vote (None for consensus and
    consent); ``quorum_needed`` the fewest participants for the quorum. ``fallback`` holds the
    fallback vote's own result under modified consensus when consensus was not reached.
    """

    passed: bool
    reason: str
    stage: Stage
    counts: Mapping[Position, int]
    eligible: int
    participants: int
    quorum_met: bool | None
    quorum_needed: int | None
    threshold: Fraction | None
    base: int | None
    needed: int | None
    rule: DecisionRule
    fallback: DecisionResult | None = None
    settings: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def to_json(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "reason": self.reason,
            "stage": self.stage,
            "counts": dict(self.counts),
            "eligible": self.eligible,
            "participants": self.participants,
            "quorum_met": self.quorum_met,
            "quorum_needed": self.quorum_needed,
            "threshold": None if self.threshold is None else _frac(self.threshold),
            "base": self.base,
            "needed": self.needed,
            "fallback": None if self.fallback is None else self.fallback.to_json(),
            "settings": dict(self.settings),
        }


def count_positions(votes: Mapping[str, int] | Iterable[str]) -> dict[Position, int]:
    """Counts per position from a mapping (position → count) or one position per member."""
    counts: dict[Position, int] = dict.fromkeys(POSITIONS, 0)
    items: Iterable[tuple[str, int]] = (
        votes.items() if isinstance(votes, Mapping) else ((v, 1) for v in votes)
    )
    for word, n in items:
        position = _ALIASES.get(str(word).strip().lower())
        if position is None:
            raise ValueError(f"{word!r} is not a position; use one of {', '.join(POSITIONS)}.")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise ValueError(f"The count for {word!r} must be a whole number of members, not {n!r}.")
        counts[position] += n
    return counts


def decide(
    rule: DecisionRule,
    votes: Mapping[str, int] | Iterable[str],
    eligible: int,
    *,
    fallback_votes: Mapping[str, int] | Iterable[str] | None = None,
) -> DecisionResult:
    """Apply ``rule`` to the positions members took; ``eligible`` members could have taken part.

    Under modified consensus, ``fallback_votes`` are the votes of the fallback vote when the
    assembly held one; without them the consensus positions are read as votes (agree as yes;
    disagree, object and block as no; abstain and stand aside as abstentions).
    """
    counts = count_positions(votes)
    participants = sum(counts.values())
    if isinstance(eligible, bool) or not isinstance(eligible, int) or eligible < 0:
        raise ValueError("The number of eligible members must be a whole number, 0 or more.")
    if participants > eligible:
        raise ValueError(f"{participants} members took part but only {eligible} are eligible.")
    quorum_needed = None if rule.quorum is None else _ceil(rule.quorum * eligible)
    quorum_met = None if quorum_needed is None else participants >= quorum_needed

    def result(
        passed: bool,
        reason: str,
        stage: Stage,
        *,
        base: int | None = None,
        needed: int | None = None,
        fallback: DecisionResult | None = None,
    ) -> DecisionResult:
        threshold = fallback.threshold if fallback is not None else rule.threshold
        return DecisionResult(
            passed=passed,
            reason=reason,
            stage=stage,
            counts=MappingProxyType(counts),
            eligible=eligible,
            participants=participants,
            quorum_met=quorum_met,
            quorum_needed=quorum_needed,
            threshold=threshold,
            base=base,
            needed=needed,
            rule=rule,
            fallback=fallback,
            settings=MappingProxyType(rule.settings()),
        )

    if rule.quorum is not None and quorum_met is False:
        return result(
            False,
            f"Not passed: quorum not met; {participants} of {eligible} eligible members took part "
            f"and {quorum_needed} were needed ({_frac(rule.quorum)} of the members).",
            "quorum",
        )
    if rule.kind in ("majority", "supermajority"):
        passed, reason, base, needed = _vote(rule, counts, eligible)
        return result(passed, reason, "vote", base=base, needed=needed)
    if rule.kind == "consent":
        return result(*_consent(counts), "consent")
    passed, reason = _consensus(counts, rule.stand_aside_limit)
    if passed or rule.kind == "consensus":
        return result(passed, reason, "consensus")
    assert rule.fallback is not None  # checked in DecisionRule.__post_init__
    fallback_counts = count_positions(fallback_votes) if fallback_votes is not None else _as_vote(counts)
    fallback = decide(rule.fallback, fallback_counts, eligible)
    held = (
        "a fallback vote was held" if fallback_votes is not None else "the positions were counted as a vote"
    )
    why = reason.removeprefix("Not passed: ").removesuffix(".")
    reason = f"Consensus was not reached ({why}), so {held}. {fallback.reason}"
    return result(
        fallback.passed, reason, "fallback", base=fallback.base, needed=fallback.needed, fallback=fallback
    )


def _vote(rule: DecisionRule, counts: Mapping[Position, int], eligible: int) -> tuple[bool, str, int, int]:
    # Blocks and objections are "no" votes when the question is put to a vote.
    yes = counts["agree"]
    no = counts["disagree"] + counts["block"] + counts["object"]
    abstained = counts["abstain"] + counts["stand_aside"]
    base = yes + no if rule.of == "cast" else eligible
    threshold = rule.threshold
    assert threshold is not None
    more_than = rule.comparison == "more_than"
    # Fewest agree votes that pass: more than t·base means floor(t·base) + 1; at least means ceil.
    needed = (threshold * base).__floor__() + 1 if more_than else _ceil(threshold * base)
    needed = max(needed, 1)  # nothing passes without a single agree vote
    what = "votes cast" if rule.of == "cast" else "eligible members"
    share = _share_words(threshold)
    need_words = f"{'more than' if more_than else 'at least'} {share} of the {what}"
    tail = f"; {abstained} abstained or stood aside" if abstained else ""
    if base == 0:
        return False, f"Not passed: no votes were cast for or against{tail}.", base, needed
    passed = yes >= needed
    verdict = "Passed" if passed else "Not passed"
    tie = " (a tie fails)" if not passed and yes == no and rule.of == "cast" else ""
    reason = (
        f"{verdict}: {yes} agreed and {no} disagreed{tail}; {need_words} ({needed} of {base}) "
        f"had to agree{tie}."
    )
    return passed, reason, base, needed


def _consensus(counts: Mapping[Position, int], stand_aside_limit: int | None) -> tuple[bool, str]:
    blocks, against = counts["block"], counts["disagree"] + counts["object"]
    aside = counts["stand_aside"]
    if blocks:
        return False, f"Not passed: {_members(blocks)} blocked, and any block stops consensus."
    if against:
        return False, f"Not passed: no consensus, {_members(against)} disagreed or objected."
    if stand_aside_limit is not None and aside > stand_aside_limit:
        return False, (
            f"Not passed: {_members(aside)} stood aside, more than the {stand_aside_limit} the group allows "
            f"for a consensus."
        )
    if counts["agree"] == 0:
        return False, "Not passed: nobody agreed, so there is no consensus."
    extra = f"; {_members(aside)} stood aside" if aside else ""
    return True, f"Passed by consensus: {_members(counts['agree'])} agreed and nobody blocked{extra}."


def _consent(counts: Mapping[Position, int]) -> tuple[bool, str]:
    objections = counts["object"] + counts["block"] + counts["disagree"]
    if objections:
        return False, (
            f"Not passed: {_plural(objections, 'objection')} unresolved; consent needs every objection "
            f"resolved."
        )
    if counts["agree"] == 0:
        return False, "Not passed: nobody consented."
    return True, f"Passed by consent: {_members(counts['agree'])} consented and no objection is left."


def _as_vote(counts: Mapping[Position, int]) -> dict[Position, int]:
    return {
        "agree": counts["agree"],
        "disagree": counts["disagree"] + counts["object"] + counts["block"],
        "abstain": counts["abstain"] + counts["stand_aside"],
        "stand_aside": 0,
        "block": 0,
        "object": 0,
    }


def _ceil(x: Fraction) -> int:
    return -((-x.numerator) // x.denominator)


def _frac(x: Fraction) -> str:
    return f"{x.numerator}/{x.denominator}"


def _share_words(t: Fraction) -> str:
    words = {Fraction(1, 2): "half", Fraction(2, 3): "two thirds", Fraction(3, 4): "three quarters"}
    return words.get(t, _frac(t))


def _plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def _members(n: int) -> str:
    return _plural(n, "member")
