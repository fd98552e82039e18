"""Opinion maps of a deliberation: Polis' method (compdemocracy/polis, math/) in numpy.

``opinion_map(votes)`` places participants on a two-dimensional map from their agree / disagree /
pass votes, finds opinion groups, the statements that set each group apart and those every group
agrees on. ``polis_map(votes)`` does the same for a conversation Polis ran, replaying Polis' update
path from the votes' timestamps (replay.py), to find the groups Polis showed. No Django: this runs
anywhere, e.g. ``dualpower opinions FOLDER`` on a Polis export.
"""

from dualpower.core.opinions.engine import opinion_map, polis_map
from dualpower.core.opinions.model import (
    ConsensusStatement,
    GroupVotes,
    KSmoother,
    OpinionMap,
    OpinionsError,
    RepStatement,
    Settings,
    Votes,
)
from dualpower.core.opinions.polis_export import adjusted_rand_index, polis_groups, read_folder

__all__ = [
    "ConsensusStatement",
    "GroupVotes",
    "KSmoother",
    "OpinionMap",
    "OpinionsError",
    "RepStatement",
    "Settings",
    "Votes",
    "adjusted_rand_index",
    "opinion_map",
    "polis_groups",
    "polis_map",
    "read_folder",
]
