"""Repairing text that holds the NUL character (U+0000), which PostgreSQL cannot store.

Before NUL was refused at the door, a SQLite node could store it, the append-only audit log
included; such a row stopped the documented move to PostgreSQL (a SQLite backup restored there).
`dualpower repair-nul` replaces each NUL in the audit log with U+FFFD (the replacement character)
and records the repair as a correction in the same log; restoring a SQLite backup onto PostgreSQL
does the same for every row it carries over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection, transaction

from dualpower.community.models import AuditEntry
from dualpower.community.selectors import communities_all
from dualpower.community.services import audit_record

NUL = "\x00"
REPLACEMENT = "\ufffd"
CORRECTION = "audit.corrected"
AUDIT_TEXT_FIELDS = ("action", "target_type", "target_id", "summary", "data", "decision_ref")
Say = Callable[[str], None]


def scrub(value: Any) -> tuple[Any, bool]:
    """``value`` with every NUL in its text (nested lists and dicts, keys too) replaced; and
    whether anything changed."""
    if isinstance(value, str):
        return (value.replace(NUL, REPLACEMENT), True) if NUL in value else (value, False)
    if isinstance(value, list):
        pairs = [scrub(v) for v in value]
        return [v for v, _ in pairs], any(c for _, c in pairs)
    if isinstance(value, dict):
        out: dict[Any, Any] = {}
        changed = False
        for key, item in value.items():
            new_key, key_changed = scrub(key)
            out[new_key], item_changed = scrub(item)
            changed = changed or key_changed or item_changed
        return out, changed
    return value, False


def audit_entries_with_nul() -> list[AuditEntry]:
    return [
        entry
        for entry in AuditEntry._base_manager.order_by("pk").iterator(chunk_size=2000)
        if any(scrub(getattr(entry, name))[1] for name in AUDIT_TEXT_FIELDS)
    ]


@contextmanager
def _audit_changes_allowed() -> Iterator[None]:
    """Lift the audit log's append-only triggers for the block (inside a transaction: a failure
    rolls the lifting back with everything else)."""
    if not connection.in_atomic_block:
        raise RuntimeError("_audit_changes_allowed() needs a transaction.")
    table = AuditEntry._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s "
                "AND sql LIKE %s",
                [table, "%UPDATE%"],
            )
            triggers = cursor.fetchall()
            for name, _sql in triggers:
                cursor.execute(f"DROP TRIGGER {connection.ops.quote_name(name)}")
            yield
            for _name, sql in triggers:
                cursor.execute(sql)
        else:
            cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} DISABLE TRIGGER USER")
            yield
            cursor.execute(f"ALTER TABLE {connection.ops.quote_name(table)} ENABLE TRIGGER USER")


def record_corrections(repaired: dict[int | None, list[int]], *, other_rows: int = 0) -> None:
    """One correction entry per community whose audit entries were repaired."""
    for community_id, ids in sorted(repaired.items(), key=lambda item: item[0] or 0):
        data: dict[str, object] = {
            "entries": ids,
            "reason": "NUL character (U+0000) replaced with U+FFFD so the log can be stored on PostgreSQL",
        }
        if other_rows:
            data["other_rows_repaired"] = other_rows
        audit_record(
            community=None if community_id is None else communities_all().get(pk=community_id),
            actor=None,
            action=CORRECTION,
            summary=f"Corrected {len(ids)} audit entries holding a NUL character",
            data=data,
        )


def audit_nul_repair(*, say: Say) -> int:
    """Find the audit entries holding a NUL, replace it with U+FFFD, record the correction;
    return how many entries were repaired."""
    with transaction.atomic():
        entries = audit_entries_with_nul()
        if not entries:
            say("No audit entry holds a NUL character: nothing to repair.")
            return 0
        repaired: dict[int | None, list[int]] = defaultdict(list)
        with _audit_changes_allowed():
            for entry in entries:
                fields = {name: scrub(getattr(entry, name))[0] for name in AUDIT_TEXT_FIELDS}
                AuditEntry._base_manager.filter(pk=entry.pk).update(**fields)
                repaired[entry.community_id].append(entry.pk)
        record_corrections(dict(repaired))
    say(
        f"Repaired {len(entries)} audit entries holding a NUL character (now U+FFFD); "
        "the correction is recorded in the audit log."
    )
    return len(entries)
