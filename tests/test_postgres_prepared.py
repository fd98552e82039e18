"""Prepared statements on PostgreSQL (issue 21): a PostgreSQL URL turns on server-side binding and
psycopg's prepare_threshold (settings.py), the connection keeps more statements than psycopg's
default (web/postgresql/base.py), and a query run a few times is prepared on the server.
docs/operating.md, "PostgreSQL"; figures in docs/benchmarks/pages.md."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from django.db import connections

from dualpower.web.postgresql.base import PREPARED_MAX

connection = connections["default"]


def _options(**env: str) -> dict[str, object]:
    code = "import json; from django.conf import settings; print(json.dumps(settings.DATABASES['default']))"
    environ = {**os.environ, "DJANGO_SETTINGS_MODULE": "dualpower.settings", **env}
    environ.pop("DP_DATABASE_URL", None)
    if "DP_PG_PREPARE_THRESHOLD" not in env:
        environ.pop("DP_PG_PREPARE_THRESHOLD", None)
    out = subprocess.run(
        [sys.executable, "-c", code], env=environ, capture_output=True, text=True, check=True
    )
    database: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    options = database.get("OPTIONS") or {}
    assert isinstance(options, dict)
    return options


def test_a_postgresql_url_turns_prepared_statements_on() -> None:
    url = "postgres://someone@db.example:5432/dualpower"
    options = _options(DATABASE_URL=url)
    assert options.get("server_side_binding") is True
    assert options.get("prepare_threshold") == 2
    assert _options(DATABASE_URL=url, DP_PG_PREPARE_THRESHOLD="5").get("prepare_threshold") == 5
    off = _options(DATABASE_URL=url, DP_PG_PREPARE_THRESHOLD="off")
    assert "server_side_binding" not in off
    assert "prepare_threshold" not in off


def test_a_threshold_below_one_is_refused() -> None:
    """At 0 psycopg prepares a query before its first run, and a string of several statements (a
    migration's SQL) cannot be prepared: settings refuse it rather than break `migrate`."""
    url = "postgres://someone@db.example:5432/dualpower"
    with pytest.raises(subprocess.CalledProcessError) as refused:
        _options(DATABASE_URL=url, DP_PG_PREPARE_THRESHOLD="0")
    assert "DP_PG_PREPARE_THRESHOLD" in refused.value.stderr


@pytest.mark.postgres_only
@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_a_query_run_again_is_prepared_on_the_server() -> None:
    connection.ensure_connection()
    raw = connection.connection
    assert raw is not None
    assert connection.features.uses_server_side_binding
    threshold = raw.prepare_threshold
    assert threshold is not None
    assert raw.prepared_max == PREPARED_MAX
    probe = "SELECT %s::integer + 1 AS dp_prepared_probe"
    with connection.cursor() as cursor:
        for value in range(threshold + 2):
            cursor.execute(probe, [value])
            assert cursor.fetchone() == (value + 1,)
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", ["%dp_prepared_probe%"]
        )
        assert cursor.fetchone() == (1,)
        # A string of several statements (as a migration's SQL can be) is never prepared: run often
        # enough, it would fail with "cannot insert multiple commands into a prepared statement".
        for _ in range(threshold + 2):
            cursor.execute("SELECT 1 AS dp_several_probe; SELECT 2")
