"""Kept fragments and rows (web/fragments.py): the database's state that keys them, the tag, and
the rows of prepared queries.

The state must change with every committed write a page could show (else a kept fragment would
show old rows), and only then (else nothing is ever kept); the tag must keep only what
its key names, give each visitor their own CSRF token, and stand aside inside a transaction; rows
are kept only within a request that has read the state and not written since."""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from dualpower.community.models import Community
from dualpower.community.selectors import community_for_visitor
from dualpower.web import fragments
from dualpower.web.fragments import Later, current_version
from dualpower.web.prepared import Prepared
from dualpower.web.sessions import SessionStore


def _rename(community: Community, name: str) -> None:
    Community.objects.filter(pk=community.pk).update(name=name)


@contextlib.contextmanager
def _request(version: Any = None) -> Iterator[None]:
    """A request of the test's own, which has read ``version`` (None: no state read yet)."""
    fragments.request_starts()
    if version is not None:
        fragments.note_version(version)
    try:
        yield
    finally:
        fragments.request_ends()


def _state_read_with(slug: str) -> Any:
    """The state a request of an anonymous visitor reads with the community ``slug``."""
    with _request():
        community_for_visitor(slug=slug, user=None)
        return fragments.version()


# --- the database's state ------------------------------------------------------------------------


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_a_committed_write_changes_the_state_a_page_reads_with_its_community(community: Community) -> None:
    before = _state_read_with(community.slug)
    _rename(community, "Renamed")
    after = _state_read_with(community.slug)
    assert before is not None
    assert after != before
    with transaction.atomic():
        _rename(community, "Again")
        _rename(community, "And again")
    assert current_version() != after


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_each_writing_transaction_is_counted_once_and_only_those(community: Community) -> None:
    start = current_version()
    assert current_version() == start  # reading changes nothing
    with transaction.atomic():
        _rename(community, "One")
        _rename(community, "Two")
        with transaction.atomic():  # a savepoint inside the same transaction
            _rename(community, "Three")
    assert current_version() == start + 1
    _rename(community, "Outside a transaction")  # autocommit: counted after the statement
    assert current_version() == start + 2


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_transaction_is_not_counted(community: Community) -> None:
    start = current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        _rename(community, "Never")
        raise RuntimeError
    assert current_version() == start
    # The next transaction counts itself although the rolled-back one had marked itself counted.
    with transaction.atomic():
        _rename(community, "Kept")
    assert current_version() == start + 1


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_a_savepoint_rolled_back_leaves_the_rest_of_its_transaction_counted(
    community: Community,
) -> None:
    start = current_version()
    with transaction.atomic():
        try:
            with transaction.atomic():
                _rename(community, "Never")
                raise RuntimeError
        except RuntimeError:
            pass
        _rename(community, "After the savepoint")
    assert current_version() == start + 1
    assert Community.objects.get(pk=community.pk).name == "After the savepoint"


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_sessions_and_the_cache_are_not_counted(community: Community) -> None:
    start = current_version()
    session = SessionStore()
    session["x"] = 1
    session.save()
    cache.set("dp-fragment-test", 1)
    assert current_version() == start


# --- the tag --------------------------------------------------------------------------------------

_TEMPLATE = Template(
    "{% load fragments %}{% fragment 'part' role %}{{ n }}|{{ role }}|{% csrf_token %}{% endfragment %}"
)


class _Place:
    """A community as a page has it: an id."""

    def __init__(self, pk: int = 1) -> None:
        self.pk = pk


def _render(version: Any, *, n: Any, role: str = "member", token: str = "A", pk: int = 1) -> str:  # noqa: S107
    """The tag rendered in a request that read ``version``."""
    context = {"community": _Place(pk), "n": n, "role": role, "csrf_token": token}
    with _request(version):
        return _TEMPLATE.render(Context(context))


def test_a_fragment_is_served_again_while_the_state_and_its_key_are_unchanged() -> None:
    first = _render(7, n=1)
    again = _render(7, n=2)  # what would render differently, were it rendered
    assert "1|member|" in first
    assert again == first
    assert fragments.store.hits == 1


def test_a_new_state_another_key_value_or_community_renders_anew() -> None:
    _render(7, n=1)
    assert "2|member|" in _render(8, n=2)
    assert "3|coordinator|" in _render(8, n=3, role="coordinator")
    assert "4|member|" in _render(8, n=4, pk=2)
    assert fragments.store.hits == 0


def test_each_visitor_gets_their_own_csrf_token_in_a_kept_fragment() -> None:
    mine = _render(7, n=1, token="tokenofA")
    theirs = _render(7, n=1, token="tokenofB")
    assert 'value="tokenofA"' in mine
    assert 'value="tokenofB"' in theirs
    assert "tokenofA" not in theirs
    assert fragments.CSRF_SLOT not in theirs


def test_no_state_read_or_fragments_off_render_every_time(settings: Any) -> None:
    _render(None, n=1)
    assert "2|" in _render(None, n=2)
    settings.DP_FRAGMENTS = False
    _render(7, n=3)
    assert "4|" in _render(7, n=4)
    assert fragments.store.hits == 0


