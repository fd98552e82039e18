"""`dualpower serve` keeps the clock and runs the job worker: a vote whose time is up closes, its
outcome is emailed, and the demo's coordinator reads that email on the page "Mail sent from this
node". Real processes on a scratch instance with the demo community, as `make run` starts them."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from tests.instances import set_up

pytestmark = pytest.mark.slow
DUALPOWER = [sys.executable, "-m", "dualpower.cli"]
CARGO_BIKE = "Buy a shared cargo bike"
# The outcome of the cargo bike vote, to everyone in the general assembly (the demo decides in
# other bodies too: those outcomes are emailed when the worker first runs).
DECIDED = "A proposal was decided in General assembly"


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def instance_env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DP_DATABASE_URL", "DP_DEBUG"}}
    env.update(DP_HOME=str(home), DP_WORKERS="1", DP_THREADS="2", PORT="", **extra)
    env.pop("DP_EMAIL_HOST", None)  # the node keeps its mail in DP_HOME/mail
    return env


def run(home: Path, *args: str, timeout: float = 180) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [*DUALPOWER, *args], env=instance_env(home), capture_output=True, text=True, timeout=timeout
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def wait_for(what: str, ready: Callable[[], Any], *, seconds: float = 90) -> Any:
    """Poll ``ready`` until it returns something true; fail with ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        found = ready()
        if found:
            return found
        if time.monotonic() > deadline:
            pytest.fail(f"gave up after {seconds:.0f} s waiting for {what}")
        time.sleep(0.25)


def query(home: Path, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    with sqlite3.connect(f"file:{home / 'dualpower.sqlite3'}?mode=ro", uri=True, timeout=30) as db:
        return db.execute(sql, params).fetchall()


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_text().replace("\0", " ")
    except OSError:
        return ""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory, instance_template: Any) -> Path:
    home = tmp_path_factory.mktemp("dp-clock")
    set_up(instance_env(home), instance_template)  # = `dualpower init`, copied from the run's one
    run(home, "demo")
    return home


def test_two_ticks_at_the_same_moment_act_once(home: Path) -> None:
    """Two `dualpower tick` processes (cron on two machines, say) started together: one runs the
    jobs, the other finds this minute's tick done."""
    # Not across a minute's turn, where each would rightly tick its own minute.
    wait_for("the start of a minute", lambda: datetime.now().second < 40, seconds=60)
    ticks = [
        subprocess.Popen(
            [*DUALPOWER, "tick"], env=instance_env(home), stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        for _ in range(2)
    ]
    outputs = [tick.communicate(timeout=120)[0].decode() for tick in ticks]
    assert [tick.returncode for tick in ticks] == [0, 0], outputs
    ran = [out for out in outputs if "assemblies.windows:" in out]
    skipped = [out for out in outputs if "already ticked" in out]
    assert (len(ran), len(skipped)) == (1, 1), outputs


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    port = free_port()
    process = subprocess.Popen(
        [*DUALPOWER, "serve", "--port", str(port)],
        env=instance_env(home, DP_TICK_SECONDS="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        if process.poll() is not None:
            output = process.stdout.read().decode() if process.stdout else ""
            pytest.fail(f"dualpower serve stopped:\n{output}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=5) as response:  # noqa: S310
                return bool(response.status == 200)
        except OSError:
            return False

    try:
        wait_for("dualpower serve to answer", healthy, seconds=60)
        yield base, process
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
    assert process.returncode == 0


def mail_files_with(home: Path, text: str) -> list[Path]:
    folder = home / "mail"
    if not folder.is_dir():
        return []
    return [p for p in folder.glob("*.log") if text.encode() in p.read_bytes()]


@pytest.fixture(scope="module")
def vote_closed_by_the_clock(home: Path, server: tuple[str, subprocess.Popen[bytes]]) -> int:
    """The demo's cargo-bike vote, whose time runs out while the node is serving (as a week passing
    would do), closed by the clock. A fixture, so that each test that needs the closed vote has it
    on whichever pytest-xdist worker runs it (module fixtures are made once per worker)."""
    (proposal_id, state), *_ = query(
        home, "SELECT id, state FROM assemblies_proposal WHERE title LIKE ?", CARGO_BIKE + "%"
    )
    assert state == "voting"
    assert not mail_files_with(home, DECIDED)
    run(
        home,
        "manage",
        "shell",
        "-c",
        "from datetime import timedelta; from django.utils import timezone; "
        "from dualpower.assemblies.models import Proposal; "
        f"Proposal.objects.filter(pk={proposal_id})"
        ".update(voting_closes_at=timezone.now() - timedelta(seconds=1))",
    )
    wait_for(
        "the clock to close the vote",
        lambda: (
            query(home, "SELECT state FROM assemblies_proposal WHERE id = ?", proposal_id) == [("closed",)]
        ),
    )
    return int(proposal_id)


def test_serve_closes_a_vote_whose_time_is_up_and_emails_the_outcome(
    home: Path, vote_closed_by_the_clock: int
) -> None:
    # The outcome notification's emails are a background task: the worker sends them.
    wait_for("the worker to send the outcome by email", lambda: mail_files_with(home, DECIDED))


def test_the_demo_coordinator_reads_the_mail_on_the_node(
    home: Path, server: tuple[str, subprocess.Popen[bytes]], vote_closed_by_the_clock: int
) -> None:
    base, _process = server
    wait_for("an outcome email", lambda: mail_files_with(home, DECIDED))
    jar = http.cookiejar.CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    with browser.open(f"{base}/accounts/login/", timeout=10) as response:
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.read().decode())
    assert token is not None
    form = urllib.parse.urlencode(
        {
            "csrfmiddlewaretoken": token.group(1),
            "login": "coordinator@demo.dualpower",
            "password": "demo-coordinator-pass",
        }
    ).encode()
    with browser.open(f"{base}/accounts/login/", data=form, timeout=10) as response:
        assert response.status == 200
    with browser.open(f"{base}/c/demo/", timeout=10) as response:
        dashboard = response.read().decode()
    assert 'href="/c/demo/mail/"' in dashboard
    with browser.open(f"{base}/c/demo/mail/", timeout=10) as response:
        page = response.read().decode()
    assert "Mail sent from this node" in page
    assert DECIDED in page, re.findall(r"<h2[^>]*>([^<]*)</h2>", page)[:5]


def test_a_worker_that_dies_is_started_again(home: Path, server: tuple[str, subprocess.Popen[bytes]]) -> None:
    _base, process = server

    def worker() -> int | None:
        return next((c for c in children(process.pid) if "dualpower.cli worker" in cmdline(c)), None)

    first = wait_for("the worker process", worker)
    os.kill(first, signal.SIGKILL)
    second = wait_for("a new worker process", lambda: (w := worker()) is not None and w != first and w)
    assert second != first


def test_serve_no_worker_serves_alone(home: Path) -> None:
    """For an operator who runs `dualpower worker` as a service of its own."""
    port = free_port()
    process = subprocess.Popen(
        [*DUALPOWER, "serve", "--port", str(port), "--no-worker"],
        env=instance_env(home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def answers() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as response:
                return bool(response.status == 200)
        except OSError:
            return process.poll() is not None and pytest.fail("dualpower serve --no-worker stopped")

    try:
        wait_for("dualpower serve --no-worker to answer", answers, seconds=60)
        assert "gunicorn" in cmdline(process.pid)  # serve became gunicorn: nothing else runs
        assert not [c for c in children(process.pid) if "dualpower.cli worker" in cmdline(c)]
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)
