"""The community's money privacy, one rule (ledger/rules.py; docs/economy.md, "Privacy"), swept
over every role for the transfer's page in the API and the exports; and CSV cells that a
spreadsheet would run as formulas come out as text.

Roles: the usual six, plus "holder" — Mara, who pays — so "member" is Nia, whom Mara pays. The
coordinator (Cato) is a party to neither of the members' transfers.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from dualpower.ledger import services
from dualpower.ledger.models import Account, Transfer
from dualpower.ledger.tests.factories import account_of
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, make_user

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/riverside/money"
WEB = "/c/riverside/money"
ROLES = ("anonymous", "applicant", "observer", "member", "holder", "coordinator", "outsider")
HYPERLINK = '=HYPERLINK("x")'


@pytest.fixture
def books(people: Any, community: Any, roots: Any) -> dict[str, Transfer]:
    """A payment between two members (Mara → Nia) and one into the community's own account."""
    nia = make_user("nia@example.org")
    make_membership(community, role=Membership.Role.MEMBER, user=nia, name="Nia")
    people["holder"], people["member"] = people["member"], nia
    mara = account_of(people["holder"], roots)
    common = Account.objects.get(currency=roots, owner_kind=Account.OwnerKind.COMMUNITY)
    return {
        "between_members": services.transfer_make(
            debit=mara, credit=account_of(nia, roots), amount=700, description="Rent share"
        ).transfer,
        "to_the_community": services.transfer_make(
            debit=mara, credit=common, amount=300, description=HYPERLINK
        ).transfer,
    }


@pytest.fixture
def as_role(client: Any, people: Any, books: Any) -> Any:
    def make(role: str) -> Any:
        client.logout()
        if role != "anonymous":
            client.force_login(people[role])
        return client

    return make


def refused(role: str) -> int:
    return 401 if role == "anonymous" else 403


# Who reads each transfer: its parties; coordinators only the community's own books.
SEES = {
    "between_members": {"holder", "member"},
    "to_the_community": {"holder", "coordinator"},
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", sorted(SEES))
def test_a_transfer_is_read_by_its_parties_and_coordinators_only_the_communitys(
    as_role: Any, books: dict[str, Transfer], role: str, which: str
) -> None:
    response = as_role(role).get(f"{API}/transfers/{books[which].pk}")
    assert response.status_code == (200 if role in SEES[which] else refused(role))
    if response.status_code == 200:
        assert response.json()["amount"] == books[which].amount


def export(client: Any) -> list[list[str]]:
    response = client.get(f"{API}/export.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.parametrize("role", ROLES)
def test_the_export_is_the_coordinators_and_holds_only_the_communitys_own_books(
    as_role: Any, books: dict[str, Transfer], role: str
) -> None:
    if role != "coordinator":
        assert as_role(role).get(f"{API}/export.csv").status_code == refused(role)
        return
    rows = export(as_role(role))
    ids = {int(row[0]) for row in rows[1:]}
    assert ids == {books["to_the_community"].pk}  # not the members' transfer
    body = "\n".join(",".join(row) for row in rows)
    assert "Rent share" not in body and "Nia" not in body


def test_a_formula_in_a_description_is_text_in_the_export(as_role: Any) -> None:
    rows = export(as_role("coordinator"))
    description = rows[0].index("description")
    assert rows[1][description] == "'" + HYPERLINK


def test_a_formula_in_a_description_is_text_in_the_statement_csv(
    as_role: Any, books: dict[str, Transfer]
) -> None:
    client = as_role("holder")
    response = client.get(f"{WEB}/accounts/{books['to_the_community'].debit_id}/statement.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    described = {row[rows[0].index("description")] for row in rows[1:]}
    assert "'" + HYPERLINK in described and HYPERLINK not in described
    units = rows[0].index("amount_units")
    assert {row[units] for row in rows[1:]} == {"-300", "-700"}  # numbers stay numbers


def test_the_statement_pages_stay_the_holders(as_role: Any, books: dict[str, Transfer]) -> None:
    mara = books["between_members"].debit_id
    for role in ROLES:
        page = as_role(role).get(f"{WEB}/accounts/{mara}/")
        csv_file = as_role(role).get(f"{WEB}/accounts/{mara}/statement.csv")
        if role == "holder":
            assert page.status_code == csv_file.status_code == 200
        else:
            assert page.status_code in {302, 403, 404} and csv_file.status_code in {302, 403, 404}, role
