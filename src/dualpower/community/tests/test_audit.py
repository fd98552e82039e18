"""Nobody can edit the audit log: the database itself refuses, whatever path a write takes."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction

from dualpower.community.models import AuditEntry
from dualpower.community.services import audit_record

pytestmark = [pytest.mark.db_sensitive, pytest.mark.django_db]


@pytest.fixture
def entry(community: Any) -> AuditEntry:
    return audit_record(community=community, actor=None, action="test.fact", summary="it happened")


def attempts(entry: AuditEntry) -> dict[str, Any]:
    table = AuditEntry._meta.db_table

    def raw(sql: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(sql, [entry.pk])

    def save() -> None:
        entry.summary = "rewritten"
        entry.save()

    return {
        "orm save": save,
        "orm update": lambda: AuditEntry.objects.filter(pk=entry.pk).update(summary="rewritten"),
        "orm delete": lambda: AuditEntry.objects.filter(pk=entry.pk).delete(),
        "instance delete": lambda: AuditEntry.objects.get(pk=entry.pk).delete(),
        "raw update": lambda: raw(f"UPDATE {table} SET summary = 'rewritten' WHERE id = %s"),  # noqa: S608
        "raw delete": lambda: raw(f"DELETE FROM {table} WHERE id = %s"),  # noqa: S608
    }


@pytest.mark.parametrize(
    "how", ["orm save", "orm update", "orm delete", "instance delete", "raw update", "raw delete"]
)
def test_the_audit_log_cannot_be_edited_or_deleted(entry: AuditEntry, how: str) -> None:
    with pytest.raises(DatabaseError), transaction.atomic():
        attempts(entry)[how]()
    stored = AuditEntry.objects.get(pk=entry.pk)
    assert stored.summary == "it happened"


def test_the_audit_log_still_grows(entry: AuditEntry, community: Any) -> None:
    audit_record(community=community, actor=None, action="test.another")
    assert AuditEntry.objects.filter(community=community, action__startswith="test.").count() == 2
