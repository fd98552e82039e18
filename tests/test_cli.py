"""The `dualpower` command: help, bad input (one sentence, exit 2), createadmin, tally, manage."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from allauth.account.models import EmailAddress

from dualpower.cli import main
from dualpower.community.models import AuditEntry, Community
from dualpower.members.models import Membership, User

COMMANDS = (
    "init",
    "serve",
    "worker",
    "demo",
    "createadmin",
    "backup",
    "restore",
    "manage",
    "tally",
    "tick",
    "ledger",
)


def one_sentence_error(capsys: Any) -> str:
    captured = capsys.readouterr()
    err = captured.err.strip()
    assert err.startswith("dualpower"), err
    assert "Traceback" not in captured.err
    assert len(err.splitlines()) == 1, err
    return err


def test_help_explains_every_command(capsys: Any) -> None:
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in COMMANDS:
        assert f"\n    {command}" in out, command
    assert "DP_HOME" in out


def test_no_command_prints_the_help(capsys: Any) -> None:
    assert main([]) == 0
    assert "usage: dualpower" in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["serve", "--port", "eighty"],
        ["demo", "--seed"],
        ["restore"],
        ["backup", "a", "b"],
    ],
)
def test_bad_input_is_one_sentence_and_exit_2(argv: list[str], capsys: Any) -> None:
    assert main(argv) == 2
    one_sentence_error(capsys)


def test_serve_refuses_a_port_out_of_range(capsys: Any, db: None) -> None:
    assert main(["serve", "--port", "70000"]) == 2
    assert "70000" in one_sentence_error(capsys)


# --- createadmin ------------------------------------------------------------------------------


@pytest.fixture
def password_file(tmp_path: Path) -> Path:
    path = tmp_path / "password"
    path.write_text("a long enough secret 42\n")
    return path


def test_createadmin_appoints_a_coordinator_with_a_verified_email(
    community: Community, password_file: Path, capsys: Any
) -> None:
    status = main(
        ["createadmin", "--email", "Ada@Example.org", "--password-file", str(password_file), "--name", "Ada"]
    )
    assert status == 0, capsys.readouterr().err
    user = User.objects.get(email="ada@example.org")
    assert user.check_password("a long enough secret 42")
    membership = Membership.objects.get(user=user, community=community)
    assert membership.role == Membership.Role.COORDINATOR
    assert membership.display_name == "Ada"
    assert EmailAddress.objects.filter(user=user, verified=True, primary=True).exists()
    assert AuditEntry.objects.filter(community=community, action="member.createadmin").count() == 1
    assert "coordinator of Riverside Mutual Aid" in capsys.readouterr().out


def test_createadmin_can_found_the_first_community(db: None, password_file: Path) -> None:
    argv = ["createadmin", "--email", "ada@example.org", "--password-file", str(password_file)]
    assert main([*argv, "--community", "eastside", "--community-name", "Eastside Commons"]) == 0
    community = Community.objects.get(slug="eastside")
    assert community.name == "Eastside Commons"
    assert Membership.objects.get(community=community).role == Membership.Role.COORDINATOR


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--email", "not-an-email"], "not an email"),
        (["--email", "ada@example.org", "--community", "nowhere"], "no community “nowhere”"),
        (["--email", "applicant@example.org"], "already exists"),
        (["--email", "ada@example.org", "--password-file", "/nonexistent/pw"], "Cannot read"),
        (["--email", "ada@example.org", "--name", "x" * 81], "80 characters"),
    ],
)
def test_createadmin_refuses_bad_input_and_writes_nothing(
    people: dict[str, Any], password_file: Path, capsys: Any, extra: list[str], fragment: str
) -> None:
    argv = ["createadmin", "--password-file", str(password_file), "--community", "riverside", *extra]
    users, memberships = User.objects.count(), Membership.objects.count()
    assert main(argv) == 2
    assert fragment in one_sentence_error(capsys)
    assert (User.objects.count(), Membership.objects.count()) == (users, memberships)


def test_createadmin_refuses_a_weak_password(community: Community, tmp_path: Path, capsys: Any) -> None:
    weak = tmp_path / "weak"
    weak.write_text("12345\n")
    assert main(["createadmin", "--email", "ada@example.org", "--password-file", str(weak)]) == 2
    assert "too short" in one_sentence_error(capsys)
    assert not User.objects.filter(email="ada@example.org").exists()


def test_createadmin_without_a_terminal_asks_for_options(community: Community, capsys: Any) -> None:
    assert main(["createadmin"]) == 2
    assert "give it as an option" in one_sentence_error(capsys)


def test_createadmin_with_several_communities_must_be_told_which(
    community: Community, other_community: Community, password_file: Path, capsys: Any
) -> None:
    assert main(["createadmin", "--email", "ada@example.org", "--password-file", str(password_file)]) == 2
    assert "--community" in one_sentence_error(capsys)


# --- passthroughs -----------------------------------------------------------------------------


def test_manage_passes_through_to_django(db: None, capsys: Any) -> None:
    assert main(["manage", "check"]) == 0
    assert "no issues" in capsys.readouterr().out


def test_tick_runs_every_job_once_and_reports_each(
    db: None, capsys: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dualpower import clock as schedule

    ran: list[str] = []
    monkeypatch.setattr(schedule, "_registry", {})
    schedule.job("test.one")(lambda now: ran.append("one") or "did one")
    schedule.job("test.two")(lambda now: ran.append("two") or "")
    assert main(["tick"]) == 0
    assert ran == ["one", "two"]
    out = capsys.readouterr().out
    assert "test.one: did one" in out and "test.two: nothing due" in out


def test_tick_fails_when_a_job_fails(db: None, capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from dualpower import clock as schedule

    def broken(now: Any) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(schedule, "_registry", {})
    schedule.job("test.broken")(broken)
    assert main(["tick"]) == 1
    assert "test.broken: failed: RuntimeError: disk full" in capsys.readouterr().out


def test_tally_is_delegated_to_the_counting_engine_without_django(tmp_path: Path) -> None:
    ballots = tmp_path / "missing.blt"
    code = (
        "import sys; from dualpower.cli import main; status = main(['tally', sys.argv[1]]); "
        "print('django loaded' if any(m.startswith('django') for m in sys.modules) else 'no django'); "
        "sys.exit(status)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(ballots)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stdout.strip() == "no django"
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().startswith("dualpower tally:")


def test_tally_help_comes_from_the_engine(capsys: Any) -> None:
    assert main(["tally", "--help"]) == 0
    assert "dualpower tally" in capsys.readouterr().out


def test_tally_says_so_when_the_engine_is_missing(monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.setitem(sys.modules, "dualpower.core.choice.tally", None)
    assert main(["tally", "ballots.pb"]) == 2
    assert "counting is not available" in one_sentence_error(capsys)


def test_a_bad_setting_is_one_sentence_and_exit_2(tmp_path: Path) -> None:
    env = {**os.environ, "DP_HOME": str(tmp_path), "DATABASE_URL": "nosuchdb://x"}
    done = subprocess.run(
        [sys.executable, "-m", "dualpower.cli", "init"], env=env, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 2
    assert done.stderr.startswith("dualpower: The settings could not be loaded")
    assert len(done.stderr.strip().splitlines()) == 1
