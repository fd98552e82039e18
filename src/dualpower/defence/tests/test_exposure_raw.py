"""Erased means erased on the disk: SQLite's secure_delete and the WAL emptied after an erasure."""

from __future__ import annotations

import secrets

import pytest
from django.contrib.auth.models import Group
from django.db import connection, transaction

from dualpower import holdings
from dualpower.defence.tests.raw_database import raw_contains, raw_count, raw_rows, sqlite_only, wal_size

pytestmark = [sqlite_only, pytest.mark.django_db(transaction=True)]


def _secret() -> str:
    return "seen-at-" + secrets.token_hex(8)


def test_the_settings_overwrite_deleted_rows() -> None:
    assert holdings.erased_rows_overwritten()


def test_a_committed_row_is_on_the_disk_and_in_a_copy_of_it() -> None:
    secret = _secret()
    group = Group.objects.create(name=secret)
    assert raw_contains(secret)
    assert raw_count("auth_group", "id = ?", [group.pk]) == 1
    assert raw_rows("SELECT name FROM auth_group WHERE id = ?", [group.pk]) == [(secret,)]


def test_an_erased_row_leaves_no_byte_in_the_file_nor_the_wal() -> None:
    secret = _secret()
    group = Group.objects.create(name=secret)
    with connection.cursor() as cursor:  # the row's page is in the file itself, not only in the WAL
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    assert raw_contains(secret)
    with transaction.atomic():
        Group.objects.filter(pk=group.pk).delete()
        holdings.erasure_flush()
        assert raw_contains(secret)  # the flush waits for the commit
    assert wal_size() == 0
    assert not raw_contains(secret)
    assert raw_count("auth_group", "id = ?", [group.pk]) == 0


def test_without_secure_delete_the_erased_row_stays_readable() -> None:
    """The contrast that shows the test above can fail: the setting is what erases the bytes."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete=OFF")
    try:
        secret = _secret()
        group = Group.objects.create(name=secret)
        Group.objects.filter(pk=group.pk).delete()
        holdings.erasure_flush()
        assert raw_count("auth_group", "id = ?", [group.pk]) == 0
        assert raw_contains(secret)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA secure_delete=ON")
