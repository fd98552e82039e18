"""Database triggers that derive data when a row is inserted, and holding them off for a restore.

Some tables keep data up to date by triggers on INSERT (a ledger transfer moves both accounts'
balances). A restore loads every row as it was, derived data included: were those triggers to
fire then, every transfer would count twice. So the restore loads with them held off, inside its
transaction; the database's own DDL rollback puts them back if the load fails.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection

_ON_INSERT = re.compile(r"\b(?:AFTER|BEFORE|INSTEAD\s+OF)\s+INSERT\s+ON\b", re.IGNORECASE)
# pg_trigger.tgtype: bit 2 is INSERT (TRIGGER_TYPE_INSERT in PostgreSQL's catalog headers).
_PG_INSERT_BIT = 1 << 2


@dataclass(frozen=True)
class InsertTrigger:
    name: str
    table: str
    sql: str  # SQLite: the statement that recreates it; PostgreSQL: unused (disabled, not dropped)


def insert_triggers() -> list[InsertTrigger]:
    """The user-defined triggers that fire on INSERT, on the default database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
            )
            return [InsertTrigger(*row) for row in cursor.fetchall() if _ON_INSERT.search(row[2] or "")]
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT t.tgname, c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE NOT t.tgisinternal AND (t.tgtype & %s) <> 0 AND n.nspname = current_schema() "
                "ORDER BY t.tgname",
                [_PG_INSERT_BIT],
            )
            return [InsertTrigger(name, table, "") for name, table in cursor.fetchall()]
    return []


def suspend(triggers: list[InsertTrigger]) -> None:
    _switch(triggers, on=False)


def resume(triggers: list[InsertTrigger]) -> None:
    _switch(triggers, on=True)


def _switch(triggers: list[InsertTrigger], *, on: bool) -> None:
    if not triggers:
        return
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            for trigger in triggers:
                cursor.execute(trigger.sql if on else f"DROP TRIGGER {qn(trigger.name)}")
            return
        # PostgreSQL will not alter a table while deferred checks (foreign keys) are still pending
        # in the transaction: run them now, then defer again as Django's constraints are declared
        # (a load inserts rows before the rows they refer to).
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for trigger in triggers:
            action = "ENABLE" if on else "DISABLE"
            cursor.execute(f"ALTER TABLE {qn(trigger.table)} {action} TRIGGER {qn(trigger.name)}")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@contextmanager
def insert_triggers_suspended() -> Iterator[list[InsertTrigger]]:
    """Hold off every insert trigger for the block; must run inside a transaction (atomic)."""
    if not connection.in_atomic_block:
        raise RuntimeError("insert_triggers_suspended() needs a transaction: a failure must roll it back.")
    triggers = insert_triggers()
    suspend(triggers)
    yield triggers
    # Not in a `finally`: after an error the transaction is rolled back, and the triggers with it.
    resume(triggers)
