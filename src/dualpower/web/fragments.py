"""Fragments of pages kept per process while the data they are made from is unchanged.

Many members open the same pages (a proposal on an assembly night, the aid list, a meeting's
agenda): each request read the same rows and rendered the same HTML again. A fragment is a part of
a page that is the same for every visitor who sees it: the page keeps its HTML, and serves it
again for as long as **nothing has been written to the database since** and it is younger than
``MAX_AGE``. What a fragment shows must depend only on its key: the data (the database's state,
below), the things named in its key (the proposal, the visitor's role where the part differs by
role), the language and the time zone. The visitor's own parts (their vote, their forms bound to
their input) stay outside fragments; a fragment's forms get the visitor's own CSRF token (a slot
is left in the kept copy, as web/frame.py does for the menu).

**The database's state** is a count of the transactions that wrote, read as a column of the first
query a request makes (``version_sql``: the signed-in visitor's session, else the community) and
kept for that request (``note_version``, ``version``). ``count_writes``, run on every connection,
counts each transaction that writes to a table a page may show (not the sessions, the shared
cache, the job queue or the clock's lease), and each such statement made outside a transaction.
SQLite keeps the count in a one-row table, counted inside the writing transaction; PostgreSQL in a
sequence, counted just after the commit (community's migration 0004; ``count_writes`` says why
each). A write made by any process, the job worker and the clock included, is counted; a write
made around Django (by hand in ``psql``) is not, and shows within ``MAX_AGE``. (PostgreSQL's own
snapshot would need no counting, but it changes with every write to any database of the server,
the clock's lease renewed every few seconds included: kept fragments would rarely outlive a few
seconds.)

**Rows** are kept the same way: what a page reads by a query written once (web/prepared.py: the
signed-in account, the proposal, the visitor's vote...) and the community with the visitor's
membership are kept as the database gave them (``kept_rows``) and made into fresh objects on
each request, so a visit while nothing is written asks the database for its session alone.

A request inside a transaction (a test's, or an ``ATOMIC_REQUESTS`` deployment) may see its own
uncommitted rows, which no version describes, and a request that has written (a form sent, then
its page shown again) has changed what it read: neither reads nor keeps anything kept
(``version`` is None then). So the test suite's pages, which run inside each test's transaction,
render everything each time; fragments are tested by transactional tests (tests/test_fragments.py
and each page's own). Outside a request (the clock, a job) nothing is kept: no request bounds how
old its state may be.

``DP_FRAGMENTS=off`` turns them off (every page rendered whole), e.g. to compare.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import sys
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpResponse, HttpResponseBase
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import get_current_timezone_name
from django.utils.translation import get_language

VERSION_TABLE = "dp_data_version"
CSRF_SLOT = "\x00fragment-csrf\x00"  # NUL: no text of ours contains it (see web/frame.py)
MAX_AGE = 60.0  # seconds: a safety net for what changes without a write (the clock's moments)
MAX_BYTES = 8 * 1024 * 1024  # per process; the least recently used fragments go first


def version_sql(vendor: str) -> str:
    """A column expression that reads the database's state (see the module's text)."""
    if vendor == "postgresql":
        return f"(SELECT last_value FROM {VERSION_TABLE})"  # noqa: S608  # our own constant
    return f"(SELECT n FROM {VERSION_TABLE} WHERE id = 1)"  # noqa: S608  # our own constant


def enabled() -> bool:
    return bool(getattr(settings, "DP_FRAGMENTS", True))


class _Request:
    """What one request knows of the database's state: the version it read first, and whether it
    has written since (its reads after a write are of a state no version it read describes)."""

    __slots__ = ("version", "wrote")

    def __init__(self) -> None:
        self.version: Any = None
        self.wrote = False


_request: contextvars.ContextVar[_Request | None] = contextvars.ContextVar("dp_request_state", default=None)


@receiver(request_started)
def request_starts(**_kwargs: Any) -> None:
    """A request begins: it has read no state yet (tests call this for a request of their own)."""
    _request.set(_Request())


@receiver(request_finished)
def request_ends(**_kwargs: Any) -> None:
    _request.set(None)


def note_version(value: Any) -> None:
    """Called by the query that read ``version_sql`` as a column. The first reading of a request
    is the one it keeps: what it reads afterwards is at least as new, so nothing kept under it is
    older than the state it names."""
    state = _request.get()
    if state is not None and state.version is None and not state.wrote:
        state.version = value


def version() -> Any:
    """The state this request's kept parts and rows are keyed by, or None when nothing may be
    kept or served: fragments off, no request or no state read, inside a transaction (whose own
    writes no version describes), or after the request wrote."""
    state = _request.get()
    if state is None or state.version is None or state.wrote or not enabled():
        return None
    return None if connection.in_atomic_block else state.version


class _Store:
    """HTML and rows by key, the least recently used dropped past ``MAX_BYTES``; shared by the
    threads of a process (one lock: a lookup is a dict access)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._items: OrderedDict[Hashable, tuple[float, int, Any]] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: Hashable, now: float) -> Any:
        with self._lock:
            item = self._items.get(key)
            if item is None or now - item[0] > MAX_AGE:
                self.misses += 1
                return None
            self._items.move_to_end(key)
            self.hits += 1
            return item[2]

    def put(self, key: Hashable, now: float, value: Any, size: int | None = None) -> None:
        """Keep ``value`` (HTML, or rows: ``size`` then says about how many bytes they hold)."""
        if size is None:
            size = len(value)
        if size > MAX_BYTES // 8:  # one page's part never crowds out the others
            return
        with self._lock:
            old = self._items.pop(key, None)
            if old is not None:
                self._bytes -= old[1]
            self._items[key] = (now, size, value)
            self._bytes += size
            while self._bytes > MAX_BYTES and self._items:
                _, (_, dropped, _) = self._items.popitem(last=False)
                self._bytes -= dropped

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._bytes = 0
            self.hits = self.misses = 0


