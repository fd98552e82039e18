"""Pages for budgeting cycles, ideas and proposals: parse → check rule → call service → template.

Voting pages are in views_voting.py; results, recount files, import and implementation in
views_results.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.budgeting import selectors, services
from dualpower.budgeting.forms import (
    CycleForm,
    FeasibilityForm,
    IdeaForm,
    ProposalForm,
    StatusForm,
    UpdateForm,
    cents_text,
)
from dualpower.budgeting.mapping import project_map
from dualpower.budgeting.models import PHASE_ORDER, Cycle, Phase, Proposal
from dualpower.budgeting.money import money
from dualpower.community.models import Community
from dualpower.errors import Conflict, DomainError
from dualpower.members.roles import membership_for
from dualpower.web.community import require_perm, with_community


def cycle_for(
    request: HttpRequest, community: Community, slug: str, perm: str = "budgeting.view_cycle"
) -> Cycle:
    # Check the community first: an outsider learns nothing about which cycles exist.
    require_perm(request, "budgeting.list_cycles", community)
    cycle = selectors.cycle_get(community=community, slug=slug)
    require_perm(request, perm, cycle)
    return cycle


def me(request: HttpRequest, community: Community) -> Any:
    return membership_for(request.user, community)


def form_error(form: Any, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.detail)


@require_http_methods(["GET", "HEAD"])
@with_community
def cycle_list(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "budgeting.list_cycles", community)
    return render(
        request,
        "budgeting/list.html",
        {
            "cycles": selectors.cycles_of(community=community),
            "can_add": request.user.has_perm("budgeting.add_cycle", community),
            "can_import": request.user.has_perm("budgeting.import_cycle", community),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def cycle_create(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "budgeting.add_cycle", community)
    form = CycleForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(community=community, by=me(request, community), **form.cleaned_data)
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, _("The budgeting cycle “%(t)s” was set up.") % {"t": cycle.title})
            return redirect("budgeting:detail", community.slug, cycle.slug)
    return render(request, "budgeting/form.html", {"form": form}, status=400 if form.errors else 200)


def _steps(cycle: Cycle) -> list[dict[str, Any]]:
    here = cycle.phase_index()
    return [
        {"label": Phase(p).label, "state": "done" if i < here else "current" if i == here else "next"}
        for i, p in enumerate(PHASE_ORDER)
    ]


@require_http_methods(["GET", "HEAD"])
@with_community
def cycle_detail(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    c = cycle_for(request, community, cycle)
    user = request.user
    return render(
        request,
        "budgeting/detail.html",
        {
            "cycle": c,
            "steps": _steps(c),
            "budget": money(c.budget, c.currency),
            "max_total": money(c.max_total_cost, c.currency) if c.max_total_cost is not None else "",
            "districts": [(d, money(d.budget, c.currency)) for d in c.districts.all()],
            "categories": list(c.categories.all()),
            "can_manage": user.has_perm("budgeting.manage_cycle", c),
            "can_idea": user.has_perm("budgeting.submit_idea", c),
            "can_develop": user.has_perm("budgeting.develop_proposals", c),
            "can_vote": user.has_perm("budgeting.vote", c),
            "can_paper": user.has_perm("budgeting.enter_paper", c),
            "can_results": user.has_perm("budgeting.view_results", c),
            "next_phase": Phase(PHASE_ORDER[c.phase_index() + 1]).label
            if c.phase_index() + 1 < len(PHASE_ORDER)
            else None,
        },
    )


@require_POST
@with_community
def cycle_advance(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    c = cycle_for(request, community, cycle, "budgeting.manage_cycle")
    try:
        c = services.cycle_advance(cycle=c, by=me(request, community))
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, _("The cycle is now in: %(p)s.") % {"p": Phase(c.phase).label})
    return redirect("budgeting:detail", community.slug, c.slug)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def idea_list(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    c = cycle_for(request, community, cycle)
    districts = list(c.districts.all())
    form = IdeaForm(request.POST or None, districts=districts)
    if request.method == "POST":
        require_perm(request, "budgeting.submit_idea", c)
        if form.is_valid():
            try:
                services.idea_submit(cycle=c, by=me(request, community), **form.cleaned_data)
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Thank you: your idea was added."))
                return redirect("budgeting:ideas", community.slug, c.slug)
    return render(
        request,
        "budgeting/ideas.html",
        {
            "cycle": c,
            "ideas": selectors.ideas_of(cycle=c),
            "form": form,
            "can_idea": request.user.has_perm("budgeting.submit_idea", c),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def proposal_list(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    c = cycle_for(request, community, cycle)
    can_develop = request.user.has_perm("budgeting.develop_proposals", c)
    unmerged = list(selectors.ideas_of(cycle=c).filter(merged_into__isnull=True))
    form = ProposalForm(request.POST or None, districts=list(c.districts.all()), ideas=unmerged)
    if request.method == "POST":
        require_perm(request, "budgeting.develop_proposals", c)
        if form.is_valid():
            data = form.cleaned_data
            chosen = [i for i in unmerged if str(i.pk) in set(data.get("ideas", []))]
            try:
                p = services.proposal_create(
                    cycle=c,
                    by=me(request, community),
                    title=data["title"],
                    description=data["description"],
                    cost=data["cost"],
                    district=data.get("district"),
                    ideas=chosen,
                    **form.coordinates(),
                )
            except DomainError as exc:
                form_error(form, exc)
            else:
                messages.success(request, _("Proposal %(code)s was added.") % {"code": p.code})
                return redirect("budgeting:proposals", community.slug, c.slug)
    proposals = list(selectors.proposals_of(cycle=c))
    return render(
        request,
        "budgeting/proposals.html",
        {
            "cycle": c,
            "rows": [(p, money(p.cost, c.currency)) for p in proposals],
            "map": project_map(proposals),
            "form": form,
            "can_develop": can_develop,
        },
        status=400 if form.errors else 200,
    )


def _trackable(request: HttpRequest, proposal: Proposal, can_track: bool) -> None:
    require_perm(request, "budgeting.track_implementation", proposal)
    if not can_track:
        raise Conflict(_("Only funded projects are tracked through implementation."))


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def proposal_detail(request: HttpRequest, community: Community, cycle: str, code: str) -> HttpResponse:
    c = cycle_for(request, community, cycle)
    p = selectors.proposal_get(cycle=c, code=code)
    user = request.user
    can_edit = user.has_perm("budgeting.develop_proposals", c)
    can_review = user.has_perm("budgeting.review_feasibility", c)
    can_track = user.has_perm("budgeting.track_implementation", p) and p.code in selectors.funded_codes(
        cycle=c
    )
    initial = {"title": p.title, "description": p.description, "cost": cents_text(p.cost)}
    edit_form = ProposalForm(initial=initial, districts=None)
    review_form = FeasibilityForm()
    status_form = StatusForm(
        initial={
            "status": p.status,
            "spent": cents_text(p.spent),
            "group": p.responsible_group_id,
            "reason": p.abandoned_reason,
        },
        community=community,
    )
    update_form = UpdateForm()
    status = 200
    if request.method == "POST":
        which = request.POST.get("form")
        by = me(request, community)
        if which in ("status", "update"):
            _trackable(request, p, can_track)
        try:
            if which == "edit":
                require_perm(request, "budgeting.develop_proposals", c)
                edit_form = ProposalForm(request.POST, districts=None)
                if edit_form.is_valid():
                    d = edit_form.cleaned_data
                    services.proposal_update(
                        proposal=p,
                        by=by,
                        title=d["title"],
                        description=d["description"],
                        cost=d["cost"],
                        **edit_form.coordinates(),
                    )
                    messages.success(request, _("Saved."))
                    return redirect("budgeting:proposal", community.slug, c.slug, p.code)
            elif which == "review":
                require_perm(request, "budgeting.review_feasibility", c)
                review_form = FeasibilityForm(request.POST)
                if review_form.is_valid():
                    services.feasibility_decide(proposal=p, by=by, **review_form.cleaned_data)
                    messages.success(request, _("The verdict was recorded and published."))
                    return redirect("budgeting:proposal", community.slug, c.slug, p.code)
            elif which == "status":
                status_form = StatusForm(request.POST, community=community)
                if status_form.is_valid():
                    d = status_form.cleaned_data
                    if d["status"] != p.status or d["reason"] != p.abandoned_reason:
                        services.project_status_set(proposal=p, by=by, status=d["status"], reason=d["reason"])
                    if d["spent"] is not None and d["spent"] != p.spent:
                        services.project_spending_set(proposal=p, by=by, spent=d["spent"])
                    if d["group"] != p.responsible_group:
                        services.project_group_set(proposal=p, by=by, group=d["group"])
                    messages.success(request, _("Saved."))
                    return redirect("budgeting:proposal", community.slug, c.slug, p.code)
            elif which == "update":
                update_form = UpdateForm(request.POST, request.FILES)
                if update_form.is_valid():
                    services.progress_update_add(proposal=p, by=by, **update_form.cleaned_data)
                    messages.success(request, _("The update was published."))
                    return redirect("budgeting:proposal", community.slug, c.slug, p.code)
        except DomainError as exc:
            target = {
                "edit": edit_form,
                "review": review_form,
                "status": status_form,
                "update": update_form,
            }.get(which or "")
            if target is None:
                raise
            form_error(target, exc)
        status = 400
    return render(
        request,
        "budgeting/proposal.html",
        {
            "cycle": c,
            "proposal": p,
            "cost": money(p.cost, c.currency),
            "spent": money(p.spent, c.currency),
            "ideas": list(p.ideas.all()),
            "updates": list(p.updates.all()),
            "funded": c.is_counted and p.code in selectors.funded_codes(cycle=c),
            "can_edit": can_edit,
            "can_review": can_review,
            "can_track": can_track,
            "edit_form": edit_form,
            "review_form": review_form,
            "status_form": status_form,
            "update_form": update_form,
            "Proposal": Proposal,
        },
        status=status,
    )
