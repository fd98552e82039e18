"""Approval, plurality, score (range) and Borda polls.

Inputs are plain Python, as an assembly reads them from its database: the option ids, then one
ballot per member. Every count is exact (integers, or ``Fraction`` for averages and Dowdall points).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Literal

from dualpower.core.choice.polls.result import PollResult, PollTieBreak, build_result, check_options, unknown

BordaVariant = Literal["standard", "modified", "dowdall"]
ScoreAggregate = Literal["sum", "mean"]


def approval(
    options: Iterable[str],
    ballots: Iterable[Iterable[str]],
    *,
    winners: int = 1,
    tie_break: PollTieBreak | None = None,
) -> PollResult:
    """Each member approves any number of options; the options approved by most members win.

    An empty ballot is blank. Approving the same option twice on one ballot is an error.
    """
    opts = check_options(options)
    tally = dict.fromkeys(opts, 0)
    counted = blank = 0
    for ballot in ballots:
        chosen = list(ballot)
        if len(set(chosen)) != len(chosen):
            raise ValueError("An approval ballot approves each option at most once.")
        for option in chosen:
            if option not in tally:
                raise unknown(option, opts)
            tally[option] += 1
        counted += 1
        blank += not chosen
    return build_result(
        "approval",
        opts,
        tally.__getitem__,
        tally,
        winners=winners,
        tie_break=tie_break,
        ballots=counted,
        blank=blank,
        settings={"rule": "approval"},
    )


def plurality(
    options: Iterable[str],
    ballots: Iterable[str | None],
    *,
    winners: int = 1,
    tie_break: PollTieBreak | None = None,
) -> PollResult:
    """Each member names one option (``None`` or "" for a blank ballot); the most named wins.

    ``details[winner]["majority"]`` says whether the winner was named on more than half of the
    non-blank ballots, which plurality alone does not require.
    """
    opts = check_options(options)
    tally = dict.fromkeys(opts, 0)
    counted = blank = 0
    for choice in ballots:
        counted += 1
        if choice is None or choice == "":
            blank += 1
            continue
        if choice not in tally:
            raise unknown(choice, opts)
        tally[choice] += 1
    valid = counted - blank
    details = {o: {"majority": 2 * tally[o] > valid} for o in opts}
    return build_result(
        "plurality",
        opts,
        tally.__getitem__,
        tally,
        winners=winners,
        tie_break=tie_break,
        ballots=counted,
        blank=blank,
        settings={"rule": "plurality"},
        details=details,
    )


def score(
    options: Iterable[str],
    ballots: Iterable[Mapping[str, int]],
    *,
    min_score: int = 0,
    max_score: int = 10,
    aggregate: ScoreAggregate = "sum",
    winners: int = 1,
    tie_break: PollTieBreak | None = None,
) -> PollResult:
    """Score (range) voting: each member gives options a whole-number score in [min, max].

    ``sum``: an option's score is the total of its scores, an unscored option counting as
    ``min_score``. ``mean``: the average over the members who scored it (an exact ``Fraction``);
    options nobody scored rank last, with no score. An empty ballot is blank.
    """
    opts = check_options(options)
    if min_score >= max_score:
        raise ValueError("The highest score must be above the lowest.")
    if aggregate not in ("sum", "mean"):
        raise ValueError(f"Scores are aggregated by 'sum' or 'mean', not {aggregate!r}.")
    totals = dict.fromkeys(opts, 0)
    raters = dict.fromkeys(opts, 0)
    counted = blank = 0
    for ballot in ballots:
        counted += 1
        blank += not ballot
        for option, value in ballot.items():
            if option not in totals:
                raise unknown(option, opts)
            if isinstance(value, bool) or not isinstance(value, int) or not min_score <= value <= max_score:
                raise ValueError(
                    f"A score must be a whole number from {min_score} to {max_score}, not {value!r}."
                )
            totals[option] += value
            raters[option] += 1
    scores: dict[str, int | Fraction | None]
    if aggregate == "sum":
        # An unscored option counts as the lowest score, so shorter ballots do not favour it.
        scores = {o: totals[o] + (counted - blank - raters[o]) * min_score for o in opts}
    else:
        scores = {o: Fraction(totals[o], raters[o]) if raters[o] else None for o in opts}

    def key(o: str) -> tuple[bool, int | Fraction]:
        value = scores[o]
        return (value is not None, 0 if value is None else value)

    settings = {"rule": "score", "min_score": min_score, "max_score": max_score, "aggregate": aggregate}
    details = {o: {"scored_by": raters[o], "total": totals[o]} for o in opts}
    return build_result(
        "score",
        opts,
        key,
        scores,
        winners=winners,
        tie_break=tie_break,
        ballots=counted,
        blank=blank,
        settings=settings,
        details=details,
    )


def borda(
    options: Iterable[str],
    ballots: Iterable[Sequence[str]],
    *,
    variant: BordaVariant = "standard",
    winners: int = 1,
    tie_break: PollTieBreak | None = None,
) -> PollResult:
    """Borda count: each ballot ranks options, most preferred first; places earn points.

    With n options and a ballot ranking m of them, the option in place k (1 = first) earns
    - ``standard``: n − k points (Borda 1781); unranked options earn 0;
    - ``modified``: m − k + 1 points (Emerson's modified Borda count, so ranking fewer options
      gives fewer points to hand out); unranked options earn 0;
    - ``dowdall``: 1/k points (Nauru's Dowdall system); unranked options earn 0.
    """
    opts = check_options(options)
    if variant not in ("standard", "modified", "dowdall"):
        raise ValueError(f"The Borda variant is 'standard', 'modified' or 'dowdall', not {variant!r}.")
    n = len(opts)
    points: dict[str, int | Fraction] = dict.fromkeys(opts, 0)
    first = dict.fromkeys(opts, 0)
    counted = blank = 0
    for ballot in ballots:
        ranking = list(ballot)
        counted += 1
        blank += not ranking
        if len(set(ranking)) != len(ranking):
            raise ValueError("A ranked ballot lists each option at most once.")
        m = len(ranking)
        for place, option in enumerate(ranking, start=1):
            if option not in points:
                raise unknown(option, opts)
            if variant == "standard":
                points[option] += n - place
            elif variant == "modified":
                points[option] += m - place + 1
            else:
                points[option] += Fraction(1, place)
        if ranking:
            first[ranking[0]] += 1
    details = {o: {"first_preferences": first[o]} for o in opts}
    return build_result(
        "borda",
        opts,
        points.__getitem__,
        points,
        winners=winners,
        tie_break=tie_break,
        ballots=counted,
        blank=blank,
        settings={"rule": "borda", "variant": variant},
        details=details,
    )
