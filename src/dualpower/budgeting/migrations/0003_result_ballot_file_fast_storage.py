"""A result's ballot file (5 MB for 100,000 ballots) stored without PostgreSQL's default pglz
compression, which took half a second of every count of that size (issue 21): lz4 where the
server has it (a tenth of the time, nearly the same size), else stored as is. Nothing changes on
SQLite, and values already stored stay as they are."""

from __future__ import annotations

from typing import Any

from django.db import migrations

FAST = """
DO $$
BEGIN
    ALTER TABLE {table} ALTER COLUMN ballot_file SET COMPRESSION lz4;
EXCEPTION WHEN OTHERS THEN
    ALTER TABLE {table} ALTER COLUMN ballot_file SET STORAGE EXTERNAL;
END
$$;
"""

DEFAULT = """
ALTER TABLE {table} ALTER COLUMN ballot_file SET COMPRESSION default;
ALTER TABLE {table} ALTER COLUMN ballot_file SET STORAGE EXTENDED;
"""


def _on_postgresql(sql: str) -> Any:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            table = schema_editor.quote_name(apps.get_model("budgeting", "Result")._meta.db_table)
            schema_editor.execute(sql.replace("{table}", table))

    return run


class Migration(migrations.Migration):
    dependencies = [("budgeting", "0002_progress_photo_server_chosen_names")]

    operations = [migrations.RunPython(_on_postgresql(FAST), _on_postgresql(DEFAULT), elidable=False)]
