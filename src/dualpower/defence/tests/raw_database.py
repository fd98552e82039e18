"""Read the SQLite database the way someone holding the disk would: the file's bytes, WAL included.

For the tests that say "nothing but counts is left" and "the seizure page tells the truth". What
Django's queries see is not enough: a deleted row can still sit in a free page of the file, or in
an older image of its page in the write-ahead log, and someone with the disk reads those too.

    from dualpower.defence.tests.raw_database import raw_contains, raw_rows, sqlite_only

    @sqlite_only
    @pytest.mark.django_db(transaction=True)  # only committed rows reach the files
    def test_erased(...):
        ...
        assert not raw_contains("what was seen")   # in no byte of the file nor of its WAL
        assert raw_rows("SELECT count(*) FROM defence_incident") == [(0,)]

Only the SQLite pass can read files; ``sqlite_only`` skips a test on PostgreSQL.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection

sqlite_only = pytest.mark.skipif(
    not settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"),
    reason="reads the SQLite file and its WAL; PostgreSQL's files are the server's",
)


def database_path() -> Path:
    """The database file the tests write to (the test database, per worker)."""
    if connection.vendor != "sqlite":
        pytest.skip("reads the SQLite file and its WAL")
    name = connection.settings_dict["NAME"]
    if connection.is_in_memory_db():  # type: ignore[attr-defined]  # SQLite only
        pytest.skip("an in-memory database has no file to read")
    return Path(name)


def database_files() -> list[Path]:
    """The file and, when there is one, its write-ahead log (the -shm index holds no rows)."""
    path = database_path()
    return [p for p in (path, path.with_name(path.name + "-wal")) if p.exists()]


def raw_bytes() -> bytes:
    """Every byte of the database file and of its WAL, as they are on the disk now."""
    return b"".join(p.read_bytes() for p in database_files())


def raw_contains(text: str | bytes) -> bool:
    """Does ``text`` appear anywhere in the file or its WAL (live rows, free pages, old page images)?"""
    needle = text.encode() if isinstance(text, str) else text
    return needle in raw_bytes()


def wal_size() -> int:
    """The WAL file's size in bytes (0 when there is none, or after a truncating checkpoint)."""
    path = database_path()
    wal = path.with_name(path.name + "-wal")
    return wal.stat().st_size if wal.exists() else 0


@contextmanager
def raw_snapshot() -> Iterator[sqlite3.Connection]:
    """A copy of the file and its WAL, opened with sqlite3 itself, apart from Django: what someone
    who copied the disk would open. The copy is deleted afterwards."""
    with tempfile.TemporaryDirectory(prefix="dp-raw-") as folder:
        target = Path(folder) / "seized.sqlite3"
        for source in database_files():
            suffix = source.name[len(database_path().name) :]
            shutil.copyfile(source, target.with_name(target.name + suffix))
        with closing(sqlite3.connect(target)) as seized:
            yield seized


def raw_rows(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of a query on a copy of the disk (``raw_snapshot``)."""
    with raw_snapshot() as seized:
        return list(seized.execute(sql, params).fetchall())


def raw_count(table: str, where: str = "", params: Sequence[Any] = ()) -> int:
    """How many rows ``table`` holds on a copy of the disk (``where`` without the word WHERE)."""
    sql = f'SELECT count(*) FROM "{table}"' + (f" WHERE {where}" if where else "")  # noqa: S608 - test helper, names from models
    return int(raw_rows(sql, params)[0][0])
