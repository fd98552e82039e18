"""The deliberation pages: voting one statement at a time, adding one, the map, moderating,
starting a proposal; each page in a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.assemblies.models import Proposal
from dualpower.deliberation import mapping
from dualpower.deliberation.models import StartedProposal, Statement, Vote
from dualpower.deliberation.tests.factories import make_deliberation, statement, two_camps
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db
BASE = "/c/riverside/deliberations/"


def test_the_vote_card_shows_one_statement_then_the_next(client: Any, people: Any, community: Any) -> None:
    deliberation = make_deliberation(community)
    client.force_login(people["member"])
    page = client.get(f"{BASE}{deliberation.pk}/")
    assert page.status_code == 200
    first = statement(deliberation, 1)
    assert first.text in page.content.decode()
    answer = client.post(f"{BASE}{deliberation.pk}/statements/1/vote/", {"value": "agree"})
    assert answer.status_code == 302
    after = client.get(f"{BASE}{deliberation.pk}/").content.decode()
    card = after.split('id="vote"', 1)[1].split("</section>", 1)[0]
    assert statement(deliberation, 2).text in card and first.text not in card
    assert Vote.objects.get(statement=first).value == Vote.Value.AGREE


def test_a_statement_too_long_is_refused_on_the_page_and_kept_for_editing(
    client: Any, people: Any, community: Any
) -> None:
    deliberation = make_deliberation(community)
    client.force_login(people["member"])
    text = "a" * 150
    answer = client.post(f"{BASE}{deliberation.pk}/statements/new/", {"text": text})
    assert answer.status_code == 400
    assert "140" in answer.content.decode()
    assert deliberation.statements.count() == 3


def test_an_observer_sees_the_map_but_no_vote_card(client: Any, people: Any, community: Any) -> None:
    deliberation = make_deliberation(community)
    client.force_login(people["observer"])
    page = client.get(f"{BASE}{deliberation.pk}/").content.decode()
    assert 'id="vote"' not in page and "The opinion map" in page
    assert client.post(f"{BASE}{deliberation.pk}/statements/1/vote/", {"value": "agree"}).status_code == 403


def test_the_map_groups_and_consensus_are_on_the_page(client: Any, people: Any, community: Any) -> None:
    deliberation = make_deliberation(community, seeds=())
    two_camps(deliberation, people=20, statements=6)
    mapping.map_refresh(deliberation_id=deliberation.pk)
    client.force_login(people["observer"])
    page = client.get(f"{BASE}{deliberation.pk}/").content.decode()
    assert "<svg" in page and "2 opinion groups" in page
    assert "What every group agrees on" in page and "Statement number 6" in page


def test_the_export_names_participants_by_number_only(client: Any, people: Any, community: Any) -> None:
    deliberation = make_deliberation(community, seeds=())
    voters = two_camps(deliberation, people=4, statements=3)
    client.force_login(people["observer"])
    body = client.get(f"{BASE}{deliberation.pk}/votes.csv").content.decode()
    assert body.splitlines()[0] == "participant,statement,vote,moderated"
    for person in voters:
        assert person.display_name not in body
    assert len(body.splitlines()) == 1 + Vote.objects.filter(statement__deliberation=deliberation).count()


def test_a_facilitator_takes_a_statement_out_with_a_reason(client: Any, people: Any, community: Any) -> None:
    deliberation = make_deliberation(community, by=membership_of(people["member"], community))
    client.force_login(people["member"])
    answer = client.post(
        f"{BASE}{deliberation.pk}/moderate/",
        {"statement": "2", "decision": "reject", "reason": "Names a person"},
    )
    assert answer.status_code == 302
    assert statement(deliberation, 2).state == Statement.State.REJECTED
    refused = client.post(f"{BASE}{deliberation.pk}/moderate/", {"statement": "1", "decision": "reject"})
    assert refused.status_code == 400 and statement(deliberation, 1).state == Statement.State.ACCEPTED


def test_a_facilitator_starts_a_proposal_from_the_consensus(client: Any, people: Any, community: Any) -> None:
    deliberation = make_deliberation(community, by=membership_of(people["member"], community), seeds=())
    two_camps(deliberation, people=20, statements=6)
    mapping.map_refresh(deliberation_id=deliberation.pk)
    client.force_login(people["member"])
    form = client.get(f"{BASE}{deliberation.pk}/propose/?s=6").content.decode()
    assert "Statement number 6" in form
    answer = client.post(
        f"{BASE}{deliberation.pk}/propose/",
        {"statements": ["6"], "title": "Keep the lot", "body": "- Statement number 6"},
    )
    proposal = Proposal.objects.get(title="Keep the lot")
    assert answer.status_code == 302 and answer["Location"].endswith(f"/p/{proposal.pk}/")
    assert StartedProposal.objects.get(proposal=proposal).statements == [6]
    page = client.get(answer["Location"]).content.decode()
    assert "From a deliberation" in page and deliberation.question in page


def _queries(client: Any, path: str) -> int:
    with CaptureQueriesContext(connection) as seen:
        assert client.get(path).status_code == 200
    return len(seen)


def test_the_pages_read_a_fixed_number_of_queries_whatever_their_size(
    client: Any, people: Any, community: Any
) -> None:
    small = make_deliberation(community, by=membership_of(people["member"], community), seeds=())
    two_camps(small, people=6, statements=3)
    big = make_deliberation(community, by=membership_of(people["member"], community), seeds=())
    two_camps(big, people=30, statements=12)
    for d in (small, big):
        mapping.map_refresh(deliberation_id=d.pk)
    client.force_login(people["member"])
    for page in ("", "mine/", "moderate/", "propose/"):
        assert _queries(client, f"{BASE}{small.pk}/{page}") == _queries(client, f"{BASE}{big.pk}/{page}"), (
            page
        )
    assert _queries(client, BASE) > 0
