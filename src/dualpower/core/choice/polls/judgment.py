"""Majority judgment (Balinski and Laraki, "Majority Judgment", MIT Press, 2011).

Each member grades every option on a common scale (e.g. reject, poor, acceptable, good, very good,
excellent). An option's grade is its median grade, the lower middle one when the number of grades
is even (the "majority grade": a majority gave it at least that). Options with the same median are
separated by removing one median grade from each and comparing the new medians, again and again:
the ranking is the lexicographic order of these "majority values" (Balinski and Laraki, ch. 13).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import numpy.typing as npt

from dualpower.core.choice.polls.result import PollResult, PollTieBreak, build_result, check_options, unknown


def majority_judgment(
    options: Iterable[str],
    ballots: Iterable[Mapping[str, str]],
    *,
    grades: Sequence[str],
    winners: int = 1,
    tie_break: PollTieBreak | None = None,
) -> PollResult:
    """Rank ``options`` by majority judgment; ``grades`` lists the grade names, worst first.

    A member who grades some options but not others gives the others the worst grade, as
    Balinski and Laraki prescribe for an unevaluated candidate; an empty ballot is blank and
    not counted. ``scores[o]`` is o's majority grade; ``details[o]`` has its count per grade,
    and how many gave it more or less than its majority grade (its "majority gauge").
    """
    opts = check_options(options)
    scale = tuple(grades)
    if len(scale) < 2 or len(set(scale)) != len(scale):
        raise ValueError("Majority judgment needs at least two different grades.")
    level = {g: k for k, g in enumerate(scale)}
    counts = {o: [0] * len(scale) for o in opts}
    counted = blank = 0
    for ballot in ballots:
        counted += 1
        if not ballot:
            blank += 1
            continue
        for option, grade in ballot.items():
            if option not in counts:
                raise unknown(option, opts)
            if grade not in level:
                raise ValueError(f"{grade!r} is not a grade; use one of {', '.join(scale)}.")
        for option in opts:
            counts[option][level.get(ballot.get(option, scale[0]), 0)] += 1
    graded = counted - blank
    if graded == 0:
        raise ValueError("Majority judgment needs at least one ballot that grades the options.")
    values = {o: _majority_value(counts[o]) for o in opts}
    medians = {o: scale[values[o][0]] for o in opts}
    details = {}
    for o in opts:
        m = values[o][0]
        details[o] = {
            "grades": dict(zip(scale, counts[o], strict=True)),
            "above": sum(counts[o][m + 1 :]),
            "below": sum(counts[o][:m]),
        }
    return build_result(
        "majority-judgment",
        opts,
        values.__getitem__,
        medians,
        winners=winners,
        tie_break=tie_break,
        ballots=counted,
        blank=blank,
        settings={"rule": "majority-judgment", "grades": list(scale)},
        details=details,
    )


def _majority_value(count: Sequence[int]) -> tuple[int, ...]:
    """The majority value: the lower median, then the lower median of what is left, and so on."""
    ordered = np.repeat(np.arange(len(count)), count)
    return tuple(ordered[_median_order(len(ordered))].tolist())


@functools.cache
def _median_order(n: int) -> npt.NDArray[np.int64]:
    """Positions in a sorted list of n grades, in the order repeated lower medians remove them.

    Removing medians takes them from the middle outwards: the lower median m first, then the
    right neighbour when an odd number remain, else the left one: the k-th removal after the
    first takes m ± ceil(k / 2).
    """
    m = (n - 1) // 2
    k = np.arange(1, n)
    step = (k + 1) // 2
    # After k removals n - k grades remain: odd means take the right neighbour.
    right = (n - k) % 2 == 1
    rest = np.where(right, m + step, m - step)
    return np.concatenate(([m], rest)).astype(np.int64)
