"""`dualpower tally`: every rule wired, as a subprocess and in process; bad input exits 2 in one sentence."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from tests.shared_data import shared

from dualpower.core.choice.tally import BLT_RULES, PB_RULES, main
from dualpower.core.choice.tally_output import progress

PABULIB = shared("pabulib")
BLT = shared("stv", "blt")
REFERENCE = shared("stv", "reference")
ASSEN = PABULIB / "Netherlands_Assen_2024.pb"
B42 = BLT / "42.blt"
ROOT = Path(__file__).resolve().parents[3]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def city_selection(name: str) -> set[str]:
    """The projects a city funded: the PROJECTS rows whose `selected` column is 1."""
    lines = (PABULIB / name).read_text(encoding="utf-8").splitlines()
    start = lines.index("PROJECTS")
    header = lines[start + 1].split(";")
    chosen = set()
    for row in csv.reader(lines[start + 2 : lines.index("VOTES")], delimiter=";"):
        if row[header.index("selected")] == "1":
            chosen.add(row[header.index("project_id")])
    return chosen


def droop_elected(report: Path) -> set[str]:
    """The candidates droop's reference report lists as elected when the count completes."""
    text = report.read_text(encoding="utf-8")
    final = text[text.rindex("Action: Count Complete") :]
    names: set[str] = set()
    for match in re.finditer(r"^\tElected:\s+(.*) \([-0-9.]+\)$", final, flags=re.MULTILINE):
        names.update(n.strip() for n in match.group(1).split(","))
    return names


# --- the command as a program -------------------------------------------------------------------


def test_tally_runs_as_a_module_and_prints_one_json_object() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dualpower.core.choice.tally", str(B42), "--rule", "schulze", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["rule"] == "schulze" and data["selected"] == ["Castor", "Pollux"]
    assert {"settings", "rounds", "pairwise"} <= data.keys()


@pytest.mark.parametrize(
    ("argv", "expected"),
    [
        (["/nonexistent/ballots.pb", "--rule", "mes"], "no such file"),
        ([str(BLT / "42.blt"), "--rule", "mes"], "not a .blt file"),
    ],
)
def test_bad_input_as_a_subprocess_exits_2_with_one_sentence(argv: list[str], expected: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "dualpower.core.choice.tally", *argv],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    assert done.returncode == 2
    assert expected in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and done.stdout == ""


def test_help_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0 and "--rule" in out


# --- ranked ballots ----------------------------------------------------------------------------


@pytest.mark.parametrize("blt", sorted(BLT.glob("*.blt")), ids=lambda p: p.stem)
def test_schulze_counts_every_shared_blt_file(capsys: pytest.CaptureFixture[str], blt: Path) -> None:
    data = run_json(capsys, blt, "--rule", "schulze")
    seats = int(blt.read_text(encoding="utf-8").split()[1])
    assert len(data["selected"]) == seats and data["selected"] == data["ranking"][:seats]
    d = data["pairwise"]
    condorcet = [a for a in d if all(d[a][b] > d[b][a] for b in d[a])]
    if condorcet:
        assert data["selected"][0] == condorcet[0]


@pytest.mark.parametrize(
    ("rule", "blt", "reference"),
    [
        ("scottish-stv", "42", "42-scotland-fixed-p5-d5.txt"),
        ("scottish-stv", "Calton-2007", "Calton-2007.scottish-stv.txt"),
        ("meek", "42", "42-meek-o10-rational-d12.txt"),
        ("meek", "SC", "SC-meek-o10-rational-d12.txt"),
        ("wigm", "513", "513-wigm-rational-d12.txt"),
    ],
)
def test_stv_rules_through_tally_elect_the_reference_candidates(
    capsys: pytest.CaptureFixture[str], rule: str, blt: str, reference: str
) -> None:
    data = run_json(capsys, BLT / f"{blt}.blt", "--rule", rule)
    assert data["rule"] == rule
    assert set(data["selected"]) == droop_elected(REFERENCE / reference)
    assert data["rounds"] and data["settings"]


def test_irv_through_tally_fills_one_seat(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, BLT / "Calton-2007.blt", "--rule", "irv")
    assert data["rule"] == "irv" and len(data["selected"]) == 1 and data["rounds"]


