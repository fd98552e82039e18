"""Every write about co-ops, one module per noun; this package re-exports the public verbs.

- coops.py: the registry (starting a co-op with its assembly, its name, purpose and bylaws, its
  ledger accounts);
- members.py: joining and leaving, the board's answers, board seats;
- capital.py: capital operations (subscriptions, transfers, redemptions) and the share register;
- patronage.py: patronage allocations of a year's surplus;
- _common.py: what they share.

Who may call each verb is decided in rules.py; the services keep the invariants (only community
members join, a co-op keeps a board while it has members, nobody leaves holding capital) and
write the audit log.
"""

from dualpower.coops.services.capital import (
    capital_operation_approve,
    capital_operation_cancel,
    capital_operation_complete,
    capital_operation_create,
    position_of,
)
from dualpower.coops.services.coops import NAME_MAX, PURPOSE_MAX, coop_accounts_open, coop_create, coop_update
from dualpower.coops.services.members import (
    coop_board_set,
    coop_join,
    coop_leave,
    coop_request_approve,
    coop_request_decline,
)
from dualpower.coops.services.patronage import patronage_adopt, patronage_propose

__all__ = [
    "NAME_MAX",
    "PURPOSE_MAX",
    "capital_operation_approve",
    "capital_operation_cancel",
    "capital_operation_complete",
    "capital_operation_create",
    "coop_accounts_open",
    "coop_board_set",
    "coop_create",
    "coop_join",
    "coop_leave",
    "coop_request_approve",
    "coop_request_decline",
    "coop_update",
    "patronage_adopt",
    "patronage_propose",
    "position_of",
]
