"""Turning collected ballots into a result with dualpower.core.choice.

The services gather ballots (open votes with their delegated weight, secret ballots, or the
tallies a meeting recorded) into ``Entry`` rows; ``count`` hands them to the right engine and
returns everything the outcome record keeps. No counting rule lives here: only the translation
between the assembly's ballots and the engines' inputs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from math import ceil
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from dualpower.assemblies.processes import SCORE_MAX, Process, fraction
from dualpower.core.choice import decision
from dualpower.core.choice.polls import approval, score
from dualpower.core.choice.polls.result import PollTieBreak
from dualpower.core.choice.ranked.election import RankedElection
from dualpower.core.choice.ranked.irv import irv
from dualpower.core.choice.ranked.stv import scottish_stv


@dataclass(frozen=True)
class Entry:
    position: str = ""
    choices: Any = None
    weight: int = 1


@dataclass
class Count:
    passed: bool | None
    rule: dict[str, Any]
    tally: dict[str, Any]
    participants: int
    quorum_needed: int | None
    quorum_met: bool | None
    statement: str
    winners: list[str] = field(default_factory=list)  # option ids


def count(
    *,
    process: Process,
    entries: Sequence[Entry],
    eligible: int,
    policy: Any,
    options: Sequence[tuple[str, str]] = (),
    seats: int = 1,
    seed: int = 0,
) -> Count:
    """Count ``entries`` (one per voter, weighted) among ``eligible`` members.

    ``options`` are (id, label) pairs for polls and elections; ``seed`` draws the lot that breaks
    ties, recorded in the tally so the count can be replayed.
    """
    participants = sum(e.weight for e in entries)
    quorum = fraction(policy.quorum)
    quorum_needed = None if quorum is None else ceil(quorum * eligible)
    quorum_met = None if quorum_needed is None else participants >= quorum_needed
    if process.rule is not None:
        return _positions(process, entries, eligible, policy, participants, quorum_needed, quorum_met)
    if process.shape == "advice":
        counts = decision.count_positions({e.position: e.weight for e in _merge(entries)})
        return Count(
            passed=None,
            rule={"kind": "advice"},
            tally={"counts": dict(counts), "participants": participants},
            participants=participants,
            quorum_needed=quorum_needed,
            quorum_met=quorum_met,
            statement=ngettext(
                "Advice was given by %(n)d of %(e)d member. The author now decides.",
                "Advice was given by %(n)d of %(e)d members. The author now decides.",
                eligible,
            )
            % {"n": participants, "e": eligible},
        )
    labels = dict(options)
    ids = [oid for oid, _label in options]
    if quorum_met is False:
        return Count(
            passed=False,
            rule={"kind": process.key, "quorum": _frac(quorum)},
            tally={"participants": participants},
            participants=participants,
            quorum_needed=quorum_needed,
            quorum_met=False,
            statement=ngettext(
                "No result: %(n)d of %(e)d member took part, fewer than the quorum of %(q)d.",
                "No result: %(n)d of %(e)d members took part, fewer than the quorum of %(q)d.",
                eligible,
            )
            % {"n": participants, "e": eligible, "q": quorum_needed or 0},
        )
    if not entries:
        return Count(
            passed=False,
            rule={"kind": process.key},
            tally={"participants": 0},
            participants=0,
            quorum_needed=quorum_needed,
            quorum_met=quorum_met,
            statement=_("No result: nobody took part."),
        )
    seats = max(1, min(seats, len(ids))) if process.multi_winner else 1
    tie = PollTieBreak(kind="lot", seed=seed)
    if process.shape in ("approval", "time"):
        result = approval(
            ids, _repeat([list(e.choices or []) for e in entries], entries), winners=seats, tie_break=tie
        )
        tally, winners = result.to_json(), list(result.winners)
    elif process.shape == "score":
        ballots = [{k: int(v) for k, v in dict(e.choices or {}).items()} for e in entries]
        result = score(ids, _repeat(ballots, entries), max_score=SCORE_MAX, winners=seats, tie_break=tie)
        tally, winners = result.to_json(), list(result.winners)
    elif process.shape == "dots":
        ballots = [{k: int(v) for k, v in dict(e.choices or {}).items() if int(v) > 0} for e in entries]
        top = max([sum(b.values()) for b in ballots] + [1])
        result = score(ids, _repeat(ballots, entries), max_score=top, winners=seats, tie_break=tie)
        tally, winners = result.to_json(), list(result.winners)
    else:
        index = {oid: i for i, oid in enumerate(ids)}
        election = RankedElection(
            candidates=tuple(labels[i] for i in ids),
            candidate_ids=tuple(ids),
            seats=seats,
            rankings=tuple(tuple(index[o] for o in (e.choices or [])) for e in entries),
            weights=tuple(e.weight for e in entries),
        )
        try:
            ranked = irv(election, lot_seed=seed) if seats == 1 else scottish_stv(election, lot_seed=seed)
        except ValueError as exc:  # every ballot blank
            return Count(
                passed=False,
                rule={"kind": process.key, "seats": seats},
                tally={"participants": participants, "error": str(exc)},
                participants=participants,
                quorum_needed=quorum_needed,
                quorum_met=quorum_met,
                statement=_("No result: there were no valid ballots to count."),
            )
        tally, winners = ranked.to_json(), list(ranked.elected)
    names = ", ".join(labels[w] for w in winners)
    if process.multi_winner and seats > 1:
        statement = ngettext(
            "Chosen (%(s)d places), by %(n)d of %(e)d member: %(w)s.",
            "Chosen (%(s)d places), by %(n)d of %(e)d members: %(w)s.",
            eligible,
        )
    else:
        statement = ngettext(
            "Chosen by %(n)d of %(e)d member taking part: %(w)s.",
            "Chosen by %(n)d of %(e)d members taking part: %(w)s.",
            eligible,
        )
    return Count(
        passed=True,
        rule={"kind": process.key, "seats": seats, "quorum": _frac(quorum)},
        tally=tally,
        participants=participants,
        quorum_needed=quorum_needed,
        quorum_met=quorum_met,
        statement=statement % {"s": seats, "n": participants, "e": eligible, "w": names},
        winners=winners,
    )


def _positions(
    process: Process,
    entries: Sequence[Entry],
    eligible: int,
    policy: Any,
    participants: int,
    quorum_needed: int | None,
    quorum_met: bool | None,
) -> Count:
    assert process.rule is not None
    rule = process.rule(policy)
    votes: dict[str, int] = {}
    for e in entries:
        votes[e.position] = votes.get(e.position, 0) + e.weight
    result = decision.decide(rule, votes, eligible)
    return Count(
        passed=result.passed,
        rule=rule.settings(),
        tally=result.to_json(),
        participants=result.participants,
        quorum_needed=result.quorum_needed,
        quorum_met=result.quorum_met,
        statement=result.reason,
    )


def _merge(entries: Sequence[Entry]) -> list[Entry]:
    merged: dict[str, int] = {}
    for e in entries:
        merged[e.position] = merged.get(e.position, 0) + e.weight
    return [Entry(position=p, weight=w) for p, w in merged.items()]


def _repeat(ballots: list[Any], entries: Sequence[Entry]) -> list[Any]:
    """Polls count one ballot per person: a delegate's ballot counts once per vote they carry."""
    out: list[Any] = []
    for ballot, entry in zip(ballots, entries, strict=True):
        out.extend([ballot] * entry.weight)
    return out


def _frac(value: Any) -> str | None:
    return None if value is None else f"{value.numerator}/{value.denominator}"
