"""The aid list, the dispatch board and the API read their page of requests with SQL written once
per process (selectors.requests_page) and write their rows in Python (templatetags/aid_pages.py):
the same rows, counts and HTML as the ORM and the row template gave (issue 21)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from dualpower.aid import crypto, selectors
from dualpower.aid.models import AidRequest, Privacy
from dualpower.aid.templatetags.aid_pages import rows_html
from dualpower.aid.tests.factories import AidRequestFactory, AidWorld, confirmed_match, make_request
from dualpower.web.pages import page_of

pytestmark = pytest.mark.django_db


def _orm(world: AidWorld, membership: object, **filters: str) -> list[int]:
    qs = selectors.request_filtered(
        selectors.requests_visible(community=world.community, membership=membership),  # type: ignore[arg-type]
        **filters,
    )
    return [r.pk for r in qs]


def test_a_prepared_page_is_what_the_orm_gives_to_everyone_with_every_filter(world: AidWorld) -> None:
    c = world.community
    mine = make_request(world, urgency=3)
    confirmed_match(world, mine)
    AidRequestFactory.create(community=c, privacy=Privacy.VOLUNTEERS, category="transport")
    AidRequestFactory.create(community=c, privacy=Privacy.VOLUNTEERS, category="food", urgency=1)
    AidRequestFactory.create(community=c, privacy=Privacy.DISPATCHERS, category="housing")
    closed = AidRequestFactory.create(community=c, category="legal")
    AidRequest.objects.filter(pk=closed.pk).update(status=AidRequest.Status.FULFILLED)
    AidRequestFactory.create(community=c, neighbourhood="Old Market")
    filters = [
        {},
        {"status": "open"},
        {"status": "fulfilled"},
        {"status": "active", "category": "food", "urgency": "3"},
        {"urgency": "99"},  # not an urgency: the ORM's answer (none)
        {"neighbourhood": "market"},  # a text search: the ORM's queryset
    ]
    seen_any = set()
    for role in ("dispatcher", "member", "matched_volunteer"):
        me = world.membership(role)
        for given in filters:
            expected = _orm(world, me, **given)
            rows = selectors.requests_page(community=c, membership=me, **given)
            assert rows.count() == len(expected), (role, given)
            assert [r.pk for r in rows[0:100]] == expected, (role, given)
            assert [r.pk for r in rows[1:3]] == expected[1:3], (role, given)
            seen_any |= set(expected)
            page = page_of(
                lambda limit, offset: selectors.requests_window(rows, limit=limit, offset=offset),  # noqa: B023
                raw="2",
                per_page=2,
            )
            assert [r.pk for r in page.rows] == expected[2:4], (role, given)
            assert page.next == (3 if len(expected) > 4 else None)
            if "neighbourhood" not in given:
                assert all(r.community is c for r in rows[0:100])  # the caller's, not read again
    assert len(seen_any) == 6  # all but the dispatchers-only one... for the dispatcher too
    # Rows written after the first call are read by the next.
    later = AidRequestFactory.create(community=c)
    assert later.pk in [
        r.pk for r in selectors.requests_page(community=c, membership=world.dispatcher)[0:100]
    ]


def test_rows_written_in_python_are_escaped_linked_and_translated(world: AidWorld) -> None:
    request = make_request(
        world, description="<b>Soup</b> & bread " + "x" * 130, unit="<boxes>", languages=["Español", "<x>"]
    )
    view = selectors.request_views([request], world.member, community=world.community, with_details=False)
    html = rows_html(view, link="aid:request_detail", slug=world.community.slug)
    assert html.startswith("\n<tr>\n") and html.endswith("</tr>\n")
    assert f'<a href="/c/{world.community.slug}/aid/requests/{request.code}/">{request.code}</a>' in html
    assert '<span class="tag">mine</span>' in html  # the member's own request
    assert "&lt;b&gt;Soup&lt;/b&gt; &amp; bread " in html and "<b>" not in html
    assert "xxxx…</td>" in html  # truncated at 120 characters, as truncatechars did
    assert "&lt;boxes&gt;" in html and "Español, &lt;x&gt;" in html
    assert 'data-label="What is needed"' in html
    with translation.override("es"):
        spanish = rows_html(view, link="aid:request_dispatch", slug=world.community.slug)
    assert 'data-label="Código"' in spanish and "/aid/dispatch/requests/" in spanish


def test_the_board_and_the_list_show_the_rows_and_the_waiting_matches(
    world: AidWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    request = make_request(world)
    match = confirmed_match(world, request)
    assert match.pk
    unsealed: list[str] = []

    def counting(token: str, **kw: Any) -> dict[str, str]:
        unsealed.append(token)
        return {}

    monkeypatch.setattr(crypto, "unseal", counting)
    client = Client()
    client.force_login(world.users["dispatcher"])
    board = client.get(f"/c/{world.community.slug}/aid/dispatch/").content.decode()
    assert f"/aid/dispatch/requests/{request.code}/" in board
    assert unsealed == []  # the board shows no private details: none is decrypted
    listed = client.get(f"/c/{world.community.slug}/aid/?status=&category=&neighbourhood=&urgency=")
    assert f"/aid/requests/{request.code}/" in listed.content.decode()
    volunteer = Client()
    volunteer.force_login(world.users["matched_volunteer"])
    mine = volunteer.get(f"/c/{world.community.slug}/aid/").content.decode()
    assert "Requests I am helping with" in mine and request.code in mine
