"""Pages for assemblies: parse → check rule → call service → template.

Every form posts and the page answers without JavaScript. A refused or invalid request shows
the proposal page again with the sentence that explains why, under the status it deserves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.assemblies import actions, bodies, processes, selectors, services
from dualpower.assemblies.forms import ProposalForm
from dualpower.assemblies.models import Amendment, Assembly, Delegation, Policy, Proposal
from dualpower.community.models import Community
from dualpower.errors import DomainError, InvalidInput, NotFound
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web import charts
from dualpower.web.community import require_perm, with_community


def _assembly(request: HttpRequest, community: Community, slug: str) -> Assembly:
    require_perm(request, "assemblies.list_assemblies", community)
    assembly = selectors.assembly_get(community=community, slug=slug)
    require_perm(request, "assemblies.view_assembly", assembly)
    return assembly


def _proposal(request: HttpRequest, community: Community, slug: str, pk: int) -> Proposal:
    assembly = _assembly(request, community, slug)
    proposal = selectors.proposal_get(assembly=assembly, pk=pk)
    require_perm(request, "assemblies.view_proposal", proposal)
    if proposal.state == Proposal.State.DRAFT and not request.user.has_perm(
        "assemblies.manage_proposal", proposal
    ):
        raise NotFound(_("There is no such proposal in this assembly."))  # a draft is its author's
    return proposal


@require_http_methods(["GET", "HEAD"])
@with_community
def assembly_list(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "assemblies.list_assemblies", community)
    if not community.assemblies.exists():
        services.general_assembly_for(community)  # every community has one, made on first visit
    me = membership_for(request.user, community)
    rows = [
        {
            "assembly": a,
            "open": selectors.proposals_open(assembly=a).count(),
            "votes": bodies.is_voter(a, me),
        }
        for a in selectors.assemblies_for(community=community)
    ]
    waiting = selectors.votes_waiting_for(community=community, membership=me) if me else []
    return render(request, "assemblies/list.html", {"rows": rows, "waiting": waiting})


@require_http_methods(["GET", "HEAD"])
@with_community
def assembly_detail(request: HttpRequest, community: Community, assembly: str) -> HttpResponse:
    a = _assembly(request, community, assembly)
    me = membership_for(request.user, community)
    open_now = list(selectors.proposals_open(assembly=a))
    return render(
        request,
        "assemblies/detail.html",
        {
            "assembly": a,
            "voting": [p for p in open_now if p.state == Proposal.State.VOTING and not p.amends_id],
            "discussion": [p for p in open_now if p.state == Proposal.State.DISCUSSION],
            "amendment_votes": [p for p in open_now if p.state == Proposal.State.VOTING and p.amends_id],
            "decided": list(selectors.proposals_decided(assembly=a)),
            "drafts": list(selectors.drafts_of(assembly=a, membership=me)),
            "meetings": selectors.next_meetings(a),
            "voters": selectors.voters_count(a),
            "is_voter": bodies.is_voter(a, me),
            "can_propose": request.user.has_perm("assemblies.propose", a),
            "can_delegate": request.user.has_perm("assemblies.delegate", a),
            "delegations": list(selectors.delegations_of(assembly=a, membership=me)),
            "others": bodies.voters_of(a).exclude(pk=getattr(me, "pk", None)).order_by("display_name")
            if request.user.has_perm("assemblies.delegate", a)
            else [],
            "process": processes.get(a.policy.default_process),
        },
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def policy_page(request: HttpRequest, community: Community, assembly: str) -> HttpResponse:
    a = _assembly(request, community, assembly)
    policy = a.policy
    rows = [
        (Policy._meta.get_field(name).verbose_name, _display(policy, name))
        for name in (
            "default_process",
            "quorum",
            "supermajority",
            "discussion_days",
            "voting_days",
            "secret_ballots",
            "results_hidden_until_close",
            "who_may_propose",
            "liquid_delegation",
        )
    ]
    return render(
        request,
        "assemblies/policy.html",
        {
            "assembly": a,
            "rows": rows,
            "processes": processes.PROCESSES.values(),
            "can_propose": request.user.has_perm("assemblies.propose", a),
        },
    )


def _display(policy: Policy, name: str) -> str:
    value = getattr(policy, name)
    if name == "default_process":
        return str(processes.get(value).label)
    if name in ("quorum", "supermajority"):
        return f"{round(float(value) * 100)} %" if value else _("none")
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if name == "who_may_propose":
        return str(policy.get_who_may_propose_display())
    return str(value)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def proposal_new(request: HttpRequest, community: Community, assembly: str) -> HttpResponse:
    a = _assembly(request, community, assembly)
    require_perm(request, "assemblies.propose", a)
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
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            acts = _policy_action(form, a) or form.actions_list()
            proposal = services.proposal_create(
                assembly=a,
                by=membership_for(request.user, community),
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                process=form.cleaned_data["process"],
                voting_mode=form.cleaned_data["voting_mode"],
                topic=form.cleaned_data["topic"],
                seats=form.cleaned_data["seats"],
                dots=form.cleaned_data["dots"] or 0,
                options=_candidates(form, community),
                actions=acts,
                draft=form.cleaned_data["draft"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
            status = exc.status
        else:
            messages.success(request, _("Your proposal is up."))
            return redirect(proposal.get_absolute_url())
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "assemblies/new.html",
        {"assembly": a, "form": form, "processes": processes.PROCESSES.values(), "kinds": actions.kinds()},
        status=status,
    )


def _candidates(form: ProposalForm, community: Community) -> list[dict[str, Any]]:
    """In an election, an option naming exactly one member is that member's candidacy."""
    options = form.options_list()
    if form.cleaned_data.get("process") != "stv":
        return options
    for option in options:
        found = list(
            Membership.objects.filter(
                community=community, status="active", display_name__iexact=option["label"]
            )[:2]
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


def _proposal_context(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    community = proposal.assembly.community
    me = membership_for(request.user, community)
    process = processes.get(proposal.process)
    visible = selectors.results_visible(proposal)
    outcome = getattr(proposal, "outcome", None) if proposal.state == Proposal.State.CLOSED else None
    can_vote = request.user.has_perm("assemblies.vote", proposal)
    return {
        "assembly": proposal.assembly,
        "proposal": proposal,
        "process": process,
        "options": list(proposal.options.all()),
        "actions": list(proposal.actions.all()),
        "comments": list(proposal.comments.select_related("author")),
        "amendments": list(proposal.amendments.select_related("author", "vote")),
        "outcome": outcome,
        "results_visible": visible,
        "running": selectors.running_counts(proposal) if visible and not outcome else {},
        "vote_rows": selectors.vote_rows(proposal) if visible else [],
        "published": selectors.published_ballots(proposal),
        "my_vote": selectors.my_vote(proposal, me),
        "has_voted": selectors.has_voted(proposal, me),
        "can_vote": can_vote
        and proposal.state == Proposal.State.VOTING
        and proposal.voting_mode == Proposal.VotingMode.ONLINE,
        "can_comment": request.user.has_perm("assemblies.comment", proposal)
        and proposal.state in (Proposal.State.DISCUSSION, Proposal.State.VOTING),
        "can_amend": request.user.has_perm("assemblies.amend", proposal)
        and proposal.state == Proposal.State.DISCUSSION,
        "can_manage": request.user.has_perm("assemblies.manage_proposal", proposal),
        "is_author": me is not None and proposal.author_id == me.pk,
        "needs_author_decision": outcome is not None
        and outcome.process == "advice"
        and outcome.passed is None,
        "delegated": _delegated(outcome),
        "statement": _statement(outcome),
        "chart": _chart(outcome, process),
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


def _statement(outcome: Any) -> str:
    """The engine's sentence without its leading verdict, which the page shows in bold."""
    if outcome is None:
        return ""
    text = outcome.statement
    for prefix in ("Not passed: ", "Passed: "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
            return text[:1].upper() + text[1:]
    return text


def _delegated(outcome: Any) -> list[tuple[str, int]]:
    if outcome is None or not outcome.delegated_weight:
        return []
    names = dict(
        Membership.objects.filter(pk__in=[int(k) for k in outcome.delegated_weight]).values_list(
            "pk", "display_name"
        )
    )
    return [(names.get(int(k), "?"), v) for k, v in outcome.delegated_weight.items()]


def _page(
    request: HttpRequest, proposal: Proposal, *, error: DomainError | None = None, **extra: Any
) -> HttpResponse:
    proposal = selectors.proposal_get(assembly=proposal.assembly, pk=proposal.pk)
    context = {**_proposal_context(request, proposal), "error": error, **extra}
    return render(request, "assemblies/proposal.html", context, status=error.status if error else 200)


@require_http_methods(["GET", "HEAD"])
@with_community
def proposal_detail(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    return _page(request, _proposal(request, community, assembly, pk))


def _act(request: HttpRequest, proposal: Proposal, action: Callable[[], Any], done: str) -> HttpResponse:
    try:
        result = action()
    except DomainError as exc:
        return _page(request, proposal, error=exc)
    receipt = getattr(result, "receipt", "")
    if receipt:
        # Shown once, on this page; never stored in clear nor sent by email.
        return _page(request, proposal, receipt=receipt, notice=done)
    messages.success(request, done)
    return redirect(proposal.get_absolute_url())


@require_POST
@with_community
def vote(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    require_perm(request, "assemblies.vote", proposal)
    process = processes.get(proposal.process)
    choices: Any = None
    if process.shape in ("approval", "time"):
        choices = request.POST.getlist("choices")
    elif process.shape == "ranked":
        ranks = []
        for option in proposal.options.all():
            raw = request.POST.get(f"rank_{option.pk}", "").strip()
            if raw:
                try:
                    ranks.append((int(raw), str(option.pk)))
                except ValueError:
                    return _page(
                        request, proposal, error=InvalidInput(_("A rank is a number."), field="choices")
                    )
        if len({r for r, _o in ranks}) != len(ranks):
            return _page(request, proposal, error=InvalidInput(_("Give each option a different rank.")))
        choices = [o for _r, o in sorted(ranks)]
    elif process.shape in ("score", "dots"):
        choices = {str(o.pk): request.POST.get(f"score_{o.pk}", "0") or "0" for o in proposal.options.all()}
    return _act(
        request,
        proposal,
        lambda: services.vote_cast(
            proposal=proposal,
            by=membership_for(request.user, community),
            position=request.POST.get("position", ""),
            choices=choices,
            reason=request.POST.get("reason", ""),
            receipt=request.POST.get("receipt", ""),
        ),
        _("Your vote is recorded. You can change it until the vote closes."),
    )


@require_POST
@with_community
def comment(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    require_perm(request, "assemblies.comment", proposal)
    return _act(
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
    require_perm(request, "assemblies.amend", proposal)
    return _act(
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
    require_perm(request, "assemblies.answer_amendment", proposal)
    amendment = Amendment.objects.filter(proposal=proposal, pk=aid).first()
    if amendment is None:
        raise NotFound(_("There is no such amendment."))
    me = membership_for(request.user, community)
    answer = request.POST.get("answer", "")
    if answer == "accept":
        return _act(
            request, proposal, lambda: services.amendment_accept(amendment=amendment, by=me), _("Accepted.")
        )
    if answer in ("decline", "vote"):
        return _act(
            request,
            proposal,
            lambda: services.amendment_decline(amendment=amendment, by=me, to_vote=answer == "vote"),
            _("Answered."),
        )
    return _page(request, proposal, error=InvalidInput(_("Accept, decline or put it to a vote.")))


@require_POST
@with_community
def step(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    require_perm(request, "assemblies.manage_proposal", proposal)
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
        return _page(request, proposal, error=InvalidInput(_("Choose what to do.")))
    return _act(request, proposal, chosen[0], chosen[1])


@require_POST
@with_community
def decide(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    return _act(
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


@require_POST
@with_community
def receipt_check(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    proposal = _proposal(request, community, assembly, pk)
    ballot = selectors.ballot_for_receipt(proposal, request.POST.get("receipt", ""))
    found = {"check": ballot.receipt_hash[:12]} if ballot is not None else None
    return _page(request, proposal, receipt_result=found or "missing")


@require_POST
@with_community
def delegate(request: HttpRequest, community: Community, assembly: str) -> HttpResponse:
    a = _assembly(request, community, assembly)
    require_perm(request, "assemblies.delegate", a)
    target = Membership.objects.filter(community=community, pk=request.POST.get("delegate") or 0).first()
    proposal = None
    if request.POST.get("proposal"):
        proposal = Proposal.objects.filter(assembly=a, pk=request.POST.get("proposal") or 0).first()
    try:
        if target is None:
            raise InvalidInput(_("Choose who votes for you."), field="delegate")
        services.delegation_set(
            assembly=a,
            by=membership_for(request.user, community),
            delegate=target,
            topic=request.POST.get("topic", ""),
            proposal=proposal,
        )
    except DomainError as exc:
        messages.error(request, exc.detail)
        return redirect(a.get_absolute_url())
    messages.success(
        request, _("%(name)s now votes for you unless you vote yourself.") % {"name": target.display_name}
    )
    return redirect(a.get_absolute_url())


@require_POST
@with_community
def delegation_remove(request: HttpRequest, community: Community, assembly: str, pk: int) -> HttpResponse:
    a = _assembly(request, community, assembly)
    found = (
        Delegation.objects.filter(assembly=a, pk=pk).select_related("delegate", "assembly__community").first()
    )
    if found is None:
        raise NotFound(_("There is no such delegation."))
    services.delegation_remove(delegation=found, by=membership_for(request.user, community))
    messages.success(request, _("You vote for yourself again."))
    return redirect(a.get_absolute_url())
