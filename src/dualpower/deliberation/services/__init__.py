"""Every write of a deliberation: keyword-only ``<noun>_<verb>``, one transaction each.

deliberations.py   opening, statements, votes, moderation, closing, starting a proposal (members)
links.py           taking part with the deliberation's secret link, without an account
peers.py           opening it to peer communities, and the votes their nodes relay
"""

from dualpower.deliberation.services.deliberations import (
    REFRESH_EVERY,
    SEEDS_MAX,
    VOTE_VALUES,
    deliberation_close,
    deliberation_open,
    participant_for,
    proposal_start,
    statement_add,
    statement_moderate,
    vote_cast,
)
from dualpower.deliberation.services.links import (
    link_participation_erase,
    link_set,
    link_statement_add,
    link_vote_cast,
)
from dualpower.deliberation.services.peers import (
    deliberation_peers_set,
    peer_statement_add,
    peer_vote_cast,
    peer_votes_erase,
)

__all__ = [
    "REFRESH_EVERY",
    "SEEDS_MAX",
    "VOTE_VALUES",
    "deliberation_close",
    "deliberation_open",
    "deliberation_peers_set",
    "link_participation_erase",
    "link_set",
    "link_statement_add",
    "link_vote_cast",
    "participant_for",
    "peer_statement_add",
    "peer_vote_cast",
    "peer_votes_erase",
    "proposal_start",
    "statement_add",
    "statement_moderate",
    "vote_cast",
]
