"""The activities list a page at a time (issue 21): the same occurrences, order, free places and
"my place" as ``upcoming``, read in one query per page; the kept cards follow every change."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dualpower.activities import selectors, services
from dualpower.activities.models import Activity
from dualpower.activities.tests.factories import SeriesFactory, first_activity, slot_of
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db
BASE = "/c/riverside/activities"
CARD = re.compile(r'<li class="card">.*?</li>', re.S)


def test_the_pages_hold_upcoming_in_its_order(
    client_as: Any, community: Any, everyone: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(selectors, "PER_PAGE", 3)  # pages of three: a few dates make several
    daily = SeriesFactory.create(
        community=community, title="Twice a week", repeat="weekly", weekdays=[1, 4], in_days=1
    )
    me = membership_of(everyone["member"], community)
    late = Activity.objects.filter(series=daily).order_by("-starts_at")[1]
    services.slot_sign_up(slot=slot_of(late), membership=me)
    services.slot_sign_up(slot=slot_of(first_activity(daily)), membership=make_membership(community))
    expected = [
        (a.pk, a.free, a.my_signup.slot.label if a.my_signup else None)  # type: ignore[attr-defined]
        for a in selectors.upcoming(community=community, membership=me)
    ]
    assert len(expected) > 2 * selectors.PER_PAGE
    got, page, more = [], 1, True
    while more:
        shown = selectors.upcoming_page(community=community, membership=me, raw=str(page))
        got += [(a.pk, a.free, a.my_place) for a in shown.rows]  # type: ignore[attr-defined]
        more = shown.next is not None
        page += 1
    assert got == expected  # mine first (a late date), then by time; free places as counted

    client = client_as("member")
    first = client.get(f"{BASE}/").content.decode()
    assert len(CARD.findall(first)) == selectors.PER_PAGE
    assert 'href="?page=2" rel="next"' in first and "Previous" not in first
    assert first.index("You: Drivers") < first.index("Coming up")
    assert client.get(f"{BASE}/?page=x").content.decode().count('<li class="card">') == selectors.PER_PAGE
    pages = page - 1
    last = client.get(f"{BASE}/?page={pages}").content.decode()
    assert len(CARD.findall(last)) == len(expected) - selectors.PER_PAGE * (pages - 1)
    assert f'href="?page={pages - 1}" rel="prev"' in last and 'rel="next"' not in last
    assert "My next shifts" not in last  # my place is on the first page
    beyond = client.get(f"{BASE}/?page=999").content.decode()
    assert not CARD.findall(beyond) and 'rel="prev"' in beyond


def test_the_kept_cards_follow_free_places_and_my_place(
    client_as: Any, community: Any, everyone: Any, series: Any
) -> None:
    client = client_as("member")
    assert "5 places free" in client.get(f"{BASE}/").content.decode()
    activity = first_activity(series)
    services.slot_sign_up(slot=slot_of(activity), membership=make_membership(community))
    page = client.get(f"{BASE}/").content.decode()
    assert "4 places free" in page and "5 places free" not in page
    services.slot_sign_up(
        slot=slot_of(activity, "Packers"), membership=membership_of(everyone["member"], community)
    )
    page = client.get(f"{BASE}/").content.decode()
    assert "You: Packers" in page and "places free" not in page
