"""Transfers are immutable: the database itself refuses to change or delete one.

The same approach as the audit log (node/migrations/0002_audit_append_only.py). A mistake is fixed
by a correcting transfer that references the original, never by editing it.
"""

from django.db import migrations

from dualpower.migration_sql import vendor_sql

SQLITE_UP = [
    """CREATE TRIGGER ledger_transfer_no_update BEFORE UPDATE ON ledger_transfer
       BEGIN SELECT RAISE(ABORT, 'ledger transfers are immutable'); END;""",
    """CREATE TRIGGER ledger_transfer_no_delete BEFORE DELETE ON ledger_transfer
       BEGIN SELECT RAISE(ABORT, 'ledger transfers are immutable'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS ledger_transfer_no_update;",
    "DROP TRIGGER IF EXISTS ledger_transfer_no_delete;",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION ledger_transfer_immutable() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'ledger transfers are immutable'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER ledger_transfer_no_change BEFORE UPDATE OR DELETE ON ledger_transfer
       FOR EACH ROW EXECUTE FUNCTION ledger_transfer_immutable();""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS ledger_transfer_no_change ON ledger_transfer;",
    "DROP FUNCTION IF EXISTS ledger_transfer_immutable();",
]


class Migration(migrations.Migration):
    dependencies = [("ledger", "0001_initial")]
    operations = [vendor_sql(sqlite=(SQLITE_UP, SQLITE_DOWN), postgresql=(POSTGRES_UP, POSTGRES_DOWN))]
