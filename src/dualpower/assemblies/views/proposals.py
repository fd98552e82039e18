"""Pages for proposals: putting one forward, its page, comments, amendments and its steps.

A form on the proposal's page comes back to the page with the sentence of what happened or why
it was refused; the new-proposal form shows again with what was typed and the error summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.assemblies import actions, processes, services
from dualpower.assemblies.forms import ProposalForm, ProposalStartForm, need_field_name
from dualpower.assemblies.models import Amendment, Assembly, Proposal
from dualpower.assemblies.views._common import _assembly, _button, _page, _proposal, _refuse
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError, InvalidInput, NotFound
from dualpower.members import selectors as member_selectors
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, render_form
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def proposal_new(request: HttpRequest, community: Community, assembly: str) -> HttpResponse:
    """Two steps, without JavaScript: first how the assembly decides and what the decision does
    (a GET form), then only the fields that process uses, with a picker for each thing the action
    needs. ``?policy=1`` (from the policy page) starts at the second step of a policy change."""
    a = _assembly(request, community, assembly)
    check(request, "assemblies.propose", a)
    if request.GET.get("policy"):
        query = urlencode({"process": "supermajority", "action": "assemblies.change_policy"})
        return redirect(f"{request.path}?{query}")
    process = processes.PROCESSES.get(request.GET.get("process", ""))
    kind = next((k for k in actions.pickable() if k.key == request.GET.get("action")), None)
    if process is None or request.GET.get("back") or (request.GET.get("action") and kind is None):
        start = ProposalStartForm(
            request.GET if request.GET.get("process") else None, default_process=a.policy.default_process
        )
        return render(
            request,
            "assemblies/new_start.html",
            {"assembly": a, "form": start, "processes": processes.PROCESSES.values()},
        )
    return _proposal_form(request, community, a, process, kind)


def _proposal_form(
    request: HttpRequest,
    community: Community,
    a: Assembly,
    process: processes.Process,
    kind: actions.ActionKind | None,
) -> HttpResponse:
    find = {k[len("find_") :]: str(v) for k, v in request.POST.items() if k.startswith("find_")}
    searching = request.method == "POST" and "search" in request.POST
    # A link may choose what the action acts on (``a_seat=4`` from a delegate's page): shown, and
    # changeable, in its picker.
    initial: dict[str, Any] = {
        need_field_name(n): request.GET[need_field_name(n)]
        for n in (kind.needs if kind else ())
        if request.GET.get(need_field_name(n))
    }
    if kind is not None and kind.key == "assemblies.change_policy":
        initial.setdefault("a_assembly", a.pk)
        initial["title"] = _("Change how %(a)s decides") % {"a": a.name}
    form = ProposalForm(
        None if searching else (request.POST or None),
        initial={**initial, **request.POST.dict()} if searching else initial,
        process=process,
        kind=kind,
        community=community,
        find=find,
    )
    context = {
        "assembly": a,
        "process": process,
        "kind": kind,
        "find": find,
        "change_url": request.path
        + "?"
        + urlencode({"process": process.key, "action": kind.key if kind else "", "back": 1}),
    }
    if searching:
        return render_form(request, "assemblies/new.html", form, context)

    def create(data: dict[str, Any]) -> Proposal:
        chosen = form.actions_list()
        if kind is not None:
            # The action's own check first, so that its refusal lands on the picker it is about.
            try:
                kind.validate(community, chosen[0]["params"])
            except DomainError as error:
                raise _on_picker(error, form) from None
        return services.proposal_create(
            assembly=a,
            by=membership_for(request.user, community),
            title=data["title"],
            body=data["body"],
            process=process.key,
            voting_mode=data.get("voting_mode") or Proposal.VotingMode.ONLINE,
            topic=data["topic"],
            seats=data.get("seats") or 1,
            dots=data.get("dots") or 0,
            options=_candidates(form, community),
            actions=chosen,
            draft=data["draft"],
        )

    return form_action(
        request,
        form=form,
        run=create,
        success=lambda proposal: proposal.get_absolute_url(),
        message=_("Your proposal is up."),
        template="assemblies/new.html",
        context=context,
    )


def _on_picker(error: DomainError, form: ProposalForm) -> DomainError:
    """An action's check names its own param ("seat") or "actions": point the error at that
    param's picker, so that ``form_action`` shows it there and links to it from the summary."""
    if form.kind is None or not form.kind.needs:
        return error
    pickers = {n.name: need_field_name(n) for n in form.kind.needs}
    first = next(iter(pickers.values()))
    if error.field in pickers:
        error.field = pickers[error.field]
    elif error.field in ("actions", "action_kind"):
        error.field = first
    return error


def _candidates(form: ProposalForm, community: Community) -> list[dict[str, Any]]:
    """In an election, an option naming exactly one member is that member's candidacy."""
    if "options" not in form.fields:
        return []
    options = form.options_list()
    if form.process.key != "stv":
        return options
    for option in options:
        found = list(
            member_selectors.members_of(community=community).filter(display_name__iexact=option["label"])[:2]
        )
        if len(found) == 1:
            option["membership"] = found[0].pk
    return options


@require_http_methods(["GET", "HEAD"])
@with_community
def proposal_detail(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    return _page(request, _proposal(request, community, assembly, pk), fresh=True)


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
