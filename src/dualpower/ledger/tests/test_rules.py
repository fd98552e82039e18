"""Every ledger permission swept over every role (ledger/rules.py). The account is the member's
(Mara's); the invoice asks Mara (payer) to pay the coordinator (payee). A new permission without a
row here fails ``test_every_permission_has_a_row``."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.ledger import services
from dualpower.ledger.models import Account
from dualpower.ledger.rules import PERMISSIONS
from dualpower.ledger.tests.factories import account_of
from dualpower.members.models import Membership
from dualpower.members.tests.factories import ROLES, make_membership, make_user

pytestmark = pytest.mark.django_db

ADMITTED = {"observer", "member", "coordinator"}
MEMBERS = {"member", "coordinator"}
# perm -> (the object it is checked on, the roles allowed)
EXPECTED: dict[str, tuple[str, set[str]]] = {
    "ledger.view_money": ("community", ADMITTED),
    "ledger.view_summary": ("currency", ADMITTED),
    "ledger.open_account": ("currency", MEMBERS),
    # Balances are private: the statement is for its holder alone.
    "ledger.view_statement": ("account", {"member"}),
    "ledger.pay_from": ("account", {"member"}),
    "ledger.request_to": ("account", {"member"}),
    "ledger.change_visibility": ("account", {"member"}),
    "ledger.close_account": ("account", {"member", "coordinator"}),
    # A transfer between two members is theirs alone: not the coordinator's (see below for the
    # community's own accounts).
    "ledger.view_transfer": ("transfer", {"member"}),
    "ledger.view_invoice": ("invoice", {"member", "coordinator"}),
    "ledger.answer_invoice": ("invoice", {"member"}),
    "ledger.cancel_invoice": ("invoice", {"coordinator"}),
    "ledger.add_currency": ("community", {"coordinator"}),
    "ledger.change_currency": ("currency", {"coordinator"}),
    "ledger.view_accounts": ("currency", {"coordinator"}),
    "ledger.set_limit": ("account", {"coordinator"}),
    "ledger.correct_transfer": ("currency", {"coordinator"}),
    "ledger.export": ("community", {"coordinator"}),
}


def test_every_permission_has_a_row() -> None:
    assert set(PERMISSIONS) == set(EXPECTED)


@pytest.mark.parametrize("role", ROLES)
def test_role_matrix(community: Any, people: dict[str, Any], roots: Any, role: str) -> None:
    account = account_of(people["member"], roots)
    invoice = services.invoice_create(
        payee=account_of(people["coordinator"], roots), payer=account, amount=500, description="Bread"
    )
    nia = make_membership(community, role=Membership.Role.MEMBER, user=make_user("nia@example.org"))
    nias = services.member_account(currency=roots, membership=nia)
    transfer = services.transfer_make(debit=account, credit=nias, amount=100).transfer
    objects = {
        "community": community,
        "currency": roots,
        "account": account,
        "invoice": invoice,
        "transfer": transfer,
    }
    got = {perm: people[role].has_perm(perm, objects[EXPECTED[perm][0]]) for perm in PERMISSIONS}
    assert got == {perm: role in EXPECTED[perm][1] for perm in PERMISSIONS}


def test_a_closed_account_is_neither_paid_from_nor_asked_to(people: dict[str, Any], roots: Any) -> None:
    account = services.account_close(account=account_of(people["member"], roots), by=None)
    assert not people["member"].has_perm("ledger.pay_from", account)
    assert not people["member"].has_perm("ledger.request_to", account)


@pytest.mark.parametrize("role", ROLES)
def test_coordinators_read_the_transfers_of_the_communitys_own_accounts(
    people: dict[str, Any], roots: Any, role: str
) -> None:
    common = Account.objects.get(currency=roots, owner_kind=Account.OwnerKind.COMMUNITY)
    transfer = services.transfer_make(
        debit=account_of(people["member"], roots), credit=common, amount=5
    ).transfer
    assert people[role].has_perm("ledger.view_transfer", transfer) == (role in {"member", "coordinator"})
