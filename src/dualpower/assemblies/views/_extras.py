"""What the proposal's page adds for the outcome statement and for the voter's own ranking.

Kept apart from ``_common`` so each concern reads on its own; ``_common._proposal_context`` merges it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualpower.assemblies import processes, selectors
from dualpower.assemblies.models import Proposal, ProposalOption, Vote


def statement_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    """The outcome statement shown (the newest version), its history, and who may write one."""
    versions = selectors.outcome_statements(proposal)
    return {
        "outcome_statement": versions[0] if versions else None,
        "outcome_history": versions[1:],
        "can_write_outcome": proposal.state == Proposal.State.CLOSED
        and hasattr(proposal, "outcome")
        and request.user.has_perm("assemblies.write_outcome", proposal),
    }


def ranking_context(
    proposal: Proposal, options: list[ProposalOption], choices: Any, *, just_cast: bool = False
) -> dict[str, Any]:
    """A ranked ballot as its voter sees it: the rank boxes filled in, and "Your ranking: 1. …".

    ``choices`` are the voter's ranked option ids: of their open vote, or of the secret ballot
    ``just_cast`` (the only moment the server can know them: a secret ballot is not linked to
    its voter afterwards).
    """
    if processes.get(proposal.process).shape != "ranked":
        return {"ranked_options": [(o, None) for o in options], "my_ranking": []}
    ranking = selectors.ranking_of(options, choices)
    rank = {o.pk: n for n, o in enumerate(ranking, start=1)}
    return {
        "ranked_options": [(o, rank.get(o.pk)) for o in options],
        "my_ranking": ranking,
        "ranking_just_cast": just_cast,
    }


def my_choices(vote: Vote | None) -> Any:
    return vote.choices if vote is not None else None
