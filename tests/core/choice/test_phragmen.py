"""Sequential Phragmén: exact loads, pabutools' outcomes, and the rule's invariants."""

from __future__ import annotations

import hashlib
import json
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pabutools_pb_bridge import SHARED, elections, pabutools_phragmen, shared_election, shuffled_voters

from dualpower.core.choice.pb.election import Ballots, PBElection, Project
from dualpower.core.choice.pb.phragmen import phragmen, voter_loads
from dualpower.core.choice.pb.tiebreak import TieBreak

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "pabutools" / "phragmen"
APPROVAL_FILES = sorted(
    p for p in SHARED.glob("*.pb") if shared_election(p.name).vote_type in ("approval", "choose-1")
)
SMALL_APPROVAL_FILES = [p for p in APPROVAL_FILES if p.stat().st_size < 100_000]
TIE_BREAKS = [TieBreak(), TieBreak(seed=3), TieBreak("project-id")]


def _election(costs: list[int], votes: list[list[int]], budget: int) -> PBElection:
    projects = tuple(Project(id=chr(ord("A") + k), cost=c) for k, c in enumerate(costs))
    ballots = Ballots.from_lists([f"v{k}" for k in range(len(votes))], [[(p, 1) for p in v] for v in votes])
    return PBElection(projects, budget, "approval", ballots, MappingProxyType({"budget": str(budget)}))


def test_phragmen_spreads_each_cost_so_supporters_end_with_equal_loads() -> None:
    # v0 approves A, v1 approves A and B, v2 approves B. B (cost 3) first at load 3/2;
    # then A (cost 4): (0 + 3/2 + 4) / 2 = 11/4 for v0 and v1.
    election = _election([4, 3], [[0], [0, 1], [1]], budget=7)
    outcome = phragmen(election)
    assert outcome.selected == ("B", "A")
    assert outcome.total_cost == 7
    first, second = outcome.explanation
    assert (first["project"], first["load"], first["loads_before"]) == ("B", "3/2", {"0": 2})
    assert (second["project"], second["load"], second["loads_before"]) == ("A", "11/4", {"0": 1, "3/2": 1})
    assert Fraction(second["load"]) == Fraction(11, 4)


def test_a_voters_load_history_shows_what_their_share_paid_for() -> None:
    election = _election([4, 3], [[0], [0, 1], [1]], budget=7)
    outcome = phragmen(election)
    assert voter_loads(election, outcome, "v1") == [
        {"project": "B", "supports": True, "load": "3/2", "load_float": 1.5},
        {"project": "A", "supports": True, "load": "11/4", "load_float": 2.75},
    ]
    assert [step["load"] for step in voter_loads(election, outcome, "v2")] == ["3/2", "3/2"]
    with pytest.raises(ValueError, match="No voter has the id 'nobody'"):
        voter_loads(election, outcome, "nobody")


def test_loads_closer_than_floats_can_tell_are_still_ordered_exactly() -> None:
    # 10**16 + 1 and 10**16 are the same float; the exact load makes B (cheaper) go first,
    # even under a tie-break that would prefer A.
    election = _election([10**16 + 1, 10**16], [[0, 1]], budget=3 * 10**16)
    assert float(10**16 + 1) == float(10**16)
    outcome = phragmen(election, tie_break=TieBreak("project-id"))
    assert outcome.selected == ("B", "A")
    assert outcome.explanation[0]["load"] == str(10**16)


def test_phragmen_stops_at_the_first_project_it_cannot_afford() -> None:
    election = _election([2, 3, 1], [[0], [0], [1], [2], [2], [2]], budget=4)
    outcome = phragmen(election)
    # C: 1/3, A: 2/2 = 1, B: 3/1 = 3. C, then A (3 spent), then B costs 3 with 1 left: stop.
    assert outcome.selected == ("C", "A")
    stop = outcome.explanation[-1]
    assert stop["decision"] == "stop"
    assert stop["project"] == "B"
    assert "costs 3, 1 left" in stop["reason"]


def test_phragmen_leaves_out_unsupported_and_unaffordable_projects() -> None:
    election = _election([1, 1, 50], [[0], [0], []], budget=10)
    outcome = phragmen(election)
    assert outcome.selected == ("A",)
    reasons = {s["project"]: s["reason"] for s in outcome.explanation if s["decision"] == "excluded"}
    assert reasons == {"B": "no voter approves it", "C": "costs more than the whole budget"}


def test_phragmen_refuses_ballots_that_are_not_approvals() -> None:
    election = shared_election("Switzerland_Zurich_D10.pb")
    with pytest.raises(ValueError, match="approval ballots; this election has cumulative"):
        phragmen(election)


