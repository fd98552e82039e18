"""The capital register is append-only: the database itself refuses to change or delete a line.

The same approach as node/migrations/0002_audit_append_only.py: a mistake is corrected by a new
operation, never by editing the register.
"""

from django.db import migrations

from dualpower.migration_sql import vendor_sql

TABLE = "coops_capitalentry"
SQLITE_UP = [
    f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
       BEGIN SELECT RAISE(ABORT, 'the capital register is append-only'); END;""",
    f"""CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE}
       BEGIN SELECT RAISE(ABORT, 'the capital register is append-only'); END;""",
]
SQLITE_DOWN = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
]
POSTGRES_UP = [
    f"""CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the capital register is append-only'; END; $$ LANGUAGE plpgsql;""",
    f"""CREATE TRIGGER {TABLE}_no_change BEFORE UPDATE OR DELETE ON {TABLE}
       FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();""",
]
POSTGRES_DOWN = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_change ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only();",
]


class Migration(migrations.Migration):
    dependencies = [("coops", "0001_initial")]
    operations = [vendor_sql(sqlite=(SQLITE_UP, SQLITE_DOWN), postgresql=(POSTGRES_UP, POSTGRES_DOWN))]
