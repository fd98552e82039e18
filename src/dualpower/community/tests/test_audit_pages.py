"""The audit log a page at a time (issue 21): pages found by position ("older than entry N"), not
by OFFSET, so that a page deep in the log costs the same queries as the first one; a new entry
never moves a page already linked to; a bad position is a 400 with a sentence."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.community.models import AuditEntry
from dualpower.community.selectors import AUDIT_PAGE_SIZE, audit_page
from dualpower.community.services import audit_record

pytestmark = pytest.mark.django_db
PAGE = "/c/riverside/audit/"
API = "/api/v1/communities/riverside/audit"


def _record(community: Any, n: int) -> list[int]:
    return [
        audit_record(community=community, actor=None, action="x", summary=f"entry {i}").pk for i in range(n)
    ]


def _all_ids(community: Any) -> list[int]:
    return list(AuditEntry.objects.filter(community=community).order_by("-pk").values_list("pk", flat=True))


def test_older_pages_walk_back_through_every_entry_once(community: Any) -> None:
    _record(community, 10)
    everything = _all_ids(community)
    page = audit_page(community=community, size=3)
    assert page.newer is None
    seen = [e.pk for e in page.entries]
    while page.older is not None:
        page = audit_page(community=community, before=page.older, size=3)
        assert page.newer == page.entries[0].pk
        seen += [e.pk for e in page.entries]
    assert seen == everything


def test_newer_pages_walk_forward_to_the_newest(community: Any) -> None:
    _record(community, 10)
    everything = _all_ids(community)
    page = audit_page(community=community, after=0, size=4)  # the oldest four
    assert [e.pk for e in page.entries] == everything[-4:]
    seen = [e.pk for e in page.entries]
    while page.newer is not None:
        page = audit_page(community=community, after=page.newer, size=4)
        assert page.older == page.entries[-1].pk
        seen = [e.pk for e in page.entries] + seen
    assert seen == everything


def test_a_new_entry_does_not_move_an_older_page(community: Any) -> None:
    _record(community, 6)
    first = audit_page(community=community, size=2)
    before = [e.pk for e in audit_page(community=community, before=first.older, size=2).entries]
    _record(community, 3)  # the coordinators keep working while a member reads
    after = [e.pk for e in audit_page(community=community, before=first.older, size=2).entries]
    assert before == after


def _queries(client: Any, path: str, *, newest: int) -> list[str]:
    """The SQL of one request for ``path``, whose first entry must be ``newest``."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, response.content[:300]
    shown = response.json()["items"] if path.startswith("/api/") else response.context["page"].entries
    first = shown[0]["id"] if path.startswith("/api/") else shown[0].pk
    assert first == newest  # the page asked for, not the first one again
    return [q["sql"] for q in captured.captured_queries]


def test_a_deep_page_costs_what_the_first_costs_and_has_no_offset(client_for: Any, community: Any) -> None:
    ids = _record(community, 3 * AUDIT_PAGE_SIZE)
    client = client_for("member")
    client.get(PAGE)  # the session and caches warmed
    first = _queries(client, PAGE, newest=ids[-1])
    deep = _queries(
        client, f"{PAGE}?before={ids[AUDIT_PAGE_SIZE // 2]}", newest=ids[AUDIT_PAGE_SIZE // 2 - 1]
    )
    assert len(deep) == len(first)
    assert not [sql for sql in deep if " OFFSET " in sql.upper()]
    assert not [sql for sql in first if " OFFSET " in sql.upper()]
    # The API's pages too.
    api_first = _queries(client, API, newest=ids[-1])
    api_deep = _queries(client, f"{API}?before={ids[5]}", newest=ids[4])
    assert len(api_deep) == len(api_first)
    assert not [sql for sql in api_first + api_deep if " OFFSET " in sql.upper()]


def test_the_page_links_older_and_newer_entries(client_for: Any, community: Any) -> None:
    _record(community, AUDIT_PAGE_SIZE + 5)
    everything = _all_ids(community)
    client = client_for("member")
    first = client.get(PAGE)
    page = first.context["page"]
    assert [e.pk for e in page.entries] == everything[:AUDIT_PAGE_SIZE]
    html = first.content.decode()
    assert f'href="?before={everything[AUDIT_PAGE_SIZE - 1]}"' in html and "?after=" not in html
    older = client.get(f"{PAGE}?before={page.older}")
    assert [e.pk for e in older.context["page"].entries] == everything[AUDIT_PAGE_SIZE:]
    assert older.context["page"].older is None
    assert f'href="?after={everything[AUDIT_PAGE_SIZE]}"' in older.content.decode()
    back = client.get(f"{PAGE}?after={older.context['page'].newer}")
    assert [e.pk for e in back.context["page"].entries] == everything[:AUDIT_PAGE_SIZE]


@pytest.mark.parametrize(
    "query", ["before=abc", "before=-3", "after=1.5", f"before={2**64}", "before=1&after=2"]
)
def test_a_bad_position_is_refused_with_a_sentence(client_for: Any, community: Any, query: str) -> None:
    response = client_for("member").get(f"{PAGE}?{query}")
    assert response.status_code == 400
    assert "position in the log" in response.content.decode() or "not both" in response.content.decode()


def test_the_api_walks_the_log_by_its_next_links(client_for: Any, community: Any) -> None:
    _record(community, 7)
    everything = _all_ids(community)
    client = client_for("member")
    body = client.get(f"{API}?limit=3").json()
    seen = [item["id"] for item in body["items"]]
    while body["next"]:
        assert "limit=3" in body["next"] and body["next"].startswith("http")
        body = client.get(body["next"]).json()
        seen += [item["id"] for item in body["items"]]
    assert seen == everything


@pytest.mark.parametrize("query", ["before=abc", "before=0", f"before={2**63}", "offset=50"])
def test_the_api_refuses_a_bad_cursor_with_a_sentence(client_for: Any, community: Any, query: str) -> None:
    response = client_for("member").get(f"{API}?{query}")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and body["field"] in {"before", "offset"}
    assert body["detail"].endswith(".") and len(body["detail"]) > 20


def test_a_kept_row_follows_what_it_is_made_from(client_for: Any, community: Any, people: Any) -> None:
    """Rows are kept per process (views.py ``_audit_rows``) under everything they are made from: a
    member's new name, another language and another entry of the same action each give a new row."""
    cato = people["coordinator"].memberships.get(community=community)
    audit_record(community=community, actor=cato, action="x", summary="bought flour")
    client = client_for("member")
    assert "Cato recorded a change: bought flour" in client.get(PAGE).content.decode()
    cato.display_name = "Catalina"
    cato.save(update_fields=["display_name"])
    html = client.get(PAGE).content.decode()
    assert "Catalina recorded a change: bought flour" in html and "Cato recorded" not in html
    spanish = client.get(PAGE, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Catalina recorded a change" not in spanish and "bought flour" in spanish
    audit_record(community=community, actor=cato, action="x", summary="bought salt")
    html = client.get(PAGE).content.decode()
    assert "bought salt" in html and html.count("bought flour") == 1
