"""Issue 13 on the co-op pages: no link that answers 403 to the person it is shown to, every
table cell labelled for the phone, and the irreversible steps asking first."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dualpower.coops import services
from dualpower.coops.models import Cooperative
from dualpower.coops.tests.conftest import place
from dualpower.coops.tests.factories import subscribe

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ["observer", "member", "coordinator", "coop_member", "coop_board"])
def test_every_link_on_a_coops_pages_opens_for_whom_it_is_shown(
    coop_client: Any, coop: Cooperative, coop_people: Any, role: str
) -> None:
    from dualpower.ledger.tests.factories import CurrencyFactory

    CurrencyFactory.create(community=coop.community)
    services.coop_accounts_open(coop=coop, by=None)
    client = coop_client(role)
    start = [f"/c/riverside/coops/{coop.slug}/", "/c/riverside/"]
    seen: set[str] = set()
    for page in start:
        html = client.get(page).content.decode()
        for href in re.findall(r'href="(/c/riverside/(?:coops|money)/[^"?#]*)"', html):
            if href in seen:
                continue
            seen.add(href)
            assert client.get(href).status_code == 200, (role, href)


def test_every_cell_of_the_capital_tables_is_labelled(
    coop_client: Any, coop: Cooperative, coop_people: Any
) -> None:
    subscribe(coop, place(coop, coop_people["coop_member"]), 2)
    html = coop_client("coop_board").get(f"/c/riverside/coops/{coop.slug}/capital/").content.decode()
    html = re.sub(r"<details class='chart-data'>.*?</details>", "", html, flags=re.S)  # the chart's own
    for body in re.findall(r"<tbody>(.*?)</tbody>", html, re.S):
        cells = re.findall(r"<t[dh](?![a-z])([^>]*)>", body)
        assert all("data-label" in c or "colspan" in c for c in cells), cells
