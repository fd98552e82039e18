"""Every write about people: one module per noun.

- ``applications``: applying, trust, admission;
- ``profiles``: what the community sees of a member;
- ``roles``: granting and revoking roles, the first coordinator;
- ``accounts``: creating and deleting accounts;
- ``tokens``: personal access tokens for scripts;
- ``duress``: ending every session of an account, the empty account a duress password opens.

Shared limits and cleaning live in ``_common``. Other apps import the names below from here.
"""

from dualpower.members.services._common import (
    FORMER_MEMBER,
    MAX_ANSWER,
    MAX_ITEM,
    MAX_LIST_ITEMS,
    MAX_REASON,
    Actor,
)
from dualpower.members.services.accounts import account_confirmed_create, account_delete, audit_redact_name
from dualpower.members.services.applications import (
    application_admit,
    application_admit_by_decision,
    application_decline,
    application_submit,
    application_withdraw,
    trust_give,
)
from dualpower.members.services.duress import decoy_account_create, decoy_account_delete, sessions_end
from dualpower.members.services.profiles import PROFILE_FIELDS, ProfileChanges, profile_update
from dualpower.members.services.roles import coordinator_appoint, role_change
from dualpower.members.services.tokens import (
    TOKEN_PREFIX,
    token_authenticate,
    token_create,
    token_find,
    token_revoke,
    tokens_revoke_all,
)

__all__ = [
    "FORMER_MEMBER",
    "MAX_ANSWER",
    "MAX_ITEM",
    "MAX_LIST_ITEMS",
    "MAX_REASON",
    "PROFILE_FIELDS",
    "TOKEN_PREFIX",
    "Actor",
    "ProfileChanges",
    "account_confirmed_create",
    "account_delete",
    "application_admit",
    "application_admit_by_decision",
    "application_decline",
    "application_submit",
    "application_withdraw",
    "audit_redact_name",
    "coordinator_appoint",
    "decoy_account_create",
    "decoy_account_delete",
    "profile_update",
    "role_change",
    "sessions_end",
    "token_authenticate",
    "token_create",
    "token_find",
    "token_revoke",
    "tokens_revoke_all",
    "trust_give",
]