@pytest.mark.django_db
def test_inside_a_transaction_nothing_is_kept_or_served() -> None:
    # A test's transaction (or ATOMIC_REQUESTS) may see its own uncommitted rows: no state names them.
    assert connection.in_atomic_block
    _render(7, n=1)
    assert "2|" in _render(7, n=2)
    assert fragments.store.hits == 0


def test_a_later_value_is_worked_out_once_and_only_when_its_fragment_is_rendered() -> None:
    calls: list[int] = []

    def expensive(*, x: int) -> int:
        calls.append(x)
        return x * 10

    template = Template("{% load fragments %}{% fragment 'lazy' %}{{ value }}{{ value }}{% endfragment %}")
    for _ in range(3):
        with _request(5):
            html = template.render(Context({"community": _Place(), "value": Later(expensive, x=4)}))
        assert html == "4040"
    assert calls == [4]


def test_the_store_keeps_within_its_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fragments, "MAX_BYTES", 800)
    for i in range(10):
        fragments.store.put(("k", i), 0.0, "x" * 90)
    assert fragments.store._bytes <= 800
    assert fragments.store.get(("k", 0), 0.0) is None  # the oldest went first
    assert fragments.store.get(("k", 9), 0.0) == "x" * 90


def test_a_kept_answer_keeps_only_a_success() -> None:
    from django.http import HttpResponse

    from dualpower.web.fragments import kept_answer

    key = ("answer",)
    with _request(3):
        refused = kept_answer(key=key, answer=lambda: HttpResponse("no", status=422))
        assert refused.status_code == 422
        with pytest.raises(ValueError, match="bad input"):
            kept_answer(key=key, answer=lambda: (_ for _ in ()).throw(ValueError("bad input")))
        json = "application/json"
        first = kept_answer(key=key, answer=lambda: HttpResponse("[1]", content_type=json))
        again = kept_answer(key=key, answer=lambda: HttpResponse("[2]", content_type=json))
    assert again.content == first.content == b"[1]"
    assert again["Content-Type"] == json


# --- rows kept within a request's state -----------------------------------------------------------

_by_id = Prepared(lambda pk: Community.objects.filter(pk=pk), pk=int)
_since = Prepared(
    lambda pk, moment: Community.objects.filter(pk=pk, created_at__lt=moment), pk=int, moment=dt.datetime
)


def _reads(fn: Callable[[], Any]) -> tuple[int, Any]:
    """How many queries ``fn()`` made, and what it gave."""
    with CaptureQueriesContext(connection) as captured:
        value = fn()
    return len(captured.captured_queries), value


@pytest.mark.db_sensitive
@pytest.mark.django_db(transaction=True)
def test_a_prepared_querys_rows_are_kept_while_nothing_is_written(community: Community) -> None:
    state = current_version()
    with _request(state):
        first = _reads(lambda: _by_id(pk=community.pk))
    with _request(state):
        again = _reads(lambda: _by_id(pk=community.pk))
    assert (first[0], again[0]) == (1, 0)
    # Each call gets objects of its own: one request's changes to them reach no other.
    assert first[1][0] is not again[1][0] and again[1][0].name == community.name
    first[1][0].name = "Changed in memory only"
    with _request(state):
        assert _by_id(pk=community.pk)[0].name == community.name
    _rename(community, "Renamed")  # a write: the next request reads a new state, and the row
    with _request(current_version()):
        assert _reads(lambda: _by_id(pk=community.pk)[0].name) == (1, "Renamed")


@pytest.mark.django_db(transaction=True)
def test_a_request_that_wrote_reads_afresh(community: Community) -> None:
    # A form sent, then its page shown again in the same request: what it wrote must show.
    with _request(current_version()):
        _by_id(pk=community.pk)
        assert fragments.version() is not None
        _rename(community, "Written by this request")
        assert fragments.version() is None
        assert _reads(lambda: _by_id(pk=community.pk)[0].name) == (1, "Written by this request")


@pytest.mark.django_db(transaction=True)
def test_nothing_is_kept_outside_a_request_or_for_a_query_of_moments(community: Community) -> None:
    # The clock and the jobs have no request to bound how old a state may be.
    assert [_reads(lambda: _by_id(pk=community.pk))[0] for _ in range(2)] == [1, 1]
    later = community.created_at + dt.timedelta(days=1)
    with _request(current_version()):
        assert [_reads(lambda: _since(pk=community.pk, moment=later))[0] for _ in range(2)] == [1, 1]


@pytest.mark.django_db(transaction=True)
def test_a_signed_in_visitors_session_reads_the_state_first(community: Community) -> None:
    session = SessionStore()
    session["x"] = 1
    session.save()
    with _request():
        assert fragments.version() is None
        assert SessionStore(session.session_key).load() == {"x": 1}
        assert fragments.version() == current_version()
        # The community's own reading of it comes later and is not the request's.
        _rename(community, "Renamed")
        fragments.note_version(current_version())
        assert fragments.version() is None  # this request wrote


@pytest.mark.django_db
def test_rows_are_not_kept_inside_a_transaction(community: Community) -> None:
    with _request(7):
        assert [_reads(lambda: _by_id(pk=community.pk))[0] for _ in range(2)] == [1, 1]
