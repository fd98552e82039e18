"""A migration step written once per database: triggers and functions, for SQLite and PostgreSQL.

    operations = [vendor_sql(sqlite=(SQLITE_UP, SQLITE_DOWN), postgresql=(POSTGRES_UP, POSTGRES_DOWN))]

Any other database gets nothing (dualpower supports these two). The statement lists stay in the
migration, as module constants, so that tests can lift and restore them (see the conftests).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import migrations

Statements = Sequence[str]


def vendor_sql(
    *, sqlite: tuple[Statements, Statements], postgresql: tuple[Statements, Statements]
) -> migrations.RunPython:
    """The forwards and backwards statements for each database, as one reversible operation."""
    by_vendor = {"sqlite": sqlite, "postgresql": postgresql}

    def run(schema_editor: Any, direction: int) -> None:
        statements = by_vendor.get(schema_editor.connection.vendor)
        for sql in statements[direction] if statements else ():
            schema_editor.execute(sql)

    def forwards(apps: Any, schema_editor: Any) -> None:
        run(schema_editor, 0)

    def backwards(apps: Any, schema_editor: Any) -> None:
        run(schema_editor, 1)

    return migrations.RunPython(forwards, backwards)
