"""What the proposal's page adds for the outcome statement and for the voter's own ranking.

Kept apart from ``_common`` so each concern reads on its own; ``_common._proposal_context`` merges it.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualpower.assemblies import processes, selectors
from dualpower.assemblies.models import Proposal, ProposalOption, Vote
from dualpower.web.fragments import Later


def statement_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    """The outcome statement shown (the newest version), its history, and who may write one."""
    # Read only when the part of the page that shows them is (not when it is kept: web/fragments.py).
    versions = Later(selectors.outcome_statements, proposal)
    return {
        "outcome_statement": Later(lambda: versions()[0] if versions() else None),
        "outcome_history": Later(lambda: versions()[1:]),
        "can_write_outcome": proposal.state == Proposal.State.CLOSED
        and hasattr(proposal, "outcome")
        and request.user.has_perm("assemblies.write_outcome", proposal),
    }


def ranking_context(
    proposal: Proposal,
    options: list[ProposalOption] | Later,
    choices: Any,
    *,
    just_cast: bool = False,
) -> dict[str, Any]:
    """A ranked ballot as its voter sees it: the rank boxes filled in, and "Your ranking: 1. …".

    ``choices`` are the voter's ranked option ids: of their open vote, or of the secret ballot
    ``just_cast`` (the only moment the server can know them: a secret ballot is not linked to
    its voter afterwards). ``options`` may be still to read (a ``Later``): only a ranked ballot
    reads them here, and ``choices`` (then also possibly a ``Later``) are asked only then.
    """
    if processes.get(proposal.process).shape != "ranked":
        return {"ranked_options": Later(lambda: [(o, None) for o in _now(options)]), "my_ranking": []}
    listed: list[ProposalOption] = _now(options)
    ranking = selectors.ranking_of(listed, _now(choices))
    rank = {o.pk: n for n, o in enumerate(ranking, start=1)}
    return {
        "ranked_options": [(o, rank.get(o.pk)) for o in listed],
        "my_ranking": ranking,
        "ranking_just_cast": just_cast,
    }


def my_choices(vote: Vote | Later | None) -> Any:
    found: Vote | None = _now(vote)
    return found.choices if found is not None else None


def _now(value: Any) -> Any:
    """``value``, worked out if it was still to be (a ``Later``)."""
    return value() if isinstance(value, Later) else value
