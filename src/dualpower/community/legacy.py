"""Carry a database made before the `node` app was renamed `community` (2026-12).

The app's tables, its rows in ``django_migrations`` and ``django_content_type``, the append-only
triggers and the type label stored in audit entries all carried the old name. Django has no
migration operation for renaming an app: its migration history has to say "community" before the
migration loader reads it, or every app that depends on the community's migrations looks applied
before its dependency. So this runs before ``migrate`` (see ``management/commands/migrate.py``),
in one transaction, and does nothing on a database that is already carried over or new.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper

OLD, NEW = "node", "community"
TABLES = ("community", "auditentry")

# The audit log's triggers under their old and new names (community/migrations/0002).
SQLITE_OLD_TRIGGERS = ("node_auditentry_no_update", "node_auditentry_no_delete")


def needs_adoption(connection: BaseDatabaseWrapper) -> bool:
    tables = set(connection.introspection.table_names())
    if "django_migrations" not in tables or f"{OLD}_community" not in tables:
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM django_migrations WHERE app = %s", [OLD])
        return bool(cursor.fetchone()[0])


def adopt_node_app(connection: BaseDatabaseWrapper) -> bool:
    """Rename what the `node` app left in the database; True when there was something to carry."""
    if not needs_adoption(connection):
        return False
    # Imported here: the statements live with the migration that made them (one copy of each).
    import importlib

    triggers = importlib.import_module("dualpower.community.migrations.0002_audit_append_only")
    with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for name in SQLITE_OLD_TRIGGERS:
                cursor.execute(f"DROP TRIGGER IF EXISTS {name}")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {OLD}_auditentry_no_change ON {OLD}_auditentry")
            cursor.execute(f"DROP FUNCTION IF EXISTS {OLD}_auditentry_append_only()")
        for table in TABLES:
            cursor.execute(f"ALTER TABLE {OLD}_{table} RENAME TO {NEW}_{table}")
        # The audit log names the type of each entry's target by its app label ("node.community").
        # The triggers are off for this one statement: the change is the rename, not the history.
        cursor.execute(
            "UPDATE community_auditentry SET target_type = 'community.' || substr(target_type, 6) "
            "WHERE target_type LIKE 'node.%'"
        )
        up = triggers.SQLITE_UP if connection.vendor == "sqlite" else triggers.POSTGRES_UP
        for statement in up:
            cursor.execute(statement)
        cursor.execute("UPDATE django_migrations SET app = %s WHERE app = %s", [NEW, OLD])
        if "django_content_type" in connection.introspection.table_names():
            cursor.execute("UPDATE django_content_type SET app_label = %s WHERE app_label = %s", [NEW, OLD])
    return True


def adopt_migration_labels(labels: list[str]) -> list[str]:
    """A backup's list of applied migrations, with `node.…` read as `community.…`."""
    return [f"{NEW}.{label[len(OLD) + 1 :]}" if label.startswith(f"{OLD}.") else label for label in labels]


def adopt_dumped_object(obj: dict[str, Any]) -> dict[str, Any]:
    """One object of a JSON backup made before the rename, as the renamed app would have dumped it."""
    model = obj.get("model", "")
    fields = obj.get("fields", {})
    if model.startswith(f"{OLD}."):
        obj["model"] = f"{NEW}.{model[len(OLD) + 1 :]}"
    if model == "contenttypes.contenttype" and fields.get("app_label") == OLD:
        fields["app_label"] = NEW
    target_type = fields.get("target_type")
    is_audit_entry = obj["model"] == f"{NEW}.auditentry"
    if is_audit_entry and isinstance(target_type, str) and target_type.startswith(f"{OLD}."):
        fields["target_type"] = f"{NEW}.{target_type[len(OLD) + 1 :]}"
    return obj
