"""The outcome is written when the page is shown, from the count kept as data: in the reader's
language, once ("Passed by consent.", not "Passed. Passed by consent"), shares as percentages."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from dualpower.assemblies.verdicts import percent, verdict


def _outcome(**kwargs: Any) -> Any:
    base = {
        "process": "consent",
        "passed": True,
        "tally": {},
        "rule": {},
        "eligible": 10,
        "participants": 6,
        "quorum_needed": None,
        "quorum_met": None,
        "winners": [],
        "statement": "stored",
    }
    return SimpleNamespace(**{**base, **kwargs})


def test_a_consent_decision_says_it_passed_once() -> None:
    found = verdict(_outcome(tally={"stage": "consent", "counts": {"agree": 5, "abstain": 1}}))
    assert found.headline == "Passed by consent."
    assert found.detail == "5 members consented and no objection is left."


def test_a_vote_gives_its_count_and_its_threshold_as_a_percentage() -> None:
    tally = {
        "stage": "vote",
        "counts": {"agree": 6, "disagree": 3},
        "base": 9,
        "needed": 6,
        "threshold": "2/3",
        "settings": {"of": "cast", "comparison": "at_least", "threshold": "2/3"},
    }
    found = verdict(_outcome(process="supermajority", tally=tally))
    assert found.headline == "Passed by a vote."
    assert found.detail == "6 agreed and 3 disagreed. At least 67% of the votes cast had to agree: 6 of 9."


def test_a_missed_quorum_says_how_many_were_needed() -> None:
    tally = {"stage": "quorum", "counts": {"agree": 1}, "settings": {"quorum": "1/5"}}
    found = verdict(_outcome(passed=False, participants=1, quorum_needed=2, tally=tally))
    assert found.headline == "Not passed: the quorum was not met."
    assert "1 of 10 eligible members took part." in found.detail and "2 members (20%" in found.detail


def test_a_count_it_cannot_read_shows_the_stored_sentence() -> None:
    found = verdict(_outcome(process="approval", passed=False, tally={"error": "x"}))
    assert found.detail == "stored"


def test_shares_read_as_percentages() -> None:
    assert percent("1/5") == "20%" and percent("2/3") == "67%" and percent("1/2") == "50%"
