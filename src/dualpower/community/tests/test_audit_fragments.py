"""The audit log keeps its table while the data is unchanged (web/fragments.py): a second visit,
with nothing written between, asks the database for the visitor's session alone (no entry), a new
entry shows on the next visit, each place in the log is its own fragment, and nobody who may not
read the log is served it.

Transactional tests: inside an ordinary test's transaction no fragment is kept."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from dualpower.community import services
from dualpower.community.selectors import AUDIT_PAGE_SIZE
from dualpower.members.tests.factories import membership_of
from dualpower.web.tests.kept import SESSION_ALONE, VISITORS_OWN, signed_in, visit

pytestmark = [
    # Not in the PostgreSQL pass: what a page keeps is the same code on both databases; the count
    # it is keyed by is checked on both by tests/test_fragments.py (transactional tests cost a
    # flush of every table each on PostgreSQL).
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("audit_log_emptied_after"),
]

PAGE = "/c/riverside/audit/"
ROW = re.compile(r'<tr><td data-label="When">.*?</tr>', re.S)


def record(community: Any, actor: Any, summary: str) -> Any:
    return services.audit_record(community=community, actor=actor, action="test.note", summary=summary)


def test_the_log_is_kept_until_a_write(people: dict[str, Any], community: Any) -> None:
    coordinator = membership_of(people["coordinator"], community)
    record(community, coordinator, "Kept the keys")
    (client,) = signed_in(people["member"])
    _, page = visit(client, PAGE)
    second, again = visit(client, PAGE)
    assert second == SESSION_ALONE
    assert ROW.findall(again) == ROW.findall(page) != []
    assert "Kept the keys" in again
    # A change through a service is recorded and shows on the next visit.
    services.community_update(community=community, actor_user=people["coordinator"], description="New words")
    _, after = visit(client, PAGE)
    assert len(ROW.findall(after)) == len(ROW.findall(again)) + 1


def test_each_place_in_the_log_is_its_own_fragment(people: dict[str, Any], community: Any) -> None:
    coordinator = membership_of(people["coordinator"], community)
    entries = [record(community, coordinator, f"Note {i:02}") for i in range(AUDIT_PAGE_SIZE + 2)]
    (client,) = signed_in(people["member"])
    visit(client, PAGE)
    _, newest = visit(client, PAGE)
    _, older = visit(client, f"{PAGE}?before={entries[2].pk}")
    _, newer = visit(client, f"{PAGE}?after={entries[1].pk}")
    assert "Note 51" in newest and "Note 51" not in older and "Note 01" in older
    assert f"?before={entries[2].pk}" in newest and 'rel="next"' not in older
    assert ROW.findall(newer) == ROW.findall(newest)  # the same entries from the other side


def test_the_kept_log_is_served_only_to_those_who_may_read_it(people: dict[str, Any], community: Any) -> None:
    record(community, membership_of(people["coordinator"], community), "Kept the keys")
    # Everyone signed in first (signing in writes: the fragments kept before would be dropped).
    coordinator, observer, outsider = signed_in(*(people[r] for r in ("coordinator", "observer", "outsider")))
    first, _ = visit(coordinator, PAGE)
    _, kept = visit(coordinator, PAGE)
    second, seen = visit(observer, PAGE)
    # The log reads the same for everyone admitted: the observer's first visit reads their own
    # account, community and membership, not the page of entries the coordinator's visit kept.
    assert second == SESSION_ALONE + VISITORS_OWN < first
    assert ROW.findall(seen) == ROW.findall(kept)
    assert outsider.get(PAGE).status_code == 403
    assert "Kept the keys" not in Client().get(PAGE).content.decode()
