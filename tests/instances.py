"""Real `dualpower` processes on instances of their own, for tests of what crosses a process.

On SQLite each instance is a DP_HOME; when the suite runs on PostgreSQL (make test's second pass)
each also gets a new database on that server, dropped afterwards.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.db import connection

DUALPOWER = [sys.executable, "-m", "dualpower.cli"]


def run(env: dict[str, str], *args: str, code: str | None = None) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", code] if code else [*DUALPOWER, *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)


def ok(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, done.stderr + done.stdout
    return done.stdout


def base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DP_DATABASE_URL"}}
    env.update(DP_HOME=str(home), DJANGO_SETTINGS_MODULE="dualpower.settings", DP_DISABLE_RATE_LIMITS="1")
    return env


@contextmanager
def instances(tmp_path: Path, *sides: str) -> Iterator[list[dict[str, str]]]:
    """Empty instances, one per side, on the database the suite runs on."""
    envs = [base_env(tmp_path / side) for side in sides]
    if connection.vendor != "postgresql":
        yield envs
        return
    import psycopg

    db = settings.DATABASES["default"]
    admin_url = f"postgresql://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    names = [f"dp_test_{uuid.uuid4().hex[:10]}_{side}" for side in sides]
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    for env, name in zip(envs, names, strict=True):
        env["DATABASE_URL"] = f"{admin_url}/{name}"
    try:
        yield envs
    finally:
        with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
