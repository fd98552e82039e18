"""Taking part with a deliberation's link, without an account: voting, adding a statement (which
waits for a facilitator), changing and erasing one's votes, the limits, and the link turned off or
replaced."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dualpower.deliberation import limits, mapping, services
from dualpower.deliberation.models import Deliberation, Participant, Statement, Vote
from dualpower.deliberation.services.links import key_digest
from dualpower.deliberation.tests.factories import make_deliberation, statement, two_camps
from dualpower.deliberation.views.links import cookie_name
from dualpower.members.tests.factories import make_membership

pytestmark = pytest.mark.django_db
BASE = "/c/riverside/deliberations/"


def _linked(community: Any, *, statements: bool = True, **kwargs: Any) -> tuple[Deliberation, str, Any]:
    opener = make_membership(community, name="Facilitator")
    deliberation = make_deliberation(community, by=opener, **kwargs)
    deliberation = services.link_set(deliberation=deliberation, by=opener, action="on", statements=statements)
    return deliberation, f"{BASE}{deliberation.pk}/with/{deliberation.link_token}/", opener


def test_anyone_with_the_link_votes_without_an_account_privately(client: Client, community: Any) -> None:
    deliberation, link, _opener = _linked(community)
    assert client.get(f"{BASE}{deliberation.pk}/").status_code in (302, 401)  # no link: sign in
    page = client.get(link)
    assert page.status_code == 200 and statement(deliberation, 1).text in page.content.decode()
    assert cookie_name(deliberation) not in client.cookies  # nothing kept before taking part

    answer = client.post(f"{link}statements/1/vote/", {"value": "agree"})
    assert answer.status_code == 302
    cookie = client.cookies[cookie_name(deliberation)]
    assert cookie["httponly"] and cookie["path"] == f"{BASE}{deliberation.pk}/"
    visitor = Participant.objects.get(deliberation=deliberation)
    assert visitor.kind == Participant.Kind.LINK and visitor.membership is None
    raw_key = cookie.value.split(":", 1)[0].split(".", 1)[0]
    assert visitor.key == key_digest(raw_key) and raw_key not in visitor.key  # only its digest
    # The next statement comes up; a second vote is the same participant's.
    card = client.get(link).content.decode().split('id="vote"', 1)[1].split("</section>", 1)[0]
    assert statement(deliberation, 2).text in card and statement(deliberation, 1).text not in card
    client.post(f"{link}statements/2/vote/", {"value": "disagree"})
    assert Participant.objects.filter(deliberation=deliberation).count() == 1
    assert deliberation.statements.get(number=2).votes.get().value == Vote.Value.DISAGREE
    # Their own votes, to change: only from this browser.
    mine = client.get(f"{link}mine/").content.decode()
    assert statement(deliberation, 1).text in mine and "Erase my participation" in mine
    client.post(f"{link}statements/1/vote/", {"value": "pass", "back": "mine"})
    assert Vote.objects.get(statement=statement(deliberation, 1)).value == Vote.Value.PASS
    other = Client()
    assert "Erase my participation" not in other.get(f"{link}mine/").content.decode()
    # The anonymised export (read by an observer) knows them only by their number.
    observer = make_membership(community, name="Olu", role="observer")
    assert observer.user is not None
    other.force_login(observer.user)
    export = other.get(f"{BASE}{deliberation.pk}/votes.csv").content.decode()
    assert export.splitlines()[1:] == ["1,1,0,", "1,2,-1,"]
    assert raw_key not in export and visitor.key not in export and "link" not in export


def test_a_voter_following_the_link_is_sent_to_the_members_page(client: Client, community: Any) -> None:
    deliberation, link, opener = _linked(community)
    client.force_login(opener.user)
    assert client.get(link)["Location"] == f"{BASE}{deliberation.pk}/"
    page = client.get(f"{BASE}{deliberation.pk}/").content.decode()
    assert deliberation.link_token in page and "Turn the link off" in page  # the facilitator shares it
    # Posting to the link's addresses directly is refused: their vote would be counted twice.
    refused = client.post(f"{link}statements/1/vote/", {"value": "agree"})
    assert refused.status_code == 403
    assert not deliberation.participants.filter(kind=Participant.Kind.LINK).exists()


def test_a_statement_by_link_waits_for_a_facilitator(client: Client, community: Any) -> None:
    deliberation, link, _opener = _linked(community)
    answer = client.post(f"{link}statements/new/", {"text": "Plant fruit trees along the edge."})
    assert answer.status_code == 302
    added = deliberation.statements.get(number=4)
    assert added.state == Statement.State.PENDING and added.author is not None
    assert added.author.kind == Participant.Kind.LINK
    assert client.post(f"{link}statements/new/", {"text": "x" * 150}).status_code == 400
    # Not allowed to add: refused with a sentence, nothing stored.
    opener = deliberation.opened_by
    assert opener is not None
    services.link_set(deliberation=deliberation, by=opener, action="on", statements=False)
    refused = client.post(f"{link}statements/new/", {"text": "Another idea entirely."})
    assert refused.status_code == 403 and "do not add statements" in refused.content.decode()
    assert "Add a statement" not in client.get(link).content.decode()
    assert deliberation.statements.count() == 4


def test_a_link_replaced_or_turned_off_ends_access(client: Client, community: Any) -> None:
    deliberation, link, opener = _linked(community)
    client.post(f"{link}statements/1/vote/", {"value": "agree"})
    rotated = services.link_set(deliberation=deliberation, by=opener, action="rotate")
    gone = client.get(link)
    assert gone.status_code == 404 and "turned off or replaced" in gone.content.decode()
    assert client.post(f"{link}statements/2/vote/", {"value": "agree"}).status_code == 404
    # The new link does not give the old cookie its place back: a new participant.
    new_link = f"{BASE}{deliberation.pk}/with/{rotated.link_token}/"
    assert "Erase my participation" not in client.get(f"{new_link}mine/").content.decode()
    client.post(f"{new_link}statements/2/vote/", {"value": "agree"})
    assert Participant.objects.filter(deliberation=deliberation).count() == 2
    services.link_set(deliberation=deliberation, by=opener, action="off")
    assert client.get(new_link).status_code == 404
    # Closed: the map is still read with the link; no vote is taken.
    services.link_set(deliberation=deliberation, by=opener, action="on")
    services.deliberation_close(deliberation=deliberation, by=opener)
    deliberation.refresh_from_db()
    closed = f"{BASE}{deliberation.pk}/with/{deliberation.link_token}/"
    page = client.get(closed).content.decode()
    assert "The opinion map" in page and 'id="vote"' not in page
    assert client.post(f"{closed}statements/3/vote/", {"value": "agree"}).status_code == 403


def test_a_link_participant_erases_their_participation(client: Client, community: Any) -> None:
    deliberation, link, _opener = _linked(community)
    client.post(f"{link}statements/1/vote/", {"value": "agree"})
    client.post(f"{link}statements/new/", {"text": "Plant fruit trees along the edge."})
    assert Participant.objects.get(deliberation=deliberation).votes.count() == 2
    answer = client.post(f"{link}erase/")
    assert answer.status_code == 302 and answer["Location"] == link
    assert not Participant.objects.filter(deliberation=deliberation).exists()
    assert not Vote.objects.filter(statement__deliberation=deliberation).exists()
    assert deliberation.statements.count() == 3  # the statement still waiting went with them
    assert client.cookies[cookie_name(deliberation)].value == ""
    deliberation.refresh_from_db()
    assert deliberation.participants_count == 0
    mapping.map_refresh(deliberation_id=deliberation.pk)  # the map forgets them too
    assert client.post(f"{link}erase/").status_code == 404


def test_link_participants_are_limited_per_participant_and_per_address(
    client: Client, community: Any, monkeypatch: Any
) -> None:
    deliberation, link, _opener = _linked(community)
    monkeypatch.setitem(limits.LIMITS, "vote", "1/m/key,100/m/ip")
    monkeypatch.setitem(limits.LIMITS, "join", "2/h/ip")
    client.post(f"{link}statements/1/vote/", {"value": "agree"})  # joins
    client.post(f"{link}statements/2/vote/", {"value": "agree"})  # the one vote a minute
    refused = client.post(f"{link}statements/3/vote/", {"value": "agree"}, follow=True)
    assert "Too many at once" in refused.content.decode()
    assert Vote.objects.filter(statement__deliberation=deliberation).count() == 2
    # A new browser from the same address joins once more, then no more.
    Client().post(f"{link}statements/1/vote/", {"value": "agree"})
    Client().post(f"{link}statements/1/vote/", {"value": "agree"})
    assert Participant.objects.filter(deliberation=deliberation).count() == 2


def _queries(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(path).status_code == 200
    return len(seen)


def test_the_link_pages_read_a_fixed_number_of_queries(client: Client, community: Any) -> None:
    small, small_link, _opener = _linked(community, seeds=())
    two_camps(small, people=2, statements=2)
    big, big_link, _opener = _linked(community, seeds=())
    two_camps(big, people=10, statements=5)
    for d in (small, big):
        mapping.map_refresh(deliberation_id=d.pk)
    for link in (small_link, big_link):
        client.post(f"{link}statements/1/vote/", {"value": "agree"})
    for page in ("", "mine/"):
        assert _queries(client, small_link + page) == _queries(client, big_link + page), page
