"""The assembly's page stays the same size whatever the assembly's size (issue 21): the people
one may delegate to are found by a search that shows at most LONG_LIST names, never the whole
roll in one <select>; the open proposals come a page at a time."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.contrib.auth.hashers import make_password

from dualpower.assemblies import bodies
from dualpower.assemblies.forms import LONG_LIST
from dualpower.assemblies.models import Proposal
from dualpower.assemblies.tests.factories import ProposalFactory, general
from dualpower.assemblies.views.assemblies import PER_PAGE
from dualpower.members.models import Membership, User
from dualpower.members.tests.factories import membership_of

pytestmark = pytest.mark.django_db


def _people(community: Any, n: int) -> None:
    password = make_password(None)
    users = User.objects.bulk_create([User(email=f"p{i}@example.org", password=password) for i in range(n)])
    Membership.objects.bulk_create(
        [Membership(user=u, community=community, display_name=f"Person {i:03d}") for i, u in enumerate(users)]
    )


def _options(page: str) -> list[str]:
    select = re.search(r'<select id="delegate-who".*?</select>', page, re.S)
    assert select is not None
    return re.findall(r"<option value=\"\d+\">([^<]*)</option>", select.group(0))


def test_the_delegation_picker_shows_a_bounded_list_and_a_search_finds_the_rest(
    community: Any, people: dict[str, Any], client_for: Any
) -> None:
    assembly = general(community, liquid_delegation=True)
    _people(community, 3 * LONG_LIST)
    client = client_for("member")
    url = assembly.get_absolute_url()
    page = client.get(url).content.decode()
    assert len(_options(page)) == LONG_LIST
    assert 'name="find"' in page and "search for the person you mean" in page
    found = client.get(url, {"find": "person 07"}).content.decode()
    assert _options(found) == [f"Person {i:03d}" for i in range(70, 80)]
    nobody = client.get(url, {"find": "zzz"}).content.decode()
    assert _options(nobody) == [] and "Nobody’s name holds “zzz”." in nobody.replace("'", "’")


def test_a_small_assembly_has_no_search_and_lists_everyone_but_me(
    community: Any, people: dict[str, Any], client_for: Any
) -> None:
    assembly = general(community, liquid_delegation=True)
    me = membership_of(people["member"], community)
    page = client_for("member").get(assembly.get_absolute_url()).content.decode()
    assert 'name="find"' not in page
    expected = list(
        bodies.voters_of(assembly)
        .exclude(pk=me.pk)
        .order_by("display_name", "id")
        .values_list("display_name", flat=True)
    )
    assert expected and _options(page) == expected


def test_the_open_proposals_come_a_page_at_a_time(
    community: Any, people: dict[str, Any], client_for: Any
) -> None:
    assembly = general(community)
    author = membership_of(people["member"], community)
    for i in range(PER_PAGE + 2):
        ProposalFactory.create(assembly=assembly, by=author, title=f"Idea {i:02d}")
    assert Proposal.objects.filter(state=Proposal.State.DISCUSSION).count() == PER_PAGE + 2
    client = client_for("member")
    first = client.get(assembly.get_absolute_url()).content.decode()
    assert first.count("Idea ") == PER_PAGE and "?discussion=2#disc-h" in first
    second = client.get(assembly.get_absolute_url(), {"discussion": "2"}).content.decode()
    assert second.count("Idea ") == 2 and "?discussion=1#disc-h" in second
    assert client.get(assembly.get_absolute_url(), {"discussion": "x"}).status_code == 200