def test_seats_and_lot_seed_reach_the_count_and_are_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, BLT / "Calton-2007.blt", "--rule", "schulze", "--seats", "5", "--seed", "7")
    assert len(data["selected"]) == 5 and data["settings"]["lot_seed"] == 7
    order = data["settings"]["tie_order"]
    again = run_json(
        capsys, BLT / "Calton-2007.blt", "--rule", "schulze", "--tie-break", "order:" + ",".join(order)
    )
    assert again["settings"]["tie_order"] == order


def test_the_ranked_text_report_shows_rounds_and_the_elected(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, BLT / "42.blt", "--rule", "scottish-stv")
    assert code == 0 and "Round 1" in out and "Elected: " in out
    code, out, _ = run(capsys, BLT / "42.blt", "--rule", "schulze")
    assert code == 0 and "Strongest paths" in out and "Elected: Castor, Pollux" in out


# --- participatory budgeting ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("Poland_Czestochowa_2024_Polnoc.pb", "greedy"),
        ("Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb", "greedy"),
        ("Poland_Katowice_2023.pb", "greedy-threshold"),
        ("Poland_Wroclaw_2015_150_-_500.pb", "greedy-no-skip"),
    ],
)
def test_greedy_rules_through_tally_reproduce_the_citys_selection(
    capsys: pytest.CaptureFixture[str], name: str, rule: str
) -> None:
    data = run_json(capsys, PABULIB / name, "--rule", rule)
    assert set(data["selected"]) == city_selection(name)
    assert data["total_cost"] > 0 and data["explanation"]


