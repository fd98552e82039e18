"""Writes for assemblies and the life of a proposal. Every write is a keyword-only verb in one transaction.

Draft → discussion (comments, amendments) → voting → closed, or withdrawn. One module per noun:
``assemblies`` (bodies and their policy), ``proposals``, ``comments``, ``amendments``, ``votes``,
``delegations`` and ``outcomes`` (closing a vote and the actions a decision carries out); shared
private helpers in ``_common``. Other apps import from ``dualpower.assemblies.services`` only.
"""

from dualpower.assemblies.selectors import may_propose, may_speak, receipt_hash
from dualpower.assemblies.services._common import BODY_MAX, COMMENT_MAX, MAX_ACTIONS, MAX_OPTIONS, TITLE_MAX
from dualpower.assemblies.services.amendments import amendment_accept, amendment_decline, amendment_propose
from dualpower.assemblies.services.assemblies import assembly_create, general_assembly_for
from dualpower.assemblies.services.ballot_box import ballot_box_discard, ballot_box_open, ballots_sealed
from dualpower.assemblies.services.comments import comment_add
from dualpower.assemblies.services.delegations import (
    delegation_remove,
    delegation_set,
    effective_delegations,
    resolve_weights,
)
from dualpower.assemblies.services.outcomes import (
    CLOSE_REASON_MAX,
    advice_decide,
    proposal_close,
    proposal_close_early,
)
from dualpower.assemblies.services.proposals import (
    clean_actions,
    proposal_create,
    proposal_open_voting,
    proposal_start_discussion,
    proposal_update,
    proposal_withdraw,
)
from dualpower.assemblies.services.statements import (
    STATEMENT_MAX,
    may_write_statement,
    outcome_statement_write,
)
from dualpower.assemblies.services.votes import (
    REASON_MAX,
    Cast,
    clean_ballot,
    vote_cast,
    vote_retract,
)

__all__ = [
    "BODY_MAX",
    "CLOSE_REASON_MAX",
    "COMMENT_MAX",
    "MAX_ACTIONS",
    "MAX_OPTIONS",
    "REASON_MAX",
    "STATEMENT_MAX",
    "TITLE_MAX",
    "Cast",
    "advice_decide",
    "amendment_accept",
    "amendment_decline",
    "amendment_propose",
    "assembly_create",
    "ballot_box_discard",
    "ballot_box_open",
    "ballots_sealed",
    "clean_actions",
    "clean_ballot",
    "comment_add",
    "delegation_remove",
    "delegation_set",
    "effective_delegations",
    "general_assembly_for",
    "may_propose",
    "may_speak",
    "may_write_statement",
    "outcome_statement_write",
    "proposal_close",
    "proposal_close_early",
    "proposal_create",
    "proposal_open_voting",
    "proposal_start_discussion",
    "proposal_update",
    "proposal_withdraw",
    "receipt_hash",
    "resolve_weights",
    "vote_cast",
    "vote_retract",
]
