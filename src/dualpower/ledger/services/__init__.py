"""Every write to the ledger, one module per noun; this package re-exports the public verbs.

- accounts.py: opening, closing, limits and balance visibility of accounts;
- currencies.py: starting a currency (with the community's own account) and changing its policy;
- transfers.py: payments, linked payments, corrections;
- invoices.py: payment requests (two-phase transfers);
- demurrage.py: the monthly charge on positive balances;
- posting.py: the posting path itself (locks, limits, idempotency), which every transfer goes
  through; _common.py: small input checks shared by the modules.

Who may call each verb is decided in rules.py. For other apps (cooperatives, land trust), the
stable interface is:

    account_open(*, currency, owner_kind, owner_id=None, membership=None, name="",
                 lower_limit=None, upper_limit=None, by=None) -> Account
        Open (or return the already open) account of an owner. owner_kind is one of
        Account.OwnerKind: "member" (pass membership=), "cooperative", "working_group" (pass
        owner_id= the cooperative's / group's id and a name), "community". Limits default to the
        currency's policy for members and to 0/0 otherwise.
    transfer_make(*, debit, credit, amount, description="", idempotency_key=None, by=None,
                  decision_ref="") -> Posted   (.transfer, .replayed)
    transfers_link(*, currency, legs=[Leg(debit_id, credit_id, amount, description)], ...)
        -> Posted   (.transfers, .replayed)
    selectors.accounts_of(*, community, owner_kind=None, owner_id=None, membership=None,
                          currency=None, include_closed=False) -> QuerySet[Account]
"""

from dualpower.ledger.services.accounts import (
    COMMUNITY_UPPER,
    OwnerKind,
    account_close,
    account_limits_set,
    account_open,
    account_visibility_set,
    member_account,
)
from dualpower.ledger.services.currencies import currency_create, currency_update
from dualpower.ledger.services.demurrage import demurrage_charge, demurrage_charge_all, demurrage_fee
from dualpower.ledger.services.former_members import accounts_of_former_member
from dualpower.ledger.services.invoices import (
    invoice_accept,
    invoice_cancel,
    invoice_create,
    invoice_reject,
    invoices_expire,
)
from dualpower.ledger.services.posting import DESCRIPTION_MAX, Leg, Posted
from dualpower.ledger.services.transfers import transfer_correct, transfer_make, transfers_link

__all__ = [
    "COMMUNITY_UPPER",
    "DESCRIPTION_MAX",
    "Leg",
    "OwnerKind",
    "Posted",
    "account_close",
    "account_limits_set",
    "account_open",
    "account_visibility_set",
    "accounts_of_former_member",
    "currency_create",
    "currency_update",
    "demurrage_charge",
    "demurrage_charge_all",
    "demurrage_fee",
    "invoice_accept",
    "invoice_cancel",
    "invoice_create",
    "invoice_reject",
    "invoices_expire",
    "member_account",
    "transfer_correct",
    "transfer_make",
    "transfers_link",
]
