"""The real server: `dualpower init`, then `dualpower serve` answers like production does."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow
DUALPOWER = [sys.executable, "-m", "dualpower.cli"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def instance_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DP_DATABASE_URL", "DP_DEBUG"}}
    env.update(DP_HOME=str(home), DP_WORKERS="1", DP_THREADS="2", PORT="")
    return env


def fetch(url: str) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - our own server
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("dp-serve")
    init = subprocess.run(
        [*DUALPOWER, "init"], env=instance_env(home), capture_output=True, text=True, timeout=180
    )
    assert init.returncode == 0, init.stderr
    return home


@pytest.fixture(scope="module")
def server(home: Path) -> Iterator[str]:
    env = instance_env(home)
    port = free_port()
    process = subprocess.Popen(
        [*DUALPOWER, "serve", "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if fetch(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output = process.stdout.read().decode() if process.stdout else ""
                pytest.fail(f"dualpower serve did not come up:\n{output}")
            time.sleep(0.2)
        yield base
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_healthz_says_ok(server: str) -> None:
    status, _headers, body = fetch(f"{server}/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}


def test_front_page_is_served_with_security_headers(server: str) -> None:
    status, headers, body = fetch(f"{server}/")
    assert status == 200
    assert b"<html" in body.lower()
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"


def test_openapi_schema_lists_the_api(server: str) -> None:
    status, headers, body = fetch(f"{server}/api/v1/openapi.json")
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    schema = json.loads(body)
    assert schema["openapi"].startswith("3.")
    assert any(path.startswith("/api/v1/") for path in schema["paths"])


def test_static_files_come_from_whitenoise(server: str) -> None:
    status, headers, body = fetch(f"{server}/static/vendor/htmx.min.js")
    assert status == 200
    assert "javascript" in headers["Content-Type"]
    assert b"htmx" in body


def test_serve_refuses_an_instance_that_is_not_set_up(tmp_path: Path) -> None:
    done = subprocess.run(
        [*DUALPOWER, "serve", "--port", str(free_port())],
        env=instance_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "dualpower init" in done.stderr
    assert "Traceback" not in done.stderr


def test_serve_refuses_a_port_in_use(home: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        taken = busy.getsockname()[1]
        done = subprocess.run(
            [*DUALPOWER, "serve", "--port", str(taken)],
            env=instance_env(home),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 2
    assert f"Cannot listen on 127.0.0.1:{taken}" in done.stderr
    assert "Traceback" not in done.stderr


def test_init_makes_a_private_secret_key_and_a_wal_database(home: Path) -> None:
    import sqlite3

    key = home / "secret_key"
    assert len(key.read_text().strip()) >= 50
    assert key.stat().st_mode & 0o077 == 0
    with sqlite3.connect(home / "dualpower.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert db.execute("SELECT count(*) FROM django_migrations").fetchone()[0] > 0
    assert (home / "static" / "staticfiles.json").exists()


def test_init_again_changes_nothing_and_succeeds(home: Path) -> None:
    key = (home / "secret_key").read_text()
    again = subprocess.run(
        [*DUALPOWER, "init"], env=instance_env(home), capture_output=True, text=True, timeout=180
    )
    assert again.returncode == 0, again.stderr
    assert (home / "secret_key").read_text() == key


def test_worker_runs_queued_jobs_and_stops_when_asked_to_in_batch_mode(home: Path) -> None:
    done = subprocess.run(
        [*DUALPOWER, "worker", "--batch", "--no-reload"],
        env=instance_env(home),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Starting worker" in done.stderr + done.stdout


def test_a_server_process_keeps_what_it_made_starting_out_of_the_collectors_sight(tmp_path: Path) -> None:
    """dualpower.wsgi freezes the objects of the started process (gc.freeze): a full collection
    would otherwise walk all of them, stalling every thread of the worker for 70-150 ms."""
    script = "import gc, dualpower.wsgi; print(gc.get_freeze_count())"
    out = subprocess.run(
        [sys.executable, "-c", script], env=instance_env(tmp_path), capture_output=True, text=True, check=True
    )
    assert int(out.stdout.strip().splitlines()[-1]) > 100_000
