"""Let transactional tests (``django_db(transaction=True)``) end cleanly despite the append-only log.

After such a test Django empties every table; the audit log's triggers refuse that on SQLite
(PostgreSQL empties tables with TRUNCATE, which row triggers do not see). The fixture
``audit_log_emptied_after`` clears the log with its triggers briefly lifted, then puts them back.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.db import connection

_migration = importlib.import_module("dualpower.community.migrations.0002_audit_append_only")


def empty_audit_log() -> None:
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for sql in _migration.SQLITE_DOWN:
                cursor.execute(sql)
            cursor.execute("DELETE FROM community_auditentry")
            for sql in _migration.SQLITE_UP:
                cursor.execute(sql)


@pytest.fixture
def audit_log_emptied_after(transactional_db: None) -> Iterator[None]:
    yield
    empty_audit_log()