store = _Store()


def kept_html(
    *,
    key: tuple[Hashable, ...],
    make: Callable[[Any], str],
    csrf_token: Callable[[], Any] | None = None,
) -> SafeString:
    """The fragment ``key`` at this request's ``version``: kept HTML when there is some, else
    ``make(csrf)`` (given the slot to put where the visitor's CSRF token goes) kept for the next
    request. The language and time zone are part of every key. ``csrf_token()`` gives the
    visitor's token (Django's lazy one is fine: it is only worked out if the fragment has a form)."""
    state = version()
    if state is None:
        return mark_safe(make(csrf_token() if csrf_token is not None else ""))  # noqa: S308  # our templates
    full = (*key, state, get_language(), get_current_timezone_name())
    now = time.monotonic()
    html = store.get(full, now)
    if html is None:
        html = make(CSRF_SLOT)
        store.put(full, now, html)
    if CSRF_SLOT in html:
        html = html.replace(CSRF_SLOT, str(csrf_token() if csrf_token is not None else ""))
    return mark_safe(html)  # noqa: S308  # rendered by our templates; the token is Django's


class _NotKept(Exception):
    """The answer made was not a success (an error): given as it is, not kept."""

    def __init__(self, response: HttpResponseBase) -> None:
        super().__init__()
        self.response = response


def kept_answer(*, key: tuple[Hashable, ...], answer: Callable[[], HttpResponseBase]) -> HttpResponseBase:
    """A whole answer (an API list's JSON, say) kept as its body and content type while the data
    is unchanged, like a fragment: ``answer`` runs only when it is not kept, and an answer other
    than 200 is given as it is and never kept. ``key`` names everything the answer depends on
    besides the data: the visitor where what they may see differs, the page asked for. Check the
    visitor's permission before, on every request."""

    def make(_csrf: object) -> str:
        response = answer()
        if not isinstance(response, HttpResponse) or response.status_code != 200:
            raise _NotKept(response)
        return f"{response['Content-Type']}\n{response.content.decode(response.charset)}"

    try:
        kept = kept_html(key=key, make=make)
    except _NotKept as other:
        return other.response
    content_type, body = str(kept).split("\n", 1)
    return HttpResponse(body, content_type=content_type)


Rows = list[tuple[Any, ...]]


def kept_rows(key: tuple[Hashable, ...], read: Callable[[], Rows]) -> Rows:
    """The rows ``read()`` gives, kept under ``key`` at this request's ``version`` (read again
    when nothing may be kept). Rows as the database gave them: immutable values, made into the
    request's own objects by the caller (a JSON field's dict is decoded afresh each time)."""
    state = version()
    if state is None:
        return read()
    full = ("rows", *key, state)
    now = time.monotonic()
    rows: Rows | None = store.get(full, now)
    if rows is None:
        rows = read()
        store.put(full, now, rows, size=_size(rows))
    return rows


