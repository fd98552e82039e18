"""Approval, plurality, score, Borda and majority judgment: textbook examples and recorded ties."""

from __future__ import annotations

import json
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualpower.core.choice.polls import (
    PollTieBreak,
    approval,
    borda,
    majority_judgment,
    plurality,
    score,
)

# Wikipedia's Tennessee capital example: 42% Memphis voters, 26% Nashville, 15% Chattanooga, 17% Knoxville.
CITIES = ("Memphis", "Nashville", "Chattanooga", "Knoxville")
TENNESSEE = (
    [("Memphis", "Nashville", "Chattanooga", "Knoxville")] * 42
    + [("Nashville", "Chattanooga", "Knoxville", "Memphis")] * 26
    + [("Chattanooga", "Knoxville", "Nashville", "Memphis")] * 15
    + [("Knoxville", "Chattanooga", "Nashville", "Memphis")] * 17
)


def test_plurality_elects_memphis_in_the_tennessee_example_without_a_majority() -> None:
    result = plurality(CITIES, [ballot[0] for ballot in TENNESSEE])
    assert result.winners == ("Memphis",)
    assert dict(result.scores) == {"Memphis": 42, "Nashville": 26, "Chattanooga": 15, "Knoxville": 17}
    assert result.details["Memphis"]["majority"] is False


def test_plurality_counts_blank_ballots_apart() -> None:
    result = plurality(("yes", "no"), ["yes", None, "no", "", "yes"])
    assert result.winners == ("yes",) and result.blank == 2 and result.ballots == 5
    assert result.details["yes"]["majority"] is True  # 2 of the 3 non-blank ballots


def test_borda_elects_nashville_in_the_tennessee_example() -> None:
    result = borda(CITIES, TENNESSEE)
    assert dict(result.scores) == {"Nashville": 194, "Chattanooga": 173, "Memphis": 126, "Knoxville": 107}
    assert result.ranking == ("Nashville", "Chattanooga", "Memphis", "Knoxville")


def test_borda_variants_score_truncated_ballots_differently() -> None:
    ballots = [("a",), ("b", "c")]
    assert dict(borda("abc", ballots).scores) == {"a": 2, "b": 2, "c": 1}
    # Emerson's modified Borda count: ranking one option gives it 1 point, not n - 1.
    assert dict(borda("abc", ballots, variant="modified").scores) == {"a": 1, "b": 2, "c": 1}
    assert dict(borda("abc", ballots, variant="dowdall").scores) == {"a": 1, "b": 1, "c": Fraction(1, 2)}


def test_approval_elects_the_most_approved_options() -> None:
    ballots = [{"park", "library"}, {"park"}, {"library", "pool"}, {"park", "pool"}, set()]
    result = approval(
        ["park", "library", "pool"],
        ballots,
        winners=2,
        tie_break=PollTieBreak("order", order=("pool", "library", "park")),
    )
    assert dict(result.scores) == {"park": 3, "library": 2, "pool": 2}
    assert result.winners == ("park", "pool")  # library and pool tie; the recorded order prefers pool
    assert result.ties == (("pool", "library"),) and result.tie_decided
    assert result.blank == 1


def test_a_tie_outside_the_winners_is_recorded_but_does_not_decide() -> None:
    result = approval("abc", [["a", "b"], ["a", "c"]], tie_break=PollTieBreak("order", order=("c", "b", "a")))
    assert result.winners == ("a",) and result.ties == (("c", "b"),) and not result.tie_decided


def test_a_tie_broken_by_lot_is_recorded_and_replays() -> None:
    results = [plurality("abcd", list("abcd"), tie_break=PollTieBreak("lot", seed=s)) for s in range(10)]
    assert len({r.winners for r in results}) > 1
    for r in results:
        order = tuple(r.settings["tie_break"]["order"])
        assert r.winners == (order[0],)
        assert (
            plurality("abcd", list("abcd"), tie_break=PollTieBreak("order", order=order)).ranking == r.ranking
        )


def test_score_sum_counts_unscored_options_as_the_lowest_score() -> None:
    ballots = [{"a": 5, "b": 3}, {"a": 1}, {"b": 4, "c": 5}]
    result = score("abc", ballots, min_score=1, max_score=5)
    # c: 5 from one ballot plus the lowest score (1) for the two ballots that left it out.
    assert dict(result.scores) == {"a": 6 + 1, "b": 7 + 1, "c": 5 + 2}
    assert result.winners == ("b",)


def test_score_mean_averages_over_those_who_scored_exactly() -> None:
    ballots = [{"a": 5, "b": 3}, {"a": 2}, {"b": 4}]
    result = score("abc", ballots, max_score=5, aggregate="mean")
    assert result.scores["a"] == Fraction(7, 2) and result.scores["b"] == Fraction(7, 2)
    assert result.scores["c"] is None and result.ranking[-1] == "c"
    assert json.loads(json.dumps(result.to_json()))["scores"]["a"] == "7/2"


