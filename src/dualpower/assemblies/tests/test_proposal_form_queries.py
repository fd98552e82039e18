"""The two-step proposal form costs the same however many people its pickers list: each picker
is one query, whatever the number of names in it (issue 21)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.assemblies.tests.factories import general
from dualpower.members.tests.factories import ApplicationFactory, make_membership

pytestmark = pytest.mark.django_db

BASE = "/c/riverside/assemblies/general/propose/"
PAGES = [
    BASE,
    f"{BASE}?process=consent&action=members.role",
    f"{BASE}?process=consent&action=members.admit",
    f"{BASE}?process=supermajority&action=assemblies.change_policy",
]


def _queries(client: Any, url: str) -> int:
    client.get(url)  # warm: sessions, caches of the first visit
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("url", PAGES)
def test_the_proposal_form_costs_the_same_with_few_or_many_names(
    url: str, client_for: Any, community: Any
) -> None:
    general(community)
    client = client_for("coordinator")
    few = _queries(client, url)
    for i in range(20):
        make_membership(community, name=f"Neighbour {i}")
        ApplicationFactory.create(community=community, display_name=f"Applicant {i}", answers=[])
    assert _queries(client, url) <= few
