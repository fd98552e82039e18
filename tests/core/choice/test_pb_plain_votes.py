"""The lean paths for large VOTES sections give exactly what the general csv paths give.

Writing: ballots whose fields need no quotes are joined without a row per voter
(``pb_writer._plain_votes``). Reading: votes naming whole-number project ids are parsed by numpy
without a string per entry (``pb_votes._numbered_index``). Each is compared here with the general
path on the same input, and every input the lean path cannot take goes to the general one.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from dualpower.core.choice.formats import pb_votes, pb_writer
from dualpower.core.choice.formats.pb import FormatError, parse_pb, write_pb
from dualpower.core.choice.pb.election import Ballots, PBElection, Project, VoteType


def _election(seed: int, ids: list[str], vote_type: VoteType = "approval", voters: int = 300) -> PBElection:
    rng = random.Random(seed)
    entries = []
    for _ in range(voters):
        chosen = rng.sample(range(len(ids)), rng.randint(0, len(ids)))  # some votes are empty
        if vote_type != "ordinal":
            chosen.sort()
        entries.append([(i, k + 1 if vote_type == "ordinal" else 1) for k, i in enumerate(chosen)])
    return PBElection(
        projects=tuple(Project(id=pid, cost=rng.randint(1, 50)) for pid in ids),
        budget=100,
        vote_type=vote_type,
        ballots=Ballots.from_lists([f"v{i}" for i in range(1, voters + 1)], entries),
    )


def _general_text(election: PBElection, monkeypatch: pytest.MonkeyPatch) -> str:
    with monkeypatch.context() as patch:
        patch.setattr(pb_writer, "_plain", lambda fields: False)
        return write_pb(election)


def _general_parse(text: str, monkeypatch: pytest.MonkeyPatch) -> PBElection:
    with monkeypatch.context() as patch:
        patch.setattr(pb_votes, "_numbered_index", lambda joined, count, projects: None)
        return parse_pb(text)


def _same(a: PBElection, b: PBElection) -> bool:
    x, y = a.ballots, b.ballots
    return (
        a.projects == b.projects
        and x.voter_ids == y.voter_ids
        and x.offsets.tolist() == y.offsets.tolist()
        and x.project_index.tolist() == y.project_index.tolist()
        and x.points.tolist() == y.points.tolist()
    )


@pytest.mark.parametrize("vote_type", ["approval", "ordinal"])
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_plain_votes_are_written_as_the_csv_writer_writes_them(
    monkeypatch: pytest.MonkeyPatch, seed: int, vote_type: VoteType
) -> None:
    monkeypatch.setattr(pb_writer, "_VOTERS_PER_BLOCK", 7)  # many blocks, some ending on empty votes
    election = _election(seed, ["1", "2", "10", "b", "x y"], vote_type)
    assert write_pb(election) == _general_text(election, monkeypatch)


def test_ids_that_need_quotes_are_written_by_the_csv_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[object] = []

    def spy(*args: object) -> str:
        calls.append(args)
        return ""

    monkeypatch.setattr(pb_writer, "_plain_votes", spy)
    election = _election(4, ["1", "a;b", 'say "c"'])
    text = write_pb(election)
    assert calls == []
    assert _same(parse_pb(text), election)


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_numbered_votes_are_read_as_the_general_reader_reads_them(
    monkeypatch: pytest.MonkeyPatch, seed: int
) -> None:
    taken = []
    original = pb_votes._numbered_index

    def spy(joined: str, count: int, projects: Sequence[Project]) -> object:
        index = original(joined, count, projects)
        taken.append(index is not None)  # the lean path read them
        return index

    monkeypatch.setattr(pb_votes, "_numbered_index", spy)
    election = _election(seed, ["3", "1", "20", "7", "0", "123456"], "ordinal")
    text = write_pb(election)
    read = parse_pb(text)
    assert taken == [True] and _same(read, election)
    assert _same(read, _general_parse(text, monkeypatch))


@pytest.mark.parametrize(
    ("ids", "vote", "message"),
    [
        (["7", "8"], "07", "names project '07', which PROJECTS does not list"),
        (["7", "8"], "9", "names project '9', which PROJECTS does not list"),
        (["7", "8"], "7,,8", "names project '', which PROJECTS does not list"),
        (["7", "8"], "8,7,8", "names project '8' twice"),
    ],
)
def test_a_numbered_vote_with_a_defect_is_named_as_before(ids: list[str], vote: str, message: str) -> None:
    projects = "\n".join(f"{pid};1" for pid in ids)
    text = (
        f"META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n{projects}\n"
        f"VOTES\nvoter_id;vote\nv1;7\nv2;{vote}\n"
    )
    with pytest.raises(FormatError, match=message):
        parse_pb(text)


def test_ids_written_with_leading_zeros_are_read_by_the_general_reader() -> None:
    text = (
        "META\nkey;value\nbudget;10\nvote_type;approval\nPROJECTS\nproject_id;cost\n07;1\n8;1\n"
        "VOTES\nvoter_id;vote\nv1;07,8\nv2; 8\n"
    )
    ballots = parse_pb(text).ballots
    assert ballots.project_index.tolist() == [0, 1, 1]
