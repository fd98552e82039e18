"""Pages for proposals: putting one forward, its page, comments, amendments and its steps.

A form on the proposal's page comes back to the page with the sentence of what happened or why
it was refused; the new-proposal form shows again with what was typed and the error summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.assemblies import actions, processes, services
from dualpower.assemblies.forms import ProposalForm
from dualpower.assemblies.models import Amendment, Assembly, Proposal
from dualpower.assemblies.views._common import _assembly, _button, _page, _proposal, _refuse
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput, NotFound
from dualpower.members import selectors as member_selectors
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def proposal_new(request: HttpRequest, community: Community, assembly: str) -> HttpResponse:
    a = _assembly(request, community, assembly)
    check(request, "assemblies.propose", a)
    initial: dict[str, Any] = {}
    if request.GET.get("policy"):
        # From the policy page: a proposal to change the policy, the only way it changes.
        initial = {
            "title": _("Change how %(a)s decides") % {"a": a.name},
            "process": "supermajority",
            "action_kind": "assemblies.change_policy",
            "action_params": f"assembly = {a.pk}\n",
        }
    form = ProposalForm(request.POST or None, initial=initial, default_process=a.policy.default_process)

    def create(data: dict[str, Any]) -> Proposal:
        return services.proposal_create(
            assembly=a,
            by=membership_for(request.user, community),
            title=data["title"],
            body=data["body"],
            process=data["process"],
            voting_mode=data["voting_mode"],
            topic=data["topic"],
            seats=data["seats"],
            dots=data["dots"] or 0,
            options=_candidates(form, community),
            actions=_policy_action(form, a) or form.actions_list(),
            draft=data["draft"],
        )

    return form_action(
        request,
        form=form,
        run=create,
        success=lambda proposal: proposal.get_absolute_url(),
        message=_("Your proposal is up."),
        template="assemblies/new.html",
        context={"assembly": a, "processes": processes.PROCESSES.values(), "kinds": actions.kinds()},
    )


def _candidates(form: ProposalForm, community: Community) -> list[dict[str, Any]]:
    """In an election, an option naming exactly one member is that member's candidacy."""
    options = form.options_list()
    if form.cleaned_data.get("process") != "stv":
        return options
    for option in options:
        found = list(
            member_selectors.members_of(community=community).filter(display_name__iexact=option["label"])[:2]
        )
        if len(found) == 1:
            option["membership"] = found[0].pk
    return options


def _policy_action(form: ProposalForm, assembly: Assembly) -> list[dict[str, Any]]:
    """Policy changes are written as “name = value” lines: collect them under ``changes``."""
    if form.cleaned_data.get("action_kind") != "assemblies.change_policy":
        return []
    params = form.actions_list()[0]["params"]
    target = params.pop("assembly", assembly.pk)
    return [{"kind": "assemblies.change_policy", "params": {"assembly": target, "changes": params}}]


@require_http_methods(["GET", "HEAD"])
@with_community
def proposal_detail(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    return _page(request, _proposal(request, community, assembly, pk))


@require_POST
@with_community
def comment(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    check(request, "assemblies.comment", proposal)
    return _button(
        request,
        proposal,
        lambda: services.comment_add(
            proposal=proposal, by=membership_for(request.user, community), body=request.POST.get("body", "")
        ),
        _("Your comment is posted."),
    )


@require_POST
@with_community
def amend(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    check(request, "assemblies.amend", proposal)
    return _button(
        request,
        proposal,
        lambda: services.amendment_propose(
            proposal=proposal,
            by=membership_for(request.user, community),
            body=request.POST.get("body", ""),
            reason=request.POST.get("reason", ""),
        ),
        _("Your amendment is sent to the author."),
    )


@require_POST
@with_community
def amendment_answer(
    request: HttpRequest, community: Community, assembly: str, pk: int, aid: int
) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    check(request, "assemblies.answer_amendment", proposal)
    amendment = Amendment.objects.filter(proposal=proposal, pk=aid).first()
    if amendment is None:
        raise NotFound(_("There is no such amendment."))
    me = membership_for(request.user, community)
    answer = request.POST.get("answer", "")
    if answer == "accept":
        return _button(
            request, proposal, lambda: services.amendment_accept(amendment=amendment, by=me), _("Accepted.")
        )

    def decline() -> Amendment:
        if answer not in ("decline", "vote"):
            raise InvalidInput(_("Accept, decline or put it to a vote."))
        return services.amendment_decline(amendment=amendment, by=me, to_vote=answer == "vote")

    return _button(request, proposal, decline, _("Answered."))


@require_POST
@with_community
def step(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    check(request, "assemblies.manage_proposal", proposal)
    me = membership_for(request.user, community)
    verbs: dict[str, tuple[Callable[[], Any], str]] = {
        "discuss": (
            lambda: services.proposal_start_discussion(proposal=proposal, by=me),
            _("Discussion is open."),
        ),
        "vote": (lambda: services.proposal_open_voting(proposal=proposal, by=me), _("The vote is open.")),
        "withdraw": (lambda: services.proposal_withdraw(proposal=proposal, by=me), _("Withdrawn.")),
    }
    chosen = verbs.get(request.POST.get("step", ""))
    if chosen is None:
        return _button(request, proposal, _refuse(InvalidInput(_("Choose what to do."))), "")
    return _button(request, proposal, chosen[0], chosen[1])


@require_POST
@with_community
def close(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    """Close the vote now (after the confirmation in ``partials/_close.html``): the outcome is
    recorded and its actions carried out at once."""
    proposal = _proposal(request, community, assembly, pk)
    check(request, "assemblies.close_proposal", proposal)
    return _button(
        request,
        proposal,
        lambda: services.proposal_close_early(
            proposal=proposal,
            by=membership_for(request.user, community),
            reason=request.POST.get("reason", ""),
        ),
        _("The vote is closed. Here is the outcome."),
        success=lambda _outcome: proposal.get_absolute_url() + "#outcome-h",
    )


@require_POST
@with_community
def decide(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    return _button(
        request,
        proposal,
        lambda: services.advice_decide(
            proposal=proposal,
            by=membership_for(request.user, community),
            go_ahead=request.POST.get("go_ahead") == "yes",
            decision=request.POST.get("decision", ""),
        ),
        _("Your decision is recorded."),
    )
