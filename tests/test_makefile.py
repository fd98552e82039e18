"""The Makefile keeps its promises: `make run` sets up and serves, `make test` never passes on nothing."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = str(Path(sys.executable).parent)
# -o: treat the install stamps as up to date, so nothing is installed by these tests.
NO_INSTALL = ["-o", ".venv/.dp-installed", "-o", ".venv/.dp-installed-test"]

pytestmark = pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")


def make(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["make", "--no-print-directory", *NO_INSTALL, f"BIN={BIN}", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def test_make_run_initialises_loads_the_demo_and_serves_on_the_port() -> None:
    done = make("-n", "run", "PORT=9123")
    assert done.returncode == 0, done.stderr
    lines = done.stdout
    assert (
        lines.index("dualpower init")
        < lines.index("dualpower demo --if-empty")
        < lines.index("dualpower serve")
    )
    assert "--port 9123" in lines


def test_ci_runs_make_test_with_ci_true() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert script.startswith("#!/usr/bin/env bash")
    assert "set -euo pipefail" in script
    assert "CI=true make test" in script
    assert os.access(ROOT / ".ci" / "run", os.X_OK)


@pytest.mark.slow
def test_a_test_run_that_collects_nothing_fails() -> None:
    nothing = "PYTEST_ARGS=tests/test_makefile.py -k no_test_has_this_name -p no:cacheprovider"
    done = make("test-sqlite", nothing)
    assert done.returncode != 0
    assert "collected no tests" in done.stdout