def test_greedy_threshold_reads_the_threshold_from_meta_unless_given(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from_meta = run_json(capsys, PABULIB / "Poland_Katowice_2023.pb", "--rule", "greedy-threshold")
    given = run_json(
        capsys, PABULIB / "Poland_Katowice_2023.pb", "--rule", "greedy-threshold", "--threshold", "9000"
    )
    assert from_meta["settings"]["threshold"] == 200 and given["settings"]["threshold"] == 9000
    assert len(given["selected"]) < len(from_meta["selected"])


WARSZAWA_2017 = PABULIB / "Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb"
WARSZAWA_2017_IDS = ["1623", "427", "2567", "915"]


@pytest.mark.parametrize(
    ("tie_break", "expected"),
    [
        (["--tie-break", "project-id"], {"kind": "project-id"}),
        (["--seed", "5"], {"kind": "equalshares", "seed": 5}),
        (
            ["--tie-break", "order:" + ",".join(WARSZAWA_2017_IDS)],
            {"kind": "order", "order": WARSZAWA_2017_IDS},
        ),
    ],
)
def test_the_tie_break_setting_is_passed_and_recorded(
    capsys: pytest.CaptureFixture[str], tie_break: list[str], expected: dict[str, Any]
) -> None:
    data = run_json(capsys, WARSZAWA_2017, "--rule", "greedy", *tie_break)
    assert data["settings"]["tie_break"] == expected


def test_phragmen_through_tally(capsys: pytest.CaptureFixture[str]) -> None:
    data = run_json(capsys, ASSEN, "--rule", "phragmen")
    assert data["rule"] == "phragmen" and data["selected"]
    assert data["total_cost"] <= 2 * 10**9


@pytest.mark.parametrize("name", ["Poland_Swiecie_2023.pb", "Netherlands_Assen_2024.pb"])
def test_mes_add1_through_tally_reproduces_the_citys_selection(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    data = run_json(capsys, PABULIB / name, "--rule", "mes", "--completion", "add1")
    assert set(data["selected"]) == city_selection(name)
    assert data["explanation"]


def test_mes_explains_one_voters_share(capsys: pytest.CaptureFixture[str]) -> None:
    text = (PABULIB / "Netherlands_Assen_2024.pb").read_text(encoding="utf-8")
    votes = text.split("VOTES\n")[1].splitlines()
    voter = votes[1].split(";")[0]
    data = run_json(capsys, ASSEN, "--rule", "mes", "--explain", voter)
    assert data["voter"]
    code, out, _ = run(capsys, ASSEN, "--rule", "mes", "--explain", voter)
    assert code == 0 and "Voter:" in out


def test_the_budget_text_report_lists_the_selected_projects(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, PABULIB / "Poland_Warszawa_2017_Plac_Wojska_Polskiego.pb", "--rule", "greedy")
    assert code == 0 and "Selected, in order (4 projects" in out and "Explanation:" in out
    assert out.index("427") < out.index("1623")


# --- bad input: one sentence on stderr, exit 2, never a traceback --------------------------------


def _malformed(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


BAD = [
    pytest.param(lambda t: [t / "missing.blt"], "no such file", id="missing-file"),
    pytest.param(lambda t: [t], "neither a .pb nor a .blt", id="folder-without-suffix"),
    pytest.param(lambda t: [_malformed(t, "x.csv", "a")], "neither a .pb nor a .blt", id="unknown-suffix"),
    pytest.param(lambda t: [_malformed(t, "bad.blt", "3 2\n1 1 9 0\n0\n")], "line 2", id="malformed-blt"),
    pytest.param(
        lambda t: [_malformed(t, "bad.pb", "META\nkey;value\nbudget;abc\n")], "bad.pb", id="malformed-pb"
    ),
    pytest.param(lambda t: [B42, "--rule", "greedy"], "not a .blt file", id="pb-rule-on-blt"),
    pytest.param(lambda t: [ASSEN, "--rule", "schulze"], "not a .pb file", id="blt-rule-on-pb"),
    pytest.param(lambda t: [B42, "--rule", "borda"], "invalid choice", id="unknown-rule"),
    pytest.param(lambda t: [B42, "--seats", "two"], "invalid int value", id="seats-not-a-number"),
    pytest.param(lambda t: [B42, "--seats", "0"], "--seats must be 1 or more", id="no-seats"),
    pytest.param(lambda t: [B42, "--rule", "schulze", "--seats", "4"], "seats", id="too-many-seats"),
    pytest.param(lambda t: [B42, "--rule", "irv", "--seats", "2"], "IRV fills one seat", id="irv-seats"),
    pytest.param(
        lambda t: [B42, "--completion", "add1"], "applies only to .pb files", id="completion-on-blt"
    ),
    pytest.param(
        lambda t: [B42, "--threshold", "0"], "applies only to .pb files", id="threshold-zero-on-blt"
    ),
    pytest.param(
        lambda t: [B42, "--rule", "schulze", "--tie-break", "project-id"], "order:ID", id="blt-tie-break"
    ),
    pytest.param(
        lambda t: [ASSEN, "--rule", "greedy", "--completion", "add1"],
        "only to --rule mes",
        id="completion-on-greedy",
    ),
    pytest.param(
        lambda t: [ASSEN, "--rule", "greedy", "--seats", "2"], "only to .blt files", id="seats-on-pb"
    ),
    pytest.param(
        lambda t: [ASSEN, "--rule", "greedy", "--tie-break", "coin"],
        "--tie-break must be",
        id="bad-tie-break",
    ),
    pytest.param(
        lambda t: [ASSEN, "--rule", "greedy", "--tie-break", "project-id", "--seed", "3"],
        "--seed applies only",
        id="seed-without-lot",
    ),
    pytest.param(
        lambda t: [ASSEN, "--rule", "greedy", "--tie-break", "order:1,2"],
        "does not list",
        id="incomplete-order",
    ),
    pytest.param(lambda t: [ASSEN, "--rule", "greedy-threshold"], "needs --threshold", id="no-threshold"),
    pytest.param(
        lambda t: [PABULIB / "Poland_Katowice_2023.pb", "--rule", "phragmen"],
        "approval",
        id="phragmen-on-points",
    ),
    pytest.param(
        lambda t: [ASSEN, "--rule", "mes", "--explain", "nobody"], "No voter 'nobody'", id="unknown-voter"
    ),
    pytest.param(
        lambda t: [ASSEN, "--rule", "mes", "--completion", "all"], "invalid choice", id="bad-completion"
    ),
]


@pytest.mark.parametrize(("argv", "expected"), BAD)
def test_bad_input_exits_2_with_one_sentence_and_no_traceback(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, argv: Any, expected: str
) -> None:
    code, out, err = run(capsys, *argv(tmp_path))
    assert code == 2
    assert expected in err, err
    assert err.startswith("dualpower tally: ") and len(err.strip().splitlines()) == 1
    assert "Traceback" not in err and out == ""


# --- the progress indicator -----------------------------------------------------------------------


def test_a_spinner_appears_on_a_terminal_only_when_the_count_takes_long() -> None:
    terminal = io.StringIO()
    with progress("Counting slowly", after=0.05, console=Console(file=terminal, force_terminal=True)) as note:
        time.sleep(0.3)
        note("add1 step 12")
        time.sleep(0.3)
    assert "Counting slowly" in terminal.getvalue() and "add1 step 12" in terminal.getvalue()
    quick = io.StringIO()
    with progress("Counting quickly", after=5, console=Console(file=quick, force_terminal=True)):
        pass
    assert quick.getvalue() == ""
    pipe = io.StringIO()
    with progress("Counting into a pipe", after=0, console=Console(file=pipe, force_terminal=False)):
        time.sleep(0.1)
    assert pipe.getvalue() == ""


def test_every_rule_of_the_issue_is_offered() -> None:
    assert set(PB_RULES) == {"greedy", "greedy-threshold", "greedy-no-skip", "mes", "phragmen"}
    assert set(BLT_RULES) == {"scottish-stv", "meek", "wigm", "irv", "schulze"}


def test_mes_float_preview_and_completion_are_recorded(capsys: pytest.CaptureFixture[str]) -> None:
    exact = run_json(capsys, ASSEN, "--rule", "mes", "--completion", "none")
    preview = run_json(capsys, ASSEN, "--rule", "mes", "--completion", "none", "--float")
    assert exact["settings"]["arithmetic"] == "exact" and preview["settings"]["arithmetic"] == "float"
    assert exact["settings"]["completion"] == "none" and preview["selected"] == exact["selected"]
    assert len(exact["selected"]) < len(run_json(capsys, ASSEN, "--rule", "mes")["selected"])


# Issue 14, "Input at the door": malformed files that used to end in "unexpected error" (exit 1).
_SMALL_PB = """META
key;value
description;test
num_projects;2
num_votes;2
budget;100
vote_type;approval
PROJECTS
project_id;cost;name
1;50;A
2;60;B
VOTES
voter_id;vote
v1;1
v2;1,2
"""
_HUGE = "x" * 200_000


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("description;test", f"description;{_HUGE}"), "line 3: a field is longer than 131,072 characters."),
        (("v2;1,2", f"v2;{_HUGE}"), "line 15: a field is longer than 131,072 characters."),
        (("v2;1,2", f'v2;"{_HUGE}"'), "line 15: a field is longer than 131,072 characters."),
        (
            ("budget;100", "budget;1." + "1" * 4000),
            "line 6: '1.111111111111111111'… (4,002 characters) has more",
        ),
        (("budget;100", "budget;" + "9" * 5000), "is too large: at most 15 digits before the decimal point."),
        (("budget;100", "budget;1e999999"), "line 6: '1e999999' is too large"),
        (("budget;100", "budget;1e-999999"), "line 6: '1e-999999' has more than 6 decimal places."),
        (("description;test", "description;te\x00st"), "line 3: the file holds the NUL character (U+0000)."),
    ],
)
def test_malformed_pb_files_exit_2_naming_the_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: tuple[str, str], expected: str
) -> None:
    path = tmp_path / "bad.pb"
    path.write_text(_SMALL_PB.replace(*change), encoding="utf-8")
    status, out, err = run(capsys, str(path), "--rule", "greedy")
    assert status == 2 and out == ""
    assert expected in err and "unexpected" not in err


def test_a_pb_file_with_cr_only_line_endings_is_read_as_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old-mac.pb"
    path.write_bytes(_SMALL_PB.replace("\n", "\r").encode())
    result = run_json(capsys, str(path), "--rule", "greedy")
    assert sorted(result["selected"]) == ["1"]
