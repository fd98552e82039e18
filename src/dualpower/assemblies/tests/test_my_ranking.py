"""A ranked ballot shows its voter their ranking: pre-filled on the page of an open vote and listed
as "Your ranking"; for a secret ballot only on the answer right after casting (the server cannot
link a secret ballot to its voter afterwards)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from dualpower.assemblies import services
from dualpower.assemblies.tests.factories import after_close, general, open_proposal
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db
BASE = "/c/riverside/assemblies/general"


def _ranking(html: str) -> list[str]:
    found = re.search(r'id="my-ranking-h".*?<ol>(.*?)</ol>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", found.group(1)) if found else []


def _ranked(community: Any, people: Any, *, secret: bool = False) -> Any:
    return open_proposal(
        general(community, secret_ballots=secret),
        membership_of(people["coordinator"], community),
        process="ranked",
        options=["Apples", "Beans", "Carrots"],
    )


def test_cast_returns_the_ranking_cast(community: Any, people: Any) -> None:
    p = _ranked(community, people, secret=True)
    a, b, _c = p.options.all()
    cast = services.vote_cast(
        proposal=p, by=membership_of(people["member"], community), choices=[str(b.pk), str(a.pk)]
    )
    assert cast.receipt and cast.choices == [str(b.pk), str(a.pk)]


def test_an_open_ranked_vote_is_shown_and_prefilled_when_the_voter_comes_back(
    client_for: Any, community: Any, people: Any
) -> None:
    p = _ranked(community, people)
    a, b, c = p.options.all()
    client = client_for("member")
    before = client.get(p.get_absolute_url()).content.decode()
    assert _ranking(before) == [] and f'name="rank_{a.pk}" value=' not in before
    url = f"{BASE}/p/{p.pk}/vote/"
    assert client.post(url, {f"rank_{a.pk}": "2", f"rank_{c.pk}": "1"}).status_code == 302
    page = client.get(p.get_absolute_url()).content.decode()
    assert _ranking(page) == ["Carrots", "Apples"]
    assert f'name="rank_{c.pk}" value="1"' in page
    assert f'name="rank_{a.pk}" value="2"' in page
    assert f'name="rank_{b.pk}">' in page  # not ranked: left empty
    # Another member sees nothing of Mara's ranking while the vote is open.
    other = client_for("coordinator").get(p.get_absolute_url()).content.decode()
    assert _ranking(other) == [] and f'name="rank_{c.pk}" value=' not in other


def test_after_close_the_open_voter_still_sees_their_ranking(
    client_for: Any, community: Any, people: Any
) -> None:
    p = _ranked(community, people)
    a, b, _c = p.options.all()
    services.vote_cast(
        proposal=p, by=membership_of(people["member"], community), choices=[str(b.pk), str(a.pk)]
    )
    services.proposal_close(proposal=p, now=after_close(p))
    page = client_for("member").get(p.get_absolute_url()).content.decode()
    assert _ranking(page) == ["Beans", "Apples"]


def test_a_secret_ranking_is_shown_only_on_the_answer_to_casting(
    client_for: Any, community: Any, people: Any
) -> None:
    p = _ranked(community, people, secret=True)
    a, b, c = p.options.all()
    client = client_for("member")
    answer = client.post(f"{BASE}/p/{p.pk}/vote/", {f"rank_{b.pk}": "1", f"rank_{a.pk}": "2"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert _ranking(html) == ["Beans", "Apples"]
    assert "This is shown only now" in html and "Your receipt code" in html
    code = re.search(r"<code>([A-Z0-9-]{19})</code>", html)
    assert code is not None
    # Coming back, the server has no way to tell which ballot is Mara's: nothing is shown.
    again = client.get(p.get_absolute_url()).content.decode()
    assert _ranking(again) == [] and f'name="rank_{b.pk}" value=' not in again
    # Changing it with the receipt shows the new ranking on that answer, and it is what is stored.
    changed = client.post(
        f"{BASE}/p/{p.pk}/vote/", {f"rank_{c.pk}": "1", "receipt": code.group(1)}
    ).content.decode()
    assert _ranking(changed) == ["Carrots"]
    assert [b.choices for b in services.ballots_sealed(proposal=p)] == [[str(c.pk)]]


def test_the_api_answers_a_secret_ranked_vote_with_the_ranking_once(
    client_for: Any, community: Any, people: Any
) -> None:
    p = _ranked(community, people, secret=True)
    a, b, _c = p.options.all()
    client = client_for("member")
    url = f"/api/v1/communities/riverside/assemblies/general/proposals/{p.pk}/vote"
    body = client.put(
        url, data=json.dumps({"choices": [str(b.pk), str(a.pk)]}), content_type="application/json"
    ).json()
    assert body["receipt"] and body["choices"] == [str(b.pk), str(a.pk)]
    later_ = client.get(url).json()
    assert later_["voted"] is True and later_["choices"] is None


def test_a_duplicate_rank_is_refused_without_clearing_the_ranks(
    client_for: Any, community: Any, people: Any
) -> None:
    p = _ranked(community, people)
    a, b, c = p.options.all()
    client = client_for("member")
    answer = client.post(
        f"{BASE}/p/{p.pk}/vote/", {f"rank_{a.pk}": "1", f"rank_{b.pk}": "1", f"rank_{c.pk}": "2"}
    )
    page = answer.content.decode()
    assert answer.status_code == 400 and "different rank" in page and 'class="error-summary"' in page
    assert f'name="rank_{a.pk}" value="1"' in page and f'name="rank_{b.pk}" value="1"' in page
    assert f'name="rank_{c.pk}" value="2"' in page