def _size(rows: Rows) -> int:
    """About how many bytes ``rows`` hold (text counted by its length; other values by their
    size), to weigh them against the fragments in the same store."""
    size = 64
    for row in rows:
        size += 56 + 8 * len(row)
        for value in row:
            size += len(value) if isinstance(value, str | bytes) else sys.getsizeof(value)
    return size


class Later:
    """A value worked out only if a page's fragment is rendered, once: ``Later(selector, x=1)``
    in a template's context reads like the selector's result (templates call what they are given),
    and costs nothing when the fragment that uses it is kept."""

    __slots__ = ("_args", "_done", "_fn", "_kwargs", "_value")

    def __init__(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> None:
        self._fn, self._args, self._kwargs = fn, args, kwargs
        self._done = False
        self._value: Any = None

    def __call__(self) -> Any:
        if not self._done:
            self._value = self._fn(*self._args, **self._kwargs)
            self._done = True
        return self._value


# --- Counting the transactions that write ----------------------------------------------------------

_READS = ("SELECT", "SAVEPOI", "RELEASE", "ROLLBAC", "PRAGMA", "BEGIN", "COMMIT", "EXPLAIN", "VALUES", "SET ")
_WRITTEN_TABLE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.IGNORECASE
)
# Tables that no page shows: the sessions, the shared cache, the job queue and the clock's lease
# (renewed every few seconds). Their writes change no fragment, so they are not counted.
_NOT_SHOWN = frozenset({"django_session", "dp_cache", "django_tasks_database_dbtaskresult", "ops_clocklease"})
_BUMP = {
    "sqlite": f"UPDATE {VERSION_TABLE} SET n = n + 1 WHERE id = 1",  # noqa: S608  # our own constant
    "postgresql": f"SELECT nextval('{VERSION_TABLE}')",
}


def _bump(wrapper: BaseDatabaseWrapper) -> None:
    # A database still migrating up to the table (or sequence) has none yet, and no page reads a
    # version before it exists: nothing to count.
    with contextlib.suppress(wrapper.Database.Error):  # type: ignore[attr-defined]  # each backend's DB-API
        wrapper.connection.execute(_BUMP[wrapper.vendor])


class _Counted:
    """Left in a transaction's on-commit callbacks once it has written: it has been counted.
    Dropped with the transaction, or with the savepoint it was left in, on a rollback."""

    def __init__(self, wrapper: BaseDatabaseWrapper) -> None:
        self.wrapper = wrapper

    def __call__(self) -> None:
        if self.wrapper.vendor == "postgresql":
            _bump(self.wrapper)  # after the commit: see count_writes


def count_writes(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    """An execute wrapper: after a statement that writes (outside the tables no page shows), count
    its transaction once.

    SQLite counts in ``dp_data_version`` inside the transaction, so the count commits (or rolls
    back) with the rows. PostgreSQL counts in the sequence ``dp_data_version`` just after the
    commit: a sequence takes no lock (a counter row would make every writing transaction wait
    for the one before), and counting after the commit means no page can read the new count with
    the old rows; between the commit and the count, a page may still serve the old fragment, as
    it would have, had it been read a moment earlier."""
    result = execute(sql, params, many, context)
    if sql.lstrip()[:7].upper().startswith(_READS):
        return result
    written = _WRITTEN_TABLE.match(sql)
    if written is not None and written.group(1) in _NOT_SHOWN:
        return result
    state = _request.get()
    if state is not None:
        state.wrote = True  # its own write: what it reads next is newer than its version
    wrapper: BaseDatabaseWrapper = context["connection"]
    if not wrapper.in_atomic_block:
        _bump(wrapper)  # the statement has committed by itself
        return result
    if any(isinstance(entry[1], _Counted) for entry in wrapper.run_on_commit):
        return result
    transaction.on_commit(_Counted(wrapper), using=wrapper.alias, robust=True)
    if wrapper.vendor == "sqlite":
        _bump(wrapper)
    return result


@receiver(connection_created)
def _on_connection(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor in _BUMP and count_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(count_writes)


def current_version(using: str = DEFAULT_DB_ALIAS) -> Any:
    """The database's state as a page would read it (for tests and the API's own reads)."""
    db = connections[using]
    with db.cursor() as cursor:
        cursor.execute(f"SELECT {version_sql(db.vendor)}")
        row = cursor.fetchone()
    return row[0] if row else None
