"""Greedy by votes: the cities' own outcomes, pabutools' outcomes, and the rule's invariants."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from types import MappingProxyType

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pabutools_pb_bridge import elections, pabutools_greedy, shared_election, shuffled_voters
from tests.shared_data import shared

from dualpower.core.choice.formats.pb import parse_pb
from dualpower.core.choice.pb.election import Ballots, PBElection, Project
from dualpower.core.choice.pb.greedy import greedy, meta_threshold, project_scores
from dualpower.core.choice.pb.tiebreak import TieBreak

SHARED = shared("pabulib")
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pabutools" / "greedy"
SMALL_FILES = sorted(p for p in SHARED.glob("*.pb") if p.stat().st_size < 100_000)
TIE_BREAKS = [TieBreak(), TieBreak(seed=11), TieBreak("project-id")]

# The files /work/shared/README.md lists as decided by greedy, with the variant each city used.
CITY_GREEDY = {
    "Poland_Czestochowa_2024_Polnoc": {},
    "Poland_Katowice_2023": {"threshold": None},
    "Poland_Krakow_2024": {},
    "Poland_Warszawa_2017_Plac_Wojska_Polskiego": {},
    "Poland_Warszawa_2018_Pole_Mokotowskie": {"threshold": None},
    "Poland_Warszawa_2026": {"threshold": None},
    "Poland_Wroclaw_2015_150_-_500": {"skip": False},
}


def city_selected(election: PBElection) -> set[str]:
    return {p.id for p in election.projects if p.extra["selected"] == "1"}


@pytest.mark.parametrize(("name", "options"), CITY_GREEDY.items(), ids=list(CITY_GREEDY))
def test_greedy_reproduces_what_the_city_funded(name: str, options: dict[str, object]) -> None:
    election = shared_election(f"{name}.pb")
    outcome = greedy(election, **options)  # type: ignore[arg-type]
    assert set(outcome.selected) == city_selected(election)
    assert outcome.total_cost == sum(p.cost for p in election.projects if p.id in outcome.selected)
    assert outcome.total_cost <= election.budget


def test_warszawa_2026_needs_its_score_threshold() -> None:
    election = shared_election("Poland_Warszawa_2026.pb")
    assert meta_threshold(election) == 3000
    assert set(greedy(election).selected) != city_selected(election)
    outcome = greedy(election, threshold=None)
    assert outcome.rule == "greedy-threshold"
    assert outcome.settings["threshold"] == 3000


def test_krakow_2024_ordinal_scores_are_borda_points_three_two_one() -> None:
    election = shared_election("Poland_Krakow_2024.pb")
    scores = project_scores(election)
    assert scores.tolist() == [int(p.extra["score"]) for p in election.projects]
    assert greedy(election).settings["score"] == {"kind": "borda", "first_choice_points": 3}


@pytest.mark.parametrize("name", ["Poland_Katowice_2023", "Poland_Czestochowa_2024_Polnoc"])
def test_cumulative_scores_are_the_points_given(name: str) -> None:
    election = shared_election(f"{name}.pb")
    assert project_scores(election).tolist() == [int(p.extra["score"]) for p in election.projects]


@pytest.mark.parametrize("path", SMALL_FILES, ids=lambda p: p.stem)
def test_greedy_equals_pabutools_on_the_small_shared_files(path: Path) -> None:
    election = shared_election(path.name)
    assert list(greedy(election).selected) == pabutools_greedy(election, path=str(path))


def _fixture_files() -> list[Path]:
    return sorted(FIXTURES.glob("*.json"))


def test_there_is_a_pabutools_fixture_for_every_shared_file() -> None:
    assert {p.stem for p in _fixture_files()} == {p.stem for p in SHARED.glob("*.pb")}


@pytest.mark.parametrize("fixture", _fixture_files(), ids=lambda p: p.stem)
def test_greedy_equals_the_stored_pabutools_outcome(fixture: Path) -> None:
    stored = json.loads(fixture.read_text(encoding="utf-8"))
    path = SHARED / stored["file"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == stored["sha256"], "regenerate the fixtures"
    assert stored["tie_break"] == TieBreak().settings()
    assert list(greedy(shared_election(path.name)).selected) == stored["selected"]


@settings(max_examples=80, deadline=None)
@given(election=elections(), tie_break=st.sampled_from(TIE_BREAKS))
def test_greedy_equals_pabutools_on_random_elections(election: PBElection, tie_break: TieBreak) -> None:
    assert list(greedy(election, tie_break=tie_break).selected) == pabutools_greedy(election, tie_break)


@settings(max_examples=60, deadline=None)
@given(
    election=elections(),
    seed=st.integers(0, 1000),
    threshold=st.integers(0, 6),
    skip=st.booleans(),
)
def test_greedy_does_not_depend_on_the_order_of_ballots(
    election: PBElection, seed: int, threshold: int, skip: bool
) -> None:
    a = greedy(election, threshold=threshold, skip=skip)
    b = greedy(shuffled_voters(election, seed), threshold=threshold, skip=skip)
    assert a.selected == b.selected
    assert a.explanation == b.explanation


@settings(max_examples=60, deadline=None)
@given(election=elections(), threshold=st.integers(0, 6), skip=st.booleans())
def test_greedy_stays_within_budget_and_respects_the_threshold(
    election: PBElection, threshold: int, skip: bool
) -> None:
    outcome = greedy(election, threshold=threshold, skip=skip)
    scores = dict(zip((p.id for p in election.projects), project_scores(election).tolist(), strict=True))
    assert outcome.total_cost <= election.budget
    assert all(scores[pid] >= threshold for pid in outcome.selected)
    assert sorted(step["project"] for step in outcome.explanation) == sorted(p.id for p in election.projects)


def _election(
    costs: list[int], votes: list[list[int]], budget: int, weights: list[int] | None = None
) -> PBElection:
    projects = tuple(Project(id=str(k + 1), cost=c) for k, c in enumerate(costs))
    ballots = Ballots.from_lists(
        [f"v{k}" for k in range(len(votes))], [[(p, 1) for p in vote] for vote in votes], weights
    )
    meta = MappingProxyType({"budget": str(budget), "vote_type": "approval"})
    return PBElection(projects, budget, "approval", ballots, meta)


def test_greedy_skips_a_project_that_does_not_fit_and_says_why() -> None:
    # Project 1 has most votes, 2 does not fit after it, 3 still does.
    election = _election([200_000, 150_000, 80_000], [[0, 1, 2], [0, 1], [0]], budget=320_000)
    outcome = greedy(election)
    assert outcome.selected == ("1", "3")
    steps = {s["project"]: s for s in outcome.explanation}
    assert steps["1"]["decision"] == "selected"
    assert steps["1"]["reason"] == "costs 200,000, 120,000 left"
    assert steps["2"]["decision"] == "skipped"
    assert steps["2"]["reason"] == "costs 150,000, 120,000 left"
    assert steps["3"]["reason"] == "costs 80,000, 40,000 left"


def test_greedy_no_skip_stops_at_the_first_project_that_does_not_fit() -> None:
    election = _election([200_000, 150_000, 80_000], [[0, 1, 2], [0, 1], [0]], budget=320_000)
    outcome = greedy(election, skip=False)
    assert outcome.rule == "greedy-no-skip"
    assert outcome.selected == ("1",)
    decisions = [s["decision"] for s in outcome.explanation]
    assert decisions == ["selected", "stop", "not reached"]


def test_greedy_threshold_leaves_out_projects_below_it() -> None:
    election = _election([10, 10, 10], [[0, 1, 2], [0, 1], [0]], budget=30)
    outcome = greedy(election, threshold=2)
    assert outcome.selected == ("1", "2")
    assert outcome.explanation[-1]["reason"] == "1 votes, below the threshold of 2"


def test_a_voter_weight_counts_like_that_many_identical_ballots() -> None:
    weighted = _election([10, 10, 10], [[0], [1, 2], [2]], budget=20, weights=[3, 1, 1])
    repeated = _election([10, 10, 10], [[0], [0], [0], [1, 2], [2]], budget=20)
    assert project_scores(weighted).tolist() == project_scores(repeated).tolist() == [3, 1, 2]
    assert greedy(weighted).selected == greedy(repeated).selected == ("1", "3")


def test_ties_follow_the_recorded_tie_break() -> None:
    # Equal votes; the equalshares order prefers the cheaper project, project-id the lower id.
    election = _election([30, 20], [[0, 1]], budget=30)
    assert greedy(election).selected == ("2",)
    assert greedy(election, tie_break=TieBreak("project-id")).selected == ("1",)
    assert greedy(election, tie_break=TieBreak("order", order=("2", "1"))).settings["tie_break"] == {
        "kind": "order",
        "order": ["2", "1"],
    }


def test_money_with_decimals_is_explained_in_the_currency() -> None:
    text = "META\nkey;value\nbudget;10.50\nvote_type;approval\nPROJECTS\nproject_id;cost\n1;2.25\n2;9\n"
    text += "VOTES\nvoter_id;vote\na;1,2\nb;1\n"
    outcome = greedy(parse_pb(text))
    assert outcome.selected == ("1",)
    assert outcome.explanation[0]["reason"] == "costs 2.25, 8.25 left"
    assert outcome.explanation[1]["reason"] == "costs 9.00, 8.25 left"


def test_an_ordinal_scoring_function_other_than_borda_is_refused() -> None:
    text = (
        "META\nkey;value\nbudget;10\nvote_type;ordinal\nscoring_fn;Dowdall\nPROJECTS\nproject_id;cost\n1;5\n"
    )
    text += "VOTES\nvoter_id;vote\na;1\n"
    with pytest.raises(ValueError, match="'Dowdall' is not supported"):
        greedy(parse_pb(text))


def test_a_negative_threshold_is_refused() -> None:
    with pytest.raises(ValueError, match="threshold"):
        greedy(_election([1], [[0]], budget=1), threshold=-1)


def test_the_outcome_is_json_ready_and_replayable() -> None:
    election = _election([10, 10, 10], [[0, 1, 2], [0, 1], [0]], budget=20)
    data = greedy(election, threshold=1, tie_break=TieBreak(seed=5)).to_json()
    assert json.loads(json.dumps(data)) == data
    assert data["settings"] == {
        "rule": "greedy-threshold",
        "threshold": 1,
        "skip": True,
        "score": {"kind": "votes"},
        "tie_break": {"kind": "equalshares", "seed": 5},
        "arithmetic": "exact",
    }
    assert np.array_equal(project_scores(election), [3, 2, 1])
