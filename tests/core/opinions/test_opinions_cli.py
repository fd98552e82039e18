"""`dualpower opinions FOLDER`: a Polis export in, groups, representative statements and consensus
out; bad input is one sentence and exit status 2; Django is never loaded."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from opinion_worlds import planted
from tests.shared_data import shared

from dualpower.core.opinions.cli import main


def write_export(folder: Path, *, camps: int = 2, moderated_out: tuple[str, ...] = ()) -> None:
    """A Polis-shaped export of a made-up conversation (our own rows, not Polis data)."""
    votes, _ = planted(people=60, statements=14, camps=camps, seed=9)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "comments.csv").open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(
            [
                "timestamp",
                "datetime",
                "comment-id",
                "author-id",
                "agrees",
                "disagrees",
                "moderated",
                "comment-body",
            ]
        )
        for sid in votes.statement_ids:
            out.writerow([0, "", sid, 0, 0, 0, -1 if sid in moderated_out else 1, f"Statement {sid}"])
    with (folder / "votes.csv").open("w", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(["timestamp", "datetime", "comment-id", "voter-id", "vote"])
        for t, (p, s, v) in enumerate(zip(votes.participant, votes.statement, votes.vote, strict=True)):
            out.writerow([1_000 + t, "", votes.statement_ids[s], votes.participant_ids[p], int(v)])


def run_json(folder: Path, capsys: Any, *extra: str) -> dict[str, Any]:
    assert main([str(folder), "--json", *extra]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


def test_the_json_names_each_persons_group_and_what_sets_groups_apart(tmp_path: Path, capsys: Any) -> None:
    write_export(tmp_path / "conv", moderated_out=("5",))
    data = run_json(tmp_path / "conv", capsys)
    assert data["participants"] == 60 and data["mapped"] == 60
    assert sorted(set(data["groups"].values())) == [0, 1]
    assert len(data["representative"]) == 2 and all(data["representative"])
    shown = {r["statement"] for group in data["representative"] for r in group}
    assert "5" not in shown and "5" not in data["group_aware_consensus"]
    first = data["representative"][0][0]
    assert first["text"] == f"Statement {first['statement']}"


def test_the_report_reads_as_sentences(tmp_path: Path, capsys: Any) -> None:
    write_export(tmp_path / "conv")
    assert main([str(tmp_path / "conv")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("60 participants, 60 mapped")
    assert "Group 0 (" in out and "stands apart on:" in out


@pytest.mark.parametrize(
    ("damage", "says"),
    [
        (lambda f: (f / "votes.csv").unlink(), "votes.csv is missing"),
        (lambda f: (f / "votes.csv").write_text("a,b\n1,2\n"), "no column comment-id, voter-id, vote"),
        (
            lambda f: (f / "votes.csv").write_text("timestamp,comment-id,voter-id,vote\n1,3,7,2\n"),
            "is not 1, 0 or -1",
        ),
        (
            lambda f: (f / "votes.csv").write_text("timestamp,comment-id,voter-id,vote\n1,3,7,yes\n"),
            "is not a number",
        ),
        (lambda f: (f / "votes.csv").write_text("timestamp,comment-id,voter-id,vote\n"), "holds no votes"),
        (lambda f: (f / "votes.csv").write_bytes(b"\xff\xfe\x00bad"), "not UTF-8"),
    ],
)
def test_bad_input_is_one_sentence_and_exit_status_2(
    tmp_path: Path, capsys: Any, damage: Any, says: str
) -> None:
    folder = tmp_path / "conv"
    write_export(folder)
    damage(folder)
    assert main([str(folder), "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    err = captured.err.strip()
    assert err.startswith("dualpower opinions:") and says in err
    assert len(err.splitlines()) == 1 and "Traceback" not in captured.err


def test_meta_statements_are_left_out_of_the_map_as_polis_does(tmp_path: Path, capsys: Any) -> None:
    write_export(tmp_path / "conv")
    plain = run_json(tmp_path / "conv", capsys)
    meta = run_json(tmp_path / "conv", capsys, "--meta", "5, 6")
    moderated = tmp_path / "moderated"
    write_export(moderated, moderated_out=("5", "6"))
    assert meta == run_json(moderated, capsys)  # exactly as if moderated out
    shown = {r["statement"] for group in meta["representative"] for r in group}
    assert not {"5", "6"} & (shown | set(meta["group_aware_consensus"]))
    assert {"5", "6"} <= set(plain["group_aware_consensus"])
    assert main([str(tmp_path / "conv"), "--meta", "5,999"]) == 2
    err = capsys.readouterr().err
    assert "comments.csv has no statement 999" in err and len(err.strip().splitlines()) == 1


def test_a_folder_that_is_not_there(tmp_path: Path, capsys: Any) -> None:
    assert main([str(tmp_path / "nowhere")]) == 2
    assert "is not a folder" in capsys.readouterr().err


def test_the_dualpower_command_hands_over_without_loading_django(tmp_path: Path) -> None:
    write_export(tmp_path / "conv")
    code = (
        "import sys; from dualpower.cli import main; status = main(['opinions', sys.argv[1], '--json']); "
        "bad = sorted(m for m in sys.modules if m.split('.')[0] == 'django'); "
        "print('DJANGO', bad, file=sys.stderr); sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "conv")], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    assert "DJANGO []" in done.stderr
    assert json.loads(done.stdout)["group_sizes"]


def test_from_polis_state_keeps_polis_groups_on_a_real_conversation(capsys: Any) -> None:
    folder = shared("polis", "15-per-hour-seattle")
    data = run_json(folder, capsys, "--from-polis-state")
    with (folder / "participants-votes.csv").open() as handle:
        theirs = {r["participant"]: r["group-id"] for r in csv.DictReader(handle) if r["group-id"]}
    assert set(data["groups"]) == set(theirs)
    same = sum(1 for p in theirs if (data["groups"][p] == 0) == (theirs[p] == theirs["0"]))
    assert same / len(theirs) >= 0.95  # group labels may differ; the split is the same


def test_replay_finds_polis_groups_from_the_votes_alone(capsys: Any) -> None:
    folder = shared("polis", "bg2050-volunteers")
    data = run_json(folder, capsys, "--replay")
    with (folder / "participants-votes.csv").open() as handle:
        theirs = {r["participant"]: r["group-id"] for r in csv.DictReader(handle) if r["group-id"]}
    assert set(data["groups"]) == set(theirs)
    pairs = {(data["groups"][p], theirs[p]) for p in theirs}
    assert len(pairs) == len(set(theirs.values()))  # the same split, whatever the labels
