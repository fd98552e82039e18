"""Decision rules for proposals, as an assembly's bylaws state them."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dualpower.core.choice.decision import DecisionRule, count_positions, decide

MAJORITY = DecisionRule.majority()
TWO_THIRDS = DecisionRule.supermajority(Fraction(2, 3))
CONSENSUS = DecisionRule("consensus")
CONSENT = DecisionRule("consent")
MODIFIED = DecisionRule("modified_consensus", fallback=DecisionRule.supermajority(Fraction(3, 4)))


def test_a_simple_majority_needs_more_than_half_of_the_votes_cast() -> None:
    passed = decide(MAJORITY, {"agree": 6, "disagree": 5, "abstain": 9}, eligible=30)
    assert passed.passed and passed.base == 11 and passed.needed == 6
    assert "6 agreed and 5 disagreed" in passed.reason


def test_a_tie_fails_a_simple_majority() -> None:
    result = decide(MAJORITY, {"yes": 5, "no": 5}, eligible=10)
    assert not result.passed and "tie fails" in result.reason


def test_abstentions_do_not_count_as_votes_cast() -> None:
    # 4 of 6 votes cast is two thirds, however many abstain.
    assert decide(TWO_THIRDS, {"agree": 4, "disagree": 2, "abstain": 10}, eligible=20).passed
    assert not decide(TWO_THIRDS, {"agree": 4, "disagree": 3}, eligible=20).passed


def test_a_supermajority_of_eligible_members_differs_from_one_of_votes_cast() -> None:
    votes = {"agree": 14, "disagree": 1, "abstain": 5}
    of_cast = decide(TWO_THIRDS, votes, eligible=30)
    of_eligible = decide(DecisionRule.supermajority(Fraction(2, 3), of="eligible"), votes, eligible=30)
    assert of_cast.passed and of_cast.needed == 10
    assert not of_eligible.passed and of_eligible.needed == 20 and of_eligible.base == 30
    assert "eligible members" in of_eligible.reason


def test_thresholds_are_exact_fractions() -> None:
    # 2/3 of 9 is exactly 6: a float 0.6666… times 9 would give 5.9999… and need 6 too, but
    # 2/3 of 300 votes is 200, which 0.67 (a rounded float) would turn into 201.
    assert decide(TWO_THIRDS, {"agree": 6, "disagree": 3}, eligible=9).passed
    assert decide(TWO_THIRDS, {"agree": 200, "disagree": 100}, eligible=300).needed == 200


def test_a_quorum_not_met_fails_with_the_reason() -> None:
    rule = DecisionRule.majority(quorum=Fraction(1, 2))
    result = decide(rule, {"agree": 10, "disagree": 1}, eligible=30)
    assert not result.passed and result.quorum_met is False and result.quorum_needed == 15
    assert result.stage == "quorum" and "quorum not met" in result.reason
    assert "11 of 30" in result.reason


def test_abstaining_members_count_towards_the_quorum() -> None:
    rule = DecisionRule.majority(quorum=Fraction(1, 2))
    result = decide(rule, {"agree": 10, "disagree": 1, "abstain": 4}, eligible=30)
    assert result.quorum_met is True and result.passed


def test_a_block_stops_a_consensus_decision() -> None:
    result = decide(CONSENSUS, {"agree": 40, "block": 1}, eligible=50)
    assert not result.passed and "blocked" in result.reason


def test_a_stand_aside_does_not_stop_consensus() -> None:
    result = decide(CONSENSUS, ["agree", "agree", "stand aside", "abstain"], eligible=5)
    assert result.passed and "1 member stood aside" in result.reason


def test_too_many_stand_asides_mean_no_consensus_when_the_group_says_so() -> None:
    rule = DecisionRule("consensus", stand_aside_limit=2)
    assert decide(rule, {"agree": 5, "stand_aside": 2}, eligible=10).passed
    assert not decide(rule, {"agree": 5, "stand_aside": 3}, eligible=10).passed


def test_a_disagreement_means_consensus_is_not_reached() -> None:
    result = decide(CONSENSUS, {"agree": 9, "disagree": 1}, eligible=10)
    assert not result.passed and "no consensus" in result.reason


def test_an_unresolved_objection_stops_consent() -> None:
    assert not decide(CONSENT, {"agree": 9, "object": 1}, eligible=10).passed
    result = decide(CONSENT, {"agree": 9, "stand_aside": 1, "abstain": 2}, eligible=12)
    assert result.passed and result.stage == "consent"


def test_modified_consensus_passes_by_consensus_when_nobody_blocks() -> None:
    result = decide(MODIFIED, {"agree": 5, "stand_aside": 1}, eligible=6)
    assert result.passed and result.stage == "consensus" and result.fallback is None


def test_modified_consensus_falls_back_to_a_vote_when_blocked() -> None:
    result = decide(MODIFIED, {"agree": 9, "block": 1}, eligible=12)
    assert result.passed and result.stage == "fallback"
    assert result.fallback is not None and result.fallback.counts["disagree"] == 1
    assert result.needed == 8 and "Consensus was not reached" in result.reason
    failed = decide(MODIFIED, {"agree": 7, "block": 3}, eligible=12)
    assert not failed.passed and failed.stage == "fallback"


def test_modified_consensus_uses_the_fallback_vote_when_one_was_held() -> None:
    result = decide(MODIFIED, {"agree": 6, "block": 4}, eligible=12, fallback_votes={"yes": 9, "no": 1})
    assert result.passed and "a fallback vote was held" in result.reason


def test_votes_may_be_given_one_position_per_member() -> None:
    assert count_positions(["yes", "no", "yes", "stand-aside", "objection"]) == {
        "agree": 2, "disagree": 1, "abstain": 0, "stand_aside": 1, "block": 0, "object": 1,
    }  # fmt: skip


def test_bad_positions_and_counts_are_rejected_with_a_sentence() -> None:
    with pytest.raises(ValueError, match="not a position"):
        decide(MAJORITY, {"maybe": 1}, eligible=5)
    with pytest.raises(ValueError, match="only 3 are eligible"):
        decide(MAJORITY, {"agree": 4}, eligible=3)
    with pytest.raises(ValueError, match="whole number"):
        decide(MAJORITY, {"agree": -1}, eligible=3)
    with pytest.raises(ValueError, match="fallback"):
        DecisionRule("modified_consensus")


def test_decision_results_are_json_serialisable() -> None:
    result = decide(MODIFIED, {"agree": 9, "block": 1}, eligible=12)
    data = json.loads(json.dumps(result.to_json()))
    assert data["threshold"] == "3/4" and data["settings"]["fallback"]["threshold"] == "3/4"
    assert data["fallback"]["passed"] is True


counts = st.fixed_dictionaries(
    {p: st.integers(0, 12) for p in ("agree", "disagree", "abstain", "stand_aside", "block", "object")}
)
thresholds = st.sampled_from([Fraction(1, 2), Fraction(3, 5), Fraction(2, 3), Fraction(3, 4), Fraction(1)])


@settings(max_examples=300, deadline=None)
@given(counts, thresholds, st.integers(0, 20))
def test_a_supermajority_of_eligible_members_is_never_easier_than_of_votes_cast(
    votes: dict[str, int], threshold: Fraction, absent: int
) -> None:
    eligible = sum(votes.values()) + absent
    of_eligible = decide(DecisionRule.supermajority(threshold, of="eligible"), votes, eligible)
    of_cast = decide(DecisionRule.supermajority(threshold), votes, eligible)
    assert not of_eligible.passed or of_cast.passed


@settings(max_examples=300, deadline=None)
@given(counts, thresholds, st.sampled_from(["majority", "consensus", "consent", "modified_consensus"]))
def test_one_more_agree_vote_never_turns_a_pass_into_a_fail(
    votes: dict[str, int], threshold: Fraction, kind: str
) -> None:
    rule = {
        "majority": DecisionRule.supermajority(threshold),
        "consensus": CONSENSUS,
        "consent": CONSENT,
        "modified_consensus": MODIFIED,
    }[kind]
    eligible = sum(votes.values()) + 1
    before = decide(rule, votes, eligible)
    after = decide(rule, {**votes, "agree": votes["agree"] + 1}, eligible)
    assert not before.passed or after.passed
