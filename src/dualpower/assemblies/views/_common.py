"""Helpers the assemblies' page modules share: find the assembly or proposal, show the proposal's
page, and answer a form posted on it."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from dualpower.assemblies import actions as action_registry
from dualpower.assemblies import panels, processes, selectors, sources, verdicts
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.assemblies.views._closing import close_context
from dualpower.assemblies.views._extras import my_choices, ranking_context, statement_context
from dualpower.community.models import Community
from dualpower.errors import DomainError, NotFound
from dualpower.members import selectors as member_selectors
from dualpower.members.roles import membership_for
from dualpower.web import charts
from dualpower.web.actions import post_action
from dualpower.web.permissions import check

T = TypeVar("T")
log = logging.getLogger(__name__)


def _assembly(request: HttpRequest, community: Community, slug: str) -> Assembly:
    check(request, "assemblies.list_assemblies", community)
    assembly = selectors.assembly_get(community=community, slug=slug)
    check(request, "assemblies.view_assembly", assembly)
    return assembly


def _proposal(request: HttpRequest, community: Community, slug: str, pk: int) -> Proposal:
    assembly = _assembly(request, community, slug)
    proposal = selectors.proposal_get(assembly=assembly, pk=pk)
    check(request, "assemblies.view_proposal", proposal)
    if proposal.state == Proposal.State.DRAFT and not request.user.has_perm(
        "assemblies.manage_proposal", proposal
    ):
        raise NotFound(_("There is no such proposal in this assembly."))  # a draft is its author's
    return proposal


def _proposal_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    community = proposal.assembly.community
    me = membership_for(request.user, community)
    process = processes.get(proposal.process)
    visible = selectors.results_visible(proposal)
    outcome = getattr(proposal, "outcome", None) if proposal.state == Proposal.State.CLOSED else None
    can_vote = request.user.has_perm("assemblies.vote", proposal)
    options = selectors.parts_of(proposal, "options")
    my_vote = selectors.my_vote(proposal, me)
    return {
        "assembly": proposal.assembly,
        "proposal": proposal,
        "process": process,
        "options": options,
        "actions": _actions(proposal),
        "comments": selectors.parts_of(proposal, "comments"),
        "amendments": selectors.parts_of(proposal, "amendments"),
        "outcome": outcome,
        "results_visible": visible,
        "running": {process.position_label(k): v for k, v in selectors.running_counts(proposal).items()}
        if visible and not outcome
        else {},
        "vote_rows": selectors.vote_rows(proposal) if visible else [],
        "published": selectors.published_ballots(proposal),
        "my_vote": my_vote,
        # An open vote already read above answers it; a secret ballot asks its participation.
        "has_voted": my_vote is not None
        if me is not None and not proposal.is_secret
        else selectors.has_voted(proposal, me),
        "can_vote": can_vote
        and proposal.state == Proposal.State.VOTING
        and proposal.voting_mode == Proposal.VotingMode.ONLINE,
        "can_comment": request.user.has_perm("assemblies.comment", proposal)
        and proposal.state in (Proposal.State.DISCUSSION, Proposal.State.VOTING),
        "can_amend": request.user.has_perm("assemblies.amend", proposal)
        and proposal.state == Proposal.State.DISCUSSION,
        "can_manage": request.user.has_perm("assemblies.manage_proposal", proposal),
        "close": close_context(request, proposal),
        "is_author": me is not None and proposal.author_id == me.pk,
        "needs_author_decision": outcome is not None
        and outcome.process == "advice"
        and outcome.passed is None,
        "delegated": _delegated(outcome),
        "verdict": _verdict(outcome, proposal),
        "chart": _chart(outcome, process),
        **statement_context(request, proposal),
        **ranking_context(proposal, options, my_choices(my_vote)),
        # What other apps show about the proposal (assemblies/panels.py), apart from the vote.
        "panels": panels.render(proposal, request),
    }


def _chart(outcome: Any, process: processes.Process) -> Any:
    """The count as a bar chart with its table (positions, or each option's score in a poll)."""
    if outcome is None:
        return ""
    counts = outcome.tally.get("counts") or {}
    if counts:
        rows = [(process.position_label(k), int(v)) for k, v in counts.items() if v]
        return charts.bar_chart(
            rows, title=_("Positions"), label_header=_("Position"), value_label=_("Votes")
        )
    scores = outcome.tally.get("scores") or {}
    if scores and all(isinstance(v, int) for v in scores.values()):
        labels = dict(outcome.proposal.options.values_list("pk", "label"))
        rows = [(labels.get(int(k), k), v) for k, v in scores.items()]
        return charts.bar_chart(rows, title=_("Count"), label_header=_("Option"), value_label=_("Score"))
    return ""


def _verdict(outcome: Any, proposal: Proposal) -> verdicts.Verdict | None:
    """What was decided and why, in the reader's language (not the sentence stored at closing)."""
    if outcome is None:
        return None
    return verdicts.verdict(outcome, room=sources.room_description(proposal))


def _actions(proposal: Proposal) -> list[dict[str, Any]]:
    """The proposal's actions, each described in the reader's language (the description stored
    when it was put forward is in its author's)."""
    rows = []
    for act in selectors.parts_of(proposal, "actions"):
        text = act.description or act.kind
        try:
            kind = action_registry.get(act.kind)
            if kind.describe is not None:
                text = str(kind.describe(proposal.assembly.community, act.params))
        except Exception:  # an object gone since: the stored description stays
            log.debug("action %s no longer describes itself", act.pk, exc_info=True)
        rows.append(
            {
                "description": text,
                "status": act.status,
                "status_display": act.get_status_display(),
                # What it did, in the reader's language (older decisions: as the closer read it).
                "result": act.result_shown,
            }
        )
    return rows


def _delegated(outcome: Any) -> list[tuple[str, int]]:
    if outcome is None or not outcome.delegated_weight:
        return []
    names = dict(
        member_selectors.memberships_with_ids(ids=[int(k) for k in outcome.delegated_weight]).values_list(
            "pk", "display_name"
        )
    )
    return [(names.get(int(k), "?"), v) for k, v in outcome.delegated_weight.items()]


def _page(request: HttpRequest, proposal: Proposal, *, fresh: bool = False, **extra: Any) -> HttpResponse:
    """The proposal's page; ``fresh``: ``proposal`` was just read for this request (a GET), so it
    is not read again (after a form, it is: the service may have changed it)."""
    if not fresh:
        proposal = selectors.proposal_get(assembly=proposal.assembly, pk=proposal.pk)
    context = {**_proposal_context(request, proposal), **extra}
    return render(request, "assemblies/proposal.html", context)


def _button(
    request: HttpRequest,
    proposal: Proposal,
    run: Callable[[], T],
    done: str,
    success: Callable[[T], str | HttpResponse] | None = None,
) -> HttpResponse:
    """A form on the proposal's page (a vote, a comment, a step): back to the page with the sentence
    of what happened, or of why it was refused."""
    return post_action(request, run=run, back=proposal.get_absolute_url(), message=done, success=success)


def _refuse(error: DomainError) -> Callable[[], None]:
    """A button's run that only refuses (an unknown choice posted by hand)."""

    def run() -> None:
        raise error

    return run