@pytest.mark.parametrize("path", SMALL_APPROVAL_FILES, ids=lambda p: p.stem)
def test_phragmen_equals_pabutools_on_the_small_shared_files(path: Path) -> None:
    election = shared_election(path.name)
    assert set(phragmen(election).selected) == pabutools_phragmen(election, path=str(path))


def test_there_is_a_pabutools_phragmen_fixture_for_every_approval_file() -> None:
    assert {p.stem for p in FIXTURES.glob("*.json")} == {p.stem for p in APPROVAL_FILES}


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.json")), ids=lambda p: p.stem)
def test_phragmen_equals_the_stored_pabutools_outcome(fixture: Path) -> None:
    stored = json.loads(fixture.read_text(encoding="utf-8"))
    path = SHARED / stored["file"]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == stored["sha256"], "regenerate the fixtures"
    assert stored["tie_break"] == TieBreak().settings()
    assert sorted(phragmen(shared_election(path.name)).selected) == stored["selected"]


@settings(max_examples=80, deadline=None)
@given(election=elections(vote_types=("approval", "choose-1")), tie_break=st.sampled_from(TIE_BREAKS))
def test_phragmen_equals_pabutools_on_random_elections(election: PBElection, tie_break: TieBreak) -> None:
    assert set(phragmen(election, tie_break=tie_break).selected) == pabutools_phragmen(election, tie_break)


@settings(max_examples=50, deadline=None)
@given(election=elections(vote_types=("approval",)), seed=st.integers(0, 1000))
def test_phragmen_does_not_depend_on_the_order_of_ballots(election: PBElection, seed: int) -> None:
    a = phragmen(election)
    b = phragmen(shuffled_voters(election, seed))
    assert a.selected == b.selected
    assert [s.get("load") for s in a.explanation] == [s.get("load") for s in b.explanation]


@settings(max_examples=50, deadline=None)
@given(election=elections(vote_types=("approval",)))
def test_phragmen_loads_rise_and_the_outcome_fits_the_budget(election: PBElection) -> None:
    outcome = phragmen(election)
    assert outcome.total_cost <= election.budget
    loads = [Fraction(s["load"]) for s in outcome.explanation if s["decision"] == "selected"]
    # Each purchase raises the maximum load: loads are non-decreasing in order of purchase.
    assert loads == sorted(loads)
    for step in outcome.explanation:
        if step["decision"] == "selected":
            assert sum(step["loads_before"].values()) == step["supporters"]
            paid = sum(Fraction(load) * w for load, w in step["loads_before"].items())
            assert Fraction(step["load"]) * step["supporters"] == paid + step["cost"]


@settings(max_examples=40, deadline=None)
@given(election=elections(vote_types=("approval",), max_voters=12), weights=st.data())
def test_a_voter_weight_counts_like_that_many_identical_ballots(
    election: PBElection, weights: st.DataObject
) -> None:
    w = weights.draw(
        st.lists(
            st.integers(1, 3), min_size=election.ballots.num_voters, max_size=election.ballots.num_voters
        )
    )
    weighted = PBElection(
        election.projects,
        election.budget,
        election.vote_type,
        Ballots.from_lists(election.ballots.voter_ids, _entries(election), w),
        election.meta,
    )
    repeated_entries = [e for e, k in zip(_entries(election), w, strict=True) for _ in range(k)]
    repeated = PBElection(
        election.projects,
        election.budget,
        election.vote_type,
        Ballots.from_lists([f"r{k}" for k in range(len(repeated_entries))], repeated_entries),
        election.meta,
    )
    a, b = phragmen(weighted), phragmen(repeated)
    assert a.selected == b.selected
    assert [s.get("load") for s in a.explanation] == [s.get("load") for s in b.explanation]


def _entries(election: PBElection) -> list[list[tuple[int, int]]]:
    out = []
    for v in range(election.ballots.num_voters):
        index, points = election.ballots.of(v)
        out.append(list(zip(index.tolist(), points.tolist(), strict=True)))
    return out


def test_the_outcome_records_its_settings_for_a_replay() -> None:
    outcome = phragmen(_election([4, 3], [[0], [0, 1], [1]], budget=7), tie_break=TieBreak("project-id"))
    assert outcome.rule == "phragmen"
    assert outcome.settings == {
        "rule": "phragmen",
        "tie_break": {"kind": "project-id"},
        "arithmetic": "exact",
    }
    data = outcome.to_json()
    assert json.loads(json.dumps(data)) == data
