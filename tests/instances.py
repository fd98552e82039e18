"""Real `dualpower` processes on instances of their own, for tests of what crosses a process.

On SQLite each instance is a DP_HOME; when the suite runs on PostgreSQL (make test's second pass)
each also gets a new database on that server, dropped afterwards.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

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


def set_up(env: dict[str, str], template: Any) -> None:
    """Make ``env``'s instance what `dualpower init` makes, as a copy of ``template`` (the
    ``instance_template`` fixture: one `dualpower init` per run): its directory (secret key, keys,
    compiled translations, static files, the SQLite database) and, on PostgreSQL, its database
    (CREATE DATABASE … TEMPLATE). It saves the 25 CPU seconds of migrating from nothing. An
    instance on another kind of database than the template's (a SQLite node in the PostgreSQL
    pass) is a copy of a SQLite template, made once as well. Tests of `init` itself (test_cli.py,
    test_serve.py) run it."""
    url = env.get("DATABASE_URL", "")
    if url and not template.database:  # a PostgreSQL instance in a run on SQLite: none in make test
        ok(run(env, "init"))
        return
    if not url and template.database:
        # A SQLite node in the PostgreSQL pass: a copy of the SQLite pass's template when make test
        # shares its folder (DP_TEST_SHARED), else of one `dualpower init` for the whole pass.
        template = _sqlite_template(template.home.parent.parent)
    shutil.copytree(
        template.home,
        env["DP_HOME"],
        ignore=shutil.ignore_patterns("federation-keys", "*.log"),
        dirs_exist_ok=True,
    )
    if not url:
        return
    import psycopg

    name = url.rsplit("/", 1)[1]
    with psycopg.connect(f"{template.admin_url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"')  # type: ignore[arg-type]


_SQLITE_TEMPLATES = ExitStack()  # left open: a SQLite template has no database to drop at the end


@functools.cache
def _sqlite_template(shared: Path) -> Any:
    """The SQLite instance template in ``shared`` (the folder of the run's template), made on first
    use by one `dualpower init` for every worker of the run, or the one already there."""
    from tests.federation.nodes import instance_template

    return _SQLITE_TEMPLATES.enter_context(instance_template(shared, on_sqlite=True))


def database_for_tests_from(template: Any) -> str:
    """Make the test database (its name after pytest-xdist's suffix) a copy of ``template``'s
    database; its name. The conftest's ``django_db_keepdb`` then lets pytest-django keep it."""
    test = settings.DATABASES["default"]
    name = str(test["TEST"]["NAME"])
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)
        for suffix in ("", "-wal"):  # a WAL left behind holds the last commits
            if (template.home / f"dualpower.sqlite3{suffix}").exists():
                shutil.copyfile(template.home / f"dualpower.sqlite3{suffix}", name + suffix)
        return name
    import psycopg

    with psycopg.connect(f"{template.admin_url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template.database}"')  # type: ignore[arg-type]
    return name


def database_for_tests_drop(name: str) -> None:
    """Remove what ``database_for_tests_from`` made (pytest-django keeps a database it reused)."""
    from django.db import connections

    connections.close_all()
    if connection.vendor == "sqlite":
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(name + suffix).unlink(missing_ok=True)
        return
    import psycopg

    db = settings.DATABASES["default"]
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    admin_url = f"postgresql://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{admin_url}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')  # type: ignore[arg-type]
