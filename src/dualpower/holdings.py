"""What this node holds, as each app declares it: the registry behind "What a seizure would reveal".

Filled by the community defence work (issue 19): each app that keeps sensitive records registers a
function that describes, from the data itself, what it holds, what is sealed and with which key,
and when it is erased. The defence app's page "What a seizure would reveal" shows every
registration, and a test compares what the registrations say with what the raw database file holds.

A base module (models appear only in annotations), so that any app may register from its
``registrations.py``:

    from dualpower import holdings

    def describe(community: Community) -> list[holdings.Holding]:
        n = Request.objects.filter(community=community).count()
        return [
            holdings.Holding(
                what=_("Aid requests"),
                count=n,
                sealed_with="aid",
                readable_by_server_holder=_("the kind, status and dates of each request"),
                erased_when=_("never: requests stay until a coordinator deletes them"),
                table=Request._meta.db_table,
                sealed_columns=("details_sealed",),
            )
        ]

    holdings.register("aid", describe)

``count`` must come from the data (a query), never a constant. ``table`` and ``sealed_columns``
are what the test reads in the raw file: the rows of ``table`` that belong to the community (and
meet ``rows_where``) are ``count`` (when ``community_column`` is set), and no ``sealed_columns``
value is plaintext. Every table of a registering app must be named by one of its holdings (or be
listed, with the reason, as holding nobody's data in the defence app's test).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import DEFAULT_DB_ALIAS, connections, transaction

if TYPE_CHECKING:
    from django.utils.functional import Promise

    from dualpower.community.models import Community

    Text = str | Promise
else:
    Text = str


@dataclass(frozen=True)
class Holding:
    """One kind of record the node holds about a community, described for its members."""

    what: Text  # what it is, in words a member understands ("Aid requests")
    count: int  # how many the node holds now, counted from the data
    sealed_with: str | None  # the key's name ("aid", "mfa", "ballot") or None when stored plain
    readable_by_server_holder: Text  # what someone holding the server and its disk could read
    erased_when: Text  # when it is erased ("when the incident closes, reduced to a count")
    # For the test that keeps the page true (optional: a holding with no table of its own
    # leaves them empty):
    table: str = ""  # the database table the records are in
    community_column: str = ""  # the column naming the community (its id), to count per community
    # An SQL condition narrowing the rows counted ("action LIKE 'aid.%'"); ``{community}`` stands
    # for the community's id (for a table reached through another: "request_id IN (SELECT …)").
    rows_where: str = ""
    sealed_columns: tuple[str, ...] = ()  # columns that hold only sealed tokens (or empty values)


Describe = Callable[["Community"], list[Holding]]


@dataclass(frozen=True)
class Registration:
    name: str  # a dotted name, unique: "aid", "defence.response"
    title: Text  # a heading for the page ("Mutual aid")
    describe: Describe
    order: int = 100


_registry: dict[str, Registration] = {}


def register(name: str, describe: Describe, *, title: Text = "", order: int = 100) -> Describe:
    """Register (or replace, by name) the function that describes what ``name`` holds."""
    _registry[name] = Registration(name=name, title=title or name, describe=describe, order=order)
    return describe


def registrations() -> list[Registration]:
    return sorted(_registry.values(), key=lambda r: (r.order, r.name))


def describe_all(community: Community) -> list[tuple[Registration, list[Holding]]]:
    """Every registration with what it holds about ``community`` now, in registration order."""
    return [(reg, list(reg.describe(community))) for reg in registrations()]


# --- Erasing for good -------------------------------------------------------------------------
# On SQLite the settings turn secure_delete on: a deleted row's bytes are overwritten with zeros in
# the page that held it. The page's older images still sit in the write-ahead log (the WAL file
# next to the database) until a checkpoint copies the new images into the file and the log is
# emptied. ``erasure_flush`` does that right after the transaction that erased something commits.
# PostgreSQL has no such setting: a deleted row stays in its page until VACUUM marks the space
# free for reuse (it does not overwrite it), and in the WAL segments until they are recycled
# (docs/community-defence.md says so plainly).


def erasure_flush(*, using: str = DEFAULT_DB_ALIAS) -> None:
    """Once the current transaction commits (now, outside one), leave no copy of erased rows in
    SQLite's write-ahead log: checkpoint it into the database file and truncate it to nothing.

    A checkpoint waits (the connection's busy timeout) for readers still looking at older pages;
    if one is still reading then, the log is emptied by the next checkpoint instead.
    """

    def flush() -> None:
        connection = connections[using]
        if connection.vendor != "sqlite":
            return
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            cursor.fetchall()

    transaction.on_commit(flush, using=using)


def erased_rows_overwritten(*, using: str = DEFAULT_DB_ALIAS) -> bool:
    """Does the database overwrite what is deleted (SQLite with secure_delete on)?"""
    connection = connections[using]
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA secure_delete")
        row = cursor.fetchone()
    return bool(row and row[0])
