"""Who may do what with the ledger. The only place access to money is decided.

The object checked is a Community (listing, creating currencies), a Currency (its summary, paying
and asking in it, administering it), an Account (statements, paying from it, limits) or an
Invoice (answering it), a Transfer (reading it).

The community's money privacy, one rule (docs/economy.md, "Privacy"):
- a member's statement is for its holder; a transfer is seen by the holders of its two accounts;
- coordinators see every account's balance and limits (they set limits), the summaries, and the
  transfers of the accounts the community holds itself (the community's, working groups',
  co-operatives'): the community's own books. A transfer between two members they do not see,
  by page, API or export.
"""

from __future__ import annotations

from typing import Any

import rules

from dualpower.ledger.models import Account, Invoice, Transfer
from dualpower.members.roles import membership_for
from dualpower.members.rules import is_acting_coordinator, is_admitted, is_member


def _holds(user: Any, account: Any) -> bool:
    if not isinstance(account, Account) or account.owner_kind != Account.OwnerKind.MEMBER:
        return False
    me = membership_for(user, account.community)
    return me is not None and account.owner_id == me.pk


@rules.predicate
def is_account_holder(user: Any, account: Any) -> bool:
    return _holds(user, account)


@rules.predicate
def is_payer(user: Any, invoice: Any) -> bool:
    return isinstance(invoice, Invoice) and _holds(user, invoice.payer)


@rules.predicate
def is_payee(user: Any, invoice: Any) -> bool:
    return isinstance(invoice, Invoice) and _holds(user, invoice.payee)


@rules.predicate
def is_transfer_party(user: Any, transfer: Any) -> bool:
    return isinstance(transfer, Transfer) and (_holds(user, transfer.debit) or _holds(user, transfer.credit))


def is_common(account: Account) -> bool:
    """An account the community holds itself (its own, a working group's, a co-operative's)."""
    return account.owner_kind != Account.OwnerKind.MEMBER


@rules.predicate
def touches_common_account(user: Any, transfer: Any) -> bool:
    return isinstance(transfer, Transfer) and (is_common(transfer.debit) or is_common(transfer.credit))


@rules.predicate
def is_open_account(user: Any, account: Any) -> bool:
    return isinstance(account, Account) and account.is_open


# Everyone admitted reads the currencies and their summaries (observers included).
rules.add_perm("ledger.view_money", is_admitted)
rules.add_perm("ledger.view_summary", is_admitted)
# Members (not observers) hold accounts, pay and ask for payment.
rules.add_perm("ledger.open_account", is_member)
rules.add_perm("ledger.view_statement", is_account_holder)
rules.add_perm("ledger.pay_from", is_account_holder & is_member & is_open_account)
rules.add_perm("ledger.request_to", is_account_holder & is_member & is_open_account)
rules.add_perm("ledger.change_visibility", is_account_holder)
rules.add_perm("ledger.close_account", is_account_holder | is_acting_coordinator)
rules.add_perm("ledger.view_transfer", is_transfer_party | (is_acting_coordinator & touches_common_account))
rules.add_perm("ledger.view_invoice", is_payer | is_payee)
rules.add_perm("ledger.answer_invoice", is_payer & is_member)
rules.add_perm("ledger.cancel_invoice", is_payee)
# Coordinators run the currencies: policy, limits (within the policy's bounds), corrections.
rules.add_perm("ledger.add_currency", is_acting_coordinator)
rules.add_perm("ledger.change_currency", is_acting_coordinator)
rules.add_perm("ledger.view_accounts", is_acting_coordinator)
rules.add_perm("ledger.set_limit", is_acting_coordinator)
rules.add_perm("ledger.correct_transfer", is_acting_coordinator)
# The export holds the community's own books only (selectors.export_rows(common_only=True)).
rules.add_perm("ledger.export", is_acting_coordinator)

PERMISSIONS = (
    "ledger.view_money",
    "ledger.view_summary",
    "ledger.open_account",
    "ledger.view_statement",
    "ledger.pay_from",
    "ledger.request_to",
    "ledger.change_visibility",
    "ledger.close_account",
    "ledger.view_transfer",
    "ledger.view_invoice",
    "ledger.answer_invoice",
    "ledger.cancel_invoice",
    "ledger.add_currency",
    "ledger.change_currency",
    "ledger.view_accounts",
    "ledger.set_limit",
    "ledger.correct_transfer",
    "ledger.export",
)
