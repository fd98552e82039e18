"""The PostgreSQL connection: a kept connection is reused without a `SELECT 1` round trip while it
is quiet, and one the server has dropped is replaced before the request's first query, not
turned into a 500 (src/dualpower/web/postgresql/base.py)."""

from __future__ import annotations

import os
import select
import subprocess
import sys
from typing import Any

import psycopg
import pytest
from django.db import close_old_connections, connections

from dualpower.web.postgresql.base import DatabaseWrapper, connection_is_quiet

# The default database's wrapper itself (django.db.connection is a proxy to it).
connection = connections["default"]


def test_a_postgresql_url_names_the_quiet_check_backend() -> None:
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "dualpower.settings",
        "DATABASE_URL": "postgres://someone@db.example:5432/dualpower",
    }
    env.pop("DP_DATABASE_URL", None)
    engine = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert engine == "dualpower.web.postgresql"


def _kept_connection() -> int:
    """Open the connection as a request would, end that request, and return the server process's id."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    # What every request does when it starts: Django's health check is due again.
    close_old_connections()
    assert connection.connection is not None
    return int(connection.connection.info.backend_pid)


def _health_checks_counted(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    asked: list[bool] = []
    stock = connection.is_usable

    def is_usable() -> bool:
        answer = stock()
        asked.append(answer)
        return answer

    monkeypatch.setattr(connection, "is_usable", is_usable)
    return asked


@pytest.mark.postgres_only
@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_a_quiet_kept_connection_is_reused_without_asking_the_server(monkeypatch: pytest.MonkeyPatch) -> None:
    assert isinstance(connection, DatabaseWrapper)
    assert connection.settings_dict["CONN_HEALTH_CHECKS"]
    backend = _kept_connection()
    asked = _health_checks_counted(monkeypatch)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        assert cursor.fetchone() == (backend,)
    assert asked == []  # Django's own backend sends SELECT 1 here


@pytest.mark.postgres_only
@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_a_connection_the_server_dropped_is_replaced_and_the_page_answers(
    client: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    backend = _kept_connection()
    settings = connection.settings_dict
    with psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s, 10000)", [backend])
    # The server says goodbye and closes the socket; wait for that to arrive (no timing assumed:
    # a dropped connection that has not told us yet looks alive to SELECT 1's caller just as well).
    assert connection.connection is not None
    poller = select.poll()
    poller.register(connection.connection.fileno(), select.POLLIN)
    assert poller.poll(10_000)
    assert not connection_is_quiet(connection.connection)
    asked = _health_checks_counted(monkeypatch)
    # The test client skips close_old_connections; a served request runs it first.
    close_old_connections()
    answer = client.get("/healthz")
    assert answer.status_code == 200
    assert asked == [False]
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        row = cursor.fetchone()
    assert row is not None and row[0] != backend


@pytest.mark.postgres_only
@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_a_connection_inside_a_transaction_is_not_called_quiet() -> None:
    _kept_connection()
    assert connection.connection is not None
    assert connection_is_quiet(connection.connection)
    connection.connection.execute("BEGIN")
    try:
        assert not connection_is_quiet(connection.connection)
    finally:
        connection.connection.execute("ROLLBACK")
