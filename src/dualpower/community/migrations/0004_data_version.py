"""The count of transactions that wrote (web/fragments.py): a page's kept fragments are served
again only while it is unchanged. SQLite keeps it in a one-row table, PostgreSQL in a sequence."""

from django.db import migrations

NAME = "dp_data_version"


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE TABLE IF NOT EXISTS {NAME} (id integer PRIMARY KEY, n bigint NOT NULL)"
        )  # noqa: E501
        schema_editor.execute(f"INSERT OR IGNORE INTO {NAME} (id, n) VALUES (1, 0)")  # noqa: S608  # a constant
    elif vendor == "postgresql":
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {NAME}")
        schema_editor.execute(f"SELECT nextval('{NAME}')")  # its last value counts from here


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {NAME}")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {NAME}")


class Migration(migrations.Migration):
    dependencies = [("community", "0003_audit_index_name")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
