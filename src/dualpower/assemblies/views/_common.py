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
from dualpower.assemblies.views import _closing
from dualpower.assemblies.views._extras import my_choices, ranking_context, statement_context
from dualpower.community.models import Community
from dualpower.errors import DomainError, NotFound
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web import charts
from dualpower.web.actions import post_action
from dualpower.web.fragments import Later
from dualpower.web.permissions import check

T = TypeVar("T")
log = logging.getLogger(__name__)


def _assembly(request: HttpRequest, community: Community, slug: str) -> Assembly:
    check(request, "assemblies.list_assemblies", community)
    assembly = selectors.assembly_get(community=community, slug=slug)
    check(request, "assemblies.view_assembly", assembly)
    return assembly


def _proposal(request: HttpRequest, community: Community, slug: str, pk: int) -> Proposal:
    check(request, "assemblies.list_assemblies", community)
    # The proposal and its assembly in one query; when it finds nothing, the assembly and then the
    # proposal are read apart, to say which is missing (or that the assembly is not the visitor's).
    proposal = selectors.proposal_in(community=community, slug=slug, pk=pk)
    if proposal is None:
        proposal = selectors.proposal_get(assembly=_assembly(request, community, slug), pk=pk)
    else:
        check(request, "assemblies.view_assembly", proposal.assembly)
    check(request, "assemblies.view_proposal", proposal)
    if proposal.state == Proposal.State.DRAFT and not request.user.has_perm(
        "assemblies.manage_proposal", proposal
    ):
        raise NotFound(_("There is no such proposal in this assembly."))  # a draft is its author's
    return proposal


def _proposal_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    """The proposal's page. What is the same for every reader (the text, the outcome, the votes,
    the amendments and the discussion) is read only when the page's kept fragments are not
    (``Later``: templates/assemblies/proposal.html names what each fragment depends on); the
    reader's own parts (their vote, what they may do) are worked out on every visit."""
    community = proposal.assembly.community
    me = membership_for(request.user, community)
    process = processes.get(proposal.process)
    visible = selectors.results_visible(proposal)
    outcome = getattr(proposal, "outcome", None) if proposal.state == Proposal.State.CLOSED else None
    options = Later(selectors.parts_of, proposal, "options")
    my_vote = Later(selectors.my_vote, proposal, me)
    may_close = _closing.may_close(request, proposal)
    coordinator = may_close and _closing.is_coordinator(request, proposal)
    return {
        "assembly": proposal.assembly,
        "proposal": proposal,
        "process": process,
        "options": options,
        "actions": Later(_actions, proposal),
        "comments": Later(selectors.parts_of, proposal, "comments"),
        "amendments": Later(selectors.parts_of, proposal, "amendments"),
        "outcome": outcome,
        "results_visible": visible,
        "running": Later(_running, proposal, process) if visible and not outcome else {},
        "vote_rows": Later(selectors.vote_rows, proposal) if visible else [],
        "published": Later(selectors.published_ballots, proposal),
        "my_vote": my_vote,
        # An open vote already read above answers it; a secret ballot asks its participation.
        "has_voted": Later(_has_voted, proposal, me, my_vote),
        # What the reader may do, asked only of a proposal in the state where it could be done.
        "can_vote": proposal.state == Proposal.State.VOTING
        and proposal.voting_mode == Proposal.VotingMode.ONLINE
        and request.user.has_perm("assemblies.vote", proposal),
        "can_comment": proposal.state in (Proposal.State.DISCUSSION, Proposal.State.VOTING)
        and request.user.has_perm("assemblies.comment", proposal),
        "can_amend": proposal.state == Proposal.State.DISCUSSION
        and request.user.has_perm("assemblies.amend", proposal),
        "can_manage": request.user.has_perm("assemblies.manage_proposal", proposal),
        # Closing the vote early: the same for every reader with the same two answers (its fragment's key).
        "close_key": (may_close, coordinator),
        "close": Later(_closing.close_of, proposal, allowed=may_close, coordinator=coordinator),
        "is_author": me is not None and proposal.author_id == me.pk,
        "needs_author_decision": outcome is not None
        and outcome.process == "advice"
        and outcome.passed is None,
        "delegated": Later(_delegated, outcome),
        "verdict": Later(_verdict, outcome, proposal),
        "chart": Later(_chart, outcome, process),
        **statement_context(request, proposal),
        **ranking_context(proposal, options, Later(my_choices, my_vote)),
        # What other apps show about the proposal (assemblies/panels.py), apart from the vote.
        "panels": panels.render(proposal, request),
    }


def _running(proposal: Proposal, process: processes.Process) -> dict[str, int]:
    return {process.position_label(k): v for k, v in selectors.running_counts(proposal).items()}


def _has_voted(proposal: Proposal, me: Membership | None, my_vote: Later) -> bool:
    if me is not None and not proposal.is_secret:
        return my_vote() is not None
    return selectors.has_voted(proposal, me)


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
    if context["can_vote"]:
        context["vote_key"] = _vote_key(context, extra)
    return render(request, "assemblies/proposal.html", context)


def _vote_key(context: dict[str, Any], extra: dict[str, Any]) -> tuple[Any, ...] | None:
    """What the vote's form shows of its reader (partials/_vote.html, kept as a fragment): their
    vote (by its id: the fragment is kept only while nothing is written) and whether they have
    voted (a secret ballot's participation). None, not kept, when the form shows what was just
    typed or just cast."""
    if "typed" in extra or "ranked_options" in extra:
        return None
    vote = context["my_vote"]()
    return (vote.pk if vote is not None else None, bool(context["has_voted"]()))


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
