"""The audit log is append-only: the database itself refuses to change or delete an entry."""

from django.db import migrations

from dualpower.migration_sql import vendor_sql

SQLITE_UP = [
    """CREATE TRIGGER community_auditentry_no_update BEFORE UPDATE ON community_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
    """CREATE TRIGGER community_auditentry_no_delete BEFORE DELETE ON community_auditentry
       BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;""",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS community_auditentry_no_update;",
    "DROP TRIGGER IF EXISTS community_auditentry_no_delete;",
]
POSTGRES_UP = [
    """CREATE OR REPLACE FUNCTION community_auditentry_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'the audit log is append-only'; END; $$ LANGUAGE plpgsql;""",
    """CREATE TRIGGER community_auditentry_no_change BEFORE UPDATE OR DELETE ON community_auditentry
       FOR EACH ROW EXECUTE FUNCTION community_auditentry_append_only();""",
]
POSTGRES_DOWN = [
    "DROP TRIGGER IF EXISTS community_auditentry_no_change ON community_auditentry;",
    "DROP FUNCTION IF EXISTS community_auditentry_append_only();",
]


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [vendor_sql(sqlite=(SQLITE_UP, SQLITE_DOWN), postgresql=(POSTGRES_UP, POSTGRES_DOWN))]
