"""The explanation of an MES count: who paid what, why projects were not funded, one voter's account."""

from __future__ import annotations

from fractions import Fraction

import pytest

from dualpower.core.choice.pb.election import Ballots, PBElection, Project
from dualpower.core.choice.pb.mes import equal_shares, explain_voter
from dualpower.core.choice.pb.tiebreak import TieBreak


def _election() -> PBElection:
    # 6 voters, budget 60 (share 10 each). A (cost 30) is approved by v0..v4, B (cost 24) by
    # v4 and v5 only, C (cost 40) by nobody.
    entries = [[(0, 1)]] * 4 + [[(0, 1), (1, 1)], [(1, 1)]]
    projects = (Project("A", 30), Project("B", 24), Project("C", 40))
    return PBElection(projects, 60, "approval", Ballots.from_lists([f"v{i}" for i in range(6)], entries))


def test_funded_project_explains_who_paid_how_much() -> None:
    outcome = equal_shares(_election(), completion="none")
    assert outcome.selected == ("A",)
    assert outcome.explanation[0]["kind"] == "share" and outcome.explanation[0]["share"] == "10"
    funded = outcome.explanation[1]
    assert funded["kind"] == "funded" and funded["project"] == "A"
    assert funded["rho"] == "1/5"  # each of 5 supporters pays 6 = 30 / 5: rho = 6 / 30
    assert funded["payments"]["full_payers"] == 5 and funded["payments"]["full_max"] == 6
    assert "5 supporters paid 6 each" in funded["text"]


def test_rejected_project_says_how_much_its_supporters_had_left() -> None:
    outcome = equal_shares(_election(), completion="none")
    by_project = {s["project"]: s for s in outcome.explanation if "project" in s}
    # After A, v4 has 4 and v5 has 10: 14 of the 24 B needs.
    assert by_project["B"]["supporters_had"] == 14
    assert "its supporters had 14 left of the 24 it needs" in by_project["B"]["text"]
    assert by_project["C"]["reason"] == "no-support"


def test_explain_voter_accounts_for_the_whole_share() -> None:
    election = _election()
    outcome = equal_shares(election, completion="none")
    account = explain_voter(election, outcome, "v4")
    assert [p["project"] for p in account["payments"]] == ["A"]
    paid = sum(Fraction(p["paid_exact"]) for p in account["payments"])
    assert paid + Fraction(account["left_exact"]) == Fraction(account["share_exact"]) == 10
    assert account["supported_not_funded"] == ["B"]


def test_explain_voter_rejects_an_unknown_voter() -> None:
    election = _election()
    with pytest.raises(ValueError, match="no voter"):
        explain_voter(election, equal_shares(election), "nobody")


def test_settings_record_what_replays_the_count() -> None:
    election = _election()
    tie_break = TieBreak(kind="project-id")
    outcome = equal_shares(election, completion="add1", tie_break=tie_break)
    assert outcome.settings["tie_break"] == tie_break.settings()
    assert outcome.settings["completion"] == "add1"
    assert outcome.settings["utility"].startswith("cost")
    replay = equal_shares(election, completion="add1", tie_break=tie_break)
    assert replay.to_json() == outcome.to_json()


def test_unknown_completion_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="Unknown MES completion"):
        equal_shares(_election(), completion="add2")  # type: ignore[arg-type]


def test_utilitarian_completion_fills_what_mes_leaves() -> None:
    election = _election()
    plain = equal_shares(election, completion="none")
    filled = equal_shares(election, completion="utilitarian")
    assert plain.selected == ("A",)
    assert filled.selected == ("A", "B")  # 30 + 24 fits in 60
    assert [s["kind"] for s in filled.explanation[:3]] == ["share", "funded", "completion"]


def test_negative_cost_is_a_clear_error() -> None:
    election = _election()
    broken = PBElection((Project("A", -1), *election.projects[1:]), 60, "approval", election.ballots)
    with pytest.raises(ValueError, match="negative cost"):
        equal_shares(broken)
