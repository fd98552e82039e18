"""Reading and writing pabulib .pb files: every shared file, malformed files, ballot rules."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pabutools_pb_bridge import elections, shared_election
from tests.shared_data import shared

from dualpower.core.choice.formats.errors import FormatError
from dualpower.core.choice.formats.pb import (
    BallotConstraints,
    ballot_constraints,
    check_ballot,
    parse_pb,
    read_pb,
    write_pb,
)
from dualpower.core.choice.pb.election import PBElection

SHARED = shared("pabulib")
FILES = sorted(SHARED.glob("*.pb"))


def assert_same_election(a: PBElection, b: PBElection) -> None:
    assert a.projects == b.projects
    assert a.budget == b.budget
    assert a.vote_type == b.vote_type
    assert dict(a.meta) == dict(b.meta)
    assert a.ballots.voter_ids == b.ballots.voter_ids
    for name in ("offsets", "project_index", "points", "weights"):
        assert np.array_equal(getattr(a.ballots, name), getattr(b.ballots, name)), name
    assert len(a.ballots.extra) == len(b.ballots.extra)
    assert all(x == y for x, y in zip(a.ballots.extra, b.ballots.extra, strict=True))


@pytest.fixture(scope="module")
def shared_elections() -> dict[str, PBElection]:
    return {path.name: shared_election(path.name) for path in FILES}


def test_the_shared_folder_holds_the_files_the_tests_expect() -> None:
    assert len(FILES) >= 20


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_shared_file_parses_to_the_counts_its_meta_states(
    path: Path, shared_elections: dict[str, PBElection]
) -> None:
    election = shared_elections[path.name]
    meta = election.meta
    scale = int(meta.get("currency_scale", "1"))
    assert election.ballots.num_voters == int(meta["num_votes"])
    assert len(election.projects) == int(meta["num_projects"])
    assert election.budget == Decimal(meta["budget"]) * scale
    assert election.vote_type == meta["vote_type"]
    assert len(election.ballots.offsets) == election.ballots.num_voters + 1
    assert int(election.ballots.offsets[-1]) == len(election.ballots.project_index)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_writing_a_shared_file_and_reading_it_back_gives_the_same_election(
    path: Path, shared_elections: dict[str, PBElection]
) -> None:
    election = shared_elections[path.name]
    assert_same_election(parse_pb(write_pb(election)), election)


def test_project_votes_column_matches_the_ballots_of_warszawa_2026(
    shared_elections: dict[str, PBElection],
) -> None:
    election = shared_elections["Poland_Warszawa_2026.pb"]
    counted = np.bincount(election.ballots.project_index, minlength=len(election.projects))
    assert counted.tolist() == [int(p.extra["votes"]) for p in election.projects]


def test_cumulative_points_are_read_per_project(shared_elections: dict[str, PBElection]) -> None:
    election = shared_elections["Switzerland_Zurich_D10.pb"]
    first = election.ballots.of(0)
    ids = [election.projects[i].id for i in first[0]]
    assert (ids, first[1].tolist()) == (["9", "3", "13"], [4, 3, 3])
    assert election.ballots.extra[0]["district_preference"] == "West"


def test_ordinal_entries_keep_the_ranking_with_positions(shared_elections: dict[str, PBElection]) -> None:
    election = shared_elections["Switzerland_Zurich_S5R.pb"]
    indexes, points = election.ballots.of(0)
    assert [election.projects[i].id for i in indexes] == ["8", "15", "20", "18", "1"]
    assert points.tolist() == [1, 2, 3, 4, 5]


def test_project_columns_beyond_id_cost_and_name_are_kept_as_text(
    shared_elections: dict[str, PBElection],
) -> None:
    election = shared_elections["Poland_Wroclaw_2015_150_-_500.pb"]
    project = election.projects[0]
    assert project.id == "618" and project.cost == 500000
    assert project.name.startswith("BAZA SPORTOWA")
    assert dict(project.extra) == {
        "votes": "14732",
        "category": "education",
        "selected": "1",
        "neighborhood": "Grabiszyn-Grabiszynek",
    }


def test_quoted_project_names_with_semicolons_and_quotes_are_unquoted(
    shared_elections: dict[str, PBElection],
) -> None:
    election = shared_elections["Poland_Wroclaw_2015_150_-_500.pb"]
    names = {p.id: p.name for p in election.projects}
    assert names["32"].startswith('Projekt Obywatelski odnowy podwórka "Podwórze: Nowowiejska')


SMALL = """META
key;value
description;A small test
num_projects;3
num_votes;3
budget;10.25
vote_type;approval
min_length;1
max_length;2
max_sum_cost;5.5
PROJECTS
project_id;cost;name;district
a;1.5;"Trees; and benches";North
b;4;Library;South
c;6.05;Pool;North
VOTES
voter_id;vote;age
v1;a,b;30
v2;c;41
v3;;19
"""


def test_decimal_amounts_become_integers_in_the_smallest_unit_with_the_scale_in_meta() -> None:
    election = parse_pb(SMALL)
    assert election.meta["currency_scale"] == "100"
    assert election.budget == 1025
    assert [p.cost for p in election.projects] == [150, 400, 605]
    assert election.projects[0].name == "Trees; and benches"
    assert ballot_constraints(election).max_sum_cost == 550
    assert_same_election(parse_pb(write_pb(election)), election)


def test_every_meta_key_is_kept_including_unknown_ones() -> None:
    election = parse_pb(SMALL.replace("max_sum_cost;5.5", "max_sum_cost;5.5\nlocal_custom;anything at all"))
    assert election.meta["local_custom"] == "anything at all"
    assert election.meta["description"] == "A small test"
    assert "local_custom;anything at all" in write_pb(election)


def test_an_empty_ballot_is_kept_as_a_voter_with_no_entries() -> None:
    election = parse_pb(SMALL)
    assert election.ballots.voter_ids == ("v1", "v2", "v3")
    assert np.diff(election.ballots.offsets).tolist() == [2, 1, 0]
    assert election.ballots.extra[2]["age"] == "19"


def test_a_weight_column_gives_voter_weights() -> None:
    text = SMALL.replace("voter_id;vote;age", "voter_id;vote;age;weight").replace(";30\n", ";30;3\n")
    text = text.replace(";41\n", ";41;1\n").replace(";19\n", ";19;2\n")
    election = parse_pb(text)
    assert election.ballots.weights.tolist() == [3, 1, 2]
    assert "weight" not in election.ballots.extra[0]
    assert parse_pb(write_pb(election)).ballots.weights.tolist() == [3, 1, 2]


def test_spaces_around_separators_are_ignored_as_in_the_pabulib_example() -> None:
    text = "META\nkey; value\nbudget; 100\nvote_type; approval\nPROJECTS\nproject_id; cost\n1; 60\n2; 50\n"
    text += "VOTES\nvoter_id; vote\n1; 1, 2\n2; 2\n"
    election = parse_pb(text)
    assert election.budget == 100
    assert [p.cost for p in election.projects] == [60, 50]
    assert election.ballots.project_index.tolist() == [0, 1, 1]


def test_windows_line_endings_and_a_byte_order_mark_are_accepted() -> None:
    election = parse_pb("\ufeff" + SMALL.replace("\n", "\r\n"))
    assert election.ballots.voter_ids == ("v1", "v2", "v3")
    assert election.projects[2].extra["district"] == "North"


def _line_of(text: str, fragment: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if fragment in line)


MALFORMED = [
    # (what is wrong, edit to SMALL, line fragment the error must name, words of the message)
    ("unknown project in a vote", ("v1;a,b;30", "v1;a,zz;30"), "v1;a,zz", "'zz'"),
    ("project twice in a vote", ("v1;a,b;30", "v1;a,a;30"), "v1;a,a", "twice"),
    ("duplicate voter id", ("v3;;19", "v1;;19"), "v1;;19", "appears twice"),
    ("bad cost", ("b;4;Library", "b;four;Library"), "b;four", "not a number"),
    ("negative cost", ("b;4;Library", "b;-4;Library"), "b;-4", "non-negative"),
    ("bad budget", ("budget;10.25", "budget;ten"), "budget;ten", "not a number"),
    ("budget missing", ("budget;10.25\n", ""), "META", "no budget"),
    ("vote type unknown", ("vote_type;approval", "vote_type;plurality"), "vote_type;", "unknown"),
    (
        "VOTES section missing",
        ("VOTES\nvoter_id;vote;age\nv1;a,b;30\nv2;c;41\nv3;;19\n", ""),
        "c;6.05",
        "no VOTES",
    ),
    ("PROJECTS section missing", ("PROJECTS\n", ""), "VOTES", "before PROJECTS"),
    ("duplicate project", ("b;4;Library", "a;4;Library"), "a;4;Library", "appears twice"),
    ("row with too many fields", ("v2;c;41", "v2;c;41;extra"), "v2;c;41;extra", "field"),
    ("project row with too few fields", ("b;4;Library;South", "b;4"), "b;4", "field"),
    ("meta line without a value", ("max_length;2", "max_length"), "max_length", "key and a value"),
    ("duplicate meta key", ("max_length;2", "max_length;2\nmax_length;3"), "max_length;3", "twice"),
    ("votes header without vote", ("voter_id;vote;age", "voter_id;ballot;age"), "voter_id;ballot", "'vote'"),
    ("text before META", ("META\n", "hello\nMETA\n"), "hello", "before the first section"),
]


@pytest.mark.parametrize(
    ("edit", "fragment", "words"), [m[1:] for m in MALFORMED], ids=[m[0] for m in MALFORMED]
)
def test_a_malformed_file_raises_format_error_naming_the_line(
    edit: tuple[str, str], fragment: str, words: str
) -> None:
    text = SMALL.replace(*edit, 1)
    assert text != SMALL
    with pytest.raises(FormatError) as caught:
        parse_pb(text, path="small.pb")
    error = caught.value
    assert error.line == _line_of(text, fragment), str(error)
    assert words in str(error)
    assert str(error).startswith(f"small.pb, line {error.line}: ")


def test_read_pb_names_the_file_and_line_of_a_defect(tmp_path: Path) -> None:
    target = tmp_path / "district.pb"
    target.write_text(SMALL.replace("v2;c;41", "v2;zz;41"), encoding="utf-8")
    with pytest.raises(FormatError) as caught:
        read_pb(target)
    assert caught.value.path == str(target)
    assert str(caught.value) == (
        f"{target}, line 19: the vote names project 'zz', which PROJECTS does not list."
    )


def test_cumulative_points_that_do_not_match_the_vote_name_the_line() -> None:
    text = "META\nkey;value\nbudget;10\nvote_type;cumulative\nPROJECTS\nproject_id;cost\n1;5\n2;5\n"
    text += "VOTES\nvoter_id;vote;points\nx;1,2;3,2\ny;1,2;3\nz;1;x\n"
    with pytest.raises(FormatError, match=r"line 12: .*2 project\(s\) but gives 1"):
        parse_pb(text)
    with pytest.raises(FormatError, match=r"line 13: points 'x'"):
        parse_pb(text.replace("y;1,2;3\n", "y;1,2;3,3\n"))


def test_a_choose_one_vote_for_two_projects_is_refused() -> None:
    text = SMALL.replace("vote_type;approval", "vote_type;choose-1")
    with pytest.raises(FormatError, match=r"a choose-1 vote names more than one project") as caught:
        parse_pb(text)
    assert caught.value.line == _line_of(text, "v1;a,b")


def test_a_quoted_line_break_in_votes_does_not_shift_later_line_numbers() -> None:
    text = SMALL.replace("v2;c;41", 'v2;c;"4\n1"').replace("v3;;19", "v3;zz;19")
    with pytest.raises(FormatError) as caught:
        parse_pb(text)
    assert caught.value.line == _line_of(text, "v3;zz")


# ------------------------------------------------------------------------------------------ ballot rules


def test_ballot_constraints_are_read_from_meta(shared_elections: dict[str, PBElection]) -> None:
    assert ballot_constraints(shared_elections["Switzerland_Zurich_D10.pb"]) == BallotConstraints(
        min_length=1, max_length=10, max_points=10, max_sum_points=10
    )
    assert ballot_constraints(shared_elections["Poland_Katowice_2023.pb"]) == BallotConstraints(
        min_sum_points=1, max_sum_points=3, max_points=3
    )
    assert ballot_constraints(shared_elections["Poland_Wroclaw_2015_150_-_500.pb"]).max_length == 1


# The one shared file whose ballots break its own META rules: 11 Mechanical Turk workers
# gave fewer than the required 100 points (a known quirk of that experiment's data).
RULE_BREAKERS = {"Worldwide_Mechanical_Turk_Utilities_3.pb": 11}


@pytest.mark.parametrize("path", [p for p in FILES if p.stat().st_size < 300_000], ids=lambda p: p.stem)
def test_the_recorded_ballots_satisfy_the_rules_their_file_states(
    path: Path, shared_elections: dict[str, PBElection]
) -> None:
    election = shared_elections[path.name]
    constraints = ballot_constraints(election)
    ids = [p.id for p in election.projects]
    breaking = 0
    for v in range(election.ballots.num_voters):
        index, points = election.ballots.of(v)
        breaking += bool(check_ballot(constraints, election, [ids[i] for i in index], points.tolist()))
    assert breaking == RULE_BREAKERS.get(path.name, 0)


def test_a_valid_ballot_has_no_problems(shared_elections: dict[str, PBElection]) -> None:
    election = shared_elections["Switzerland_Zurich_D10.pb"]
    assert check_ballot(ballot_constraints(election), election, ["9", "3", "13"], [4, 3, 3]) == []


def test_a_ballot_over_the_point_limit_is_refused_with_a_sentence(
    shared_elections: dict[str, PBElection],
) -> None:
    election = shared_elections["Switzerland_Zurich_D10.pb"]
    problems = check_ballot(ballot_constraints(election), election, ["9", "3"], [8, 3])
    assert problems == ["Give at most 10 point(s) in all; this ballot gives 11."]


def test_an_approval_ballot_breaking_length_and_cost_rules_gets_every_problem() -> None:
    election = parse_pb(SMALL)
    constraints = ballot_constraints(election)
    problems = check_ballot(constraints, election, ["a", "b", "c", "zz"])
    assert problems == [
        "This ballot names project(s) that are not on the list: zz.",
        "Choose at most 2 project(s); this ballot has 4.",
        "The chosen projects may cost at most 5.50 together; they cost 11.55.",
    ]
    assert check_ballot(constraints, election, []) == ["Choose at least 1 project(s); this ballot has 0."]
    assert check_ballot(constraints, election, ["a", "a"]) == [
        "This ballot names project(s) more than once: a.",
    ]


def test_project_cost_limits_name_the_project_outside_them() -> None:
    election = parse_pb(SMALL.replace("max_sum_cost;5.5", "max_project_cost;5"))
    problems = check_ballot(ballot_constraints(election), election, ["c"])
    assert problems == ["Project c costs 6.05, above the largest allowed 5.00."]


def test_a_cumulative_ballot_without_points_is_refused(shared_elections: dict[str, PBElection]) -> None:
    election = shared_elections["Poland_Katowice_2023.pb"]
    assert check_ballot(ballot_constraints(election), election, ["M/01/X"]) == [
        "Give a number of points to each chosen project."
    ]


# ------------------------------------------------------------------------------------------ round trip


@settings(max_examples=60, deadline=None)
@given(election=elections(), scale=st.sampled_from([1, 10, 100]))
def test_any_election_survives_writing_and_reading(election: PBElection, scale: int) -> None:
    if scale > 1:
        budget_text = str(Decimal(election.budget) / scale)
        meta = {**election.meta, "currency_scale": str(scale), "budget": budget_text}
        # A cost with a last non-zero digit keeps the scale: 1 unit = 1/scale of the currency.
        projects = tuple(
            type(p)(id=p.id, cost=p.cost * 10 + 1, name=p.name, extra=p.extra) for p in election.projects
        )
        election = PBElection(projects, election.budget, election.vote_type, election.ballots, meta)
    assert_same_election(parse_pb(write_pb(election)), election)