def test_score_rejects_scores_out_of_range() -> None:
    with pytest.raises(ValueError, match="from 0 to 5"):
        score("ab", [{"a": 6}], max_score=5)


GRADES = ("reject", "poor", "fair", "good", "excellent")


def test_majority_judgment_ranks_by_median_grade() -> None:
    ballots = [
        {"a": "excellent", "b": "good"},
        {"a": "poor", "b": "good"},
        {"a": "reject", "b": "fair"},
    ]
    result = majority_judgment("ab", ballots, grades=GRADES)
    assert dict(result.scores) == {"a": "poor", "b": "good"}
    assert result.winners == ("b",)
    assert result.details["a"]["above"] == 1 and result.details["a"]["below"] == 1


def test_majority_judgment_breaks_equal_medians_by_removing_median_grades() -> None:
    # Balinski and Laraki's tie-break: both medians are "good". Removing one median grade leaves
    # a: fair, good, good, excellent → lower median good; b: poor, good, excellent, excellent → good;
    # removing again: a: fair, good, excellent → good; b: poor, excellent, excellent → excellent.
    a = ["fair", "good", "good", "good", "excellent"]
    b = ["poor", "good", "good", "excellent", "excellent"]
    ballots = [{"a": x, "b": y} for x, y in zip(a, b, strict=True)]
    result = majority_judgment(
        "ab", ballots, grades=GRADES, tie_break=PollTieBreak("order", order=("a", "b"))
    )
    assert dict(result.scores) == {"a": "good", "b": "good"}
    assert result.winners == ("b",) and not result.ties


def test_majority_judgment_lower_median_with_an_even_number_of_grades() -> None:
    ballots = [{"a": "poor"}, {"a": "excellent"}]
    assert majority_judgment("a", ballots, grades=GRADES).scores["a"] == "poor"


def test_majority_judgment_gives_ungraded_options_the_worst_grade() -> None:
    result = majority_judgment("ab", [{"a": "good"}, {"a": "good", "b": "excellent"}, {}], grades=GRADES)
    assert result.details["b"]["grades"]["reject"] == 1 and result.blank == 1
    assert result.scores["b"] == "reject"  # lower median of reject, excellent


def test_polls_reject_unknown_options_and_repeats() -> None:
    with pytest.raises(ValueError, match="not an option"):
        approval("ab", [["c"]])
    with pytest.raises(ValueError, match="at most once"):
        borda("ab", [["a", "a"]])
    with pytest.raises(ValueError, match="not a grade"):
        majority_judgment("ab", [{"a": "superb"}], grades=GRADES)
    with pytest.raises(ValueError, match="winners"):
        plurality("ab", ["a"], winners=3)


def test_poll_results_are_json_serialisable_with_their_settings() -> None:
    data = json.loads(json.dumps(borda(CITIES, TENNESSEE, variant="dowdall").to_json()))
    assert data["settings"]["variant"] == "dowdall"
    assert data["settings"]["tie_break"]["kind"] == "lot"
    assert data["selected"] == data["winners"] == [data["ranking"][0]]


grade_ballots = st.lists(
    st.fixed_dictionaries({o: st.sampled_from(GRADES) for o in "abc"}), min_size=1, max_size=15
)


def _literal_majority_value(grades: list[str]) -> tuple[int, ...]:
    # Balinski and Laraki's definition, literally: take the lower median, remove it, repeat.
    left = sorted(GRADES.index(g) for g in grades)
    out = []
    while left:
        out.append(left.pop((len(left) - 1) // 2))
    return tuple(out)


@settings(max_examples=200, deadline=None)
@given(grade_ballots)
def test_majority_judgment_orders_options_by_their_majority_values(ballots: list[dict[str, str]]) -> None:
    result = majority_judgment(
        "abc", ballots, grades=GRADES, tie_break=PollTieBreak("order", order=tuple("abc"))
    )
    values = {o: _literal_majority_value([b[o] for b in ballots]) for o in "abc"}
    expected = sorted("abc", key=lambda o: ([-v for v in values[o]], "abc".index(o)))
    assert list(result.ranking) == expected
    assert all(result.scores[o] == GRADES[values[o][0]] for o in "abc")


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.permutations("abcd").flatmap(lambda p: st.integers(0, 4).map(lambda k: p[:k])), max_size=20),
    st.randoms(use_true_random=False),
)
def test_borda_and_approval_do_not_depend_on_ballot_order(
    ballots: list[list[str]], rnd: random.Random
) -> None:
    shuffled = list(ballots)
    rnd.shuffle(shuffled)
    assert borda("abcd", ballots).to_json() == borda("abcd", shuffled).to_json()
    assert approval("abcd", ballots).to_json() == approval("abcd", shuffled).to_json()
