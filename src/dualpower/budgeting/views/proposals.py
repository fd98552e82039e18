"""Pages for a cycle's ideas and proposals: parse → check rule → call service → template."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualpower.budgeting import selectors, services
from dualpower.budgeting.forms import (
    FeasibilityForm,
    IdeaForm,
    ProposalForm,
    StatusForm,
    UpdateForm,
)
from dualpower.budgeting.mapping import project_map
from dualpower.budgeting.models import Proposal
from dualpower.budgeting.views._common import cycle_for, me
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import Conflict, DomainError
from dualpower.formatting import format_amount, format_money
from dualpower.web.actions import attach_error
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def idea_list(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    c = cycle_for(request, community, cycle)
    districts = list(c.districts.all())
    form = IdeaForm(request.POST or None, districts=districts)
    if request.method == "POST":
        check(request, "budgeting.submit_idea", c)
        if form.is_valid():
            try:
                services.idea_submit(cycle=c, by=me(request, community), **form.cleaned_data)
            except DomainError as exc:
                attach_error(form, exc)
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
            "error_summary": form if form.errors else None,
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
        check(request, "budgeting.develop_proposals", c)
        if form.is_valid():
            data = form.cleaned_data
            chosen = [i for i in unmerged if str(i.pk) in set(data.get("ideas", []))]
            coordinates = form.coordinates()
            try:
                p = services.proposal_create(
                    cycle=c,
                    by=me(request, community),
                    title=data["title"],
                    description=data["description"],
                    cost=data["cost"],
                    district=data.get("district"),
                    ideas=chosen,
                    latitude_e6=coordinates["latitude_e6"],
                    longitude_e6=coordinates["longitude_e6"],
                )
            except DomainError as exc:
                attach_error(form, exc)
            else:
                messages.success(request, _("Proposal %(code)s was added.") % {"code": p.code})
                return redirect("budgeting:proposals", community.slug, c.slug)
    proposals = list(selectors.proposals_of(cycle=c))
    return render(
        request,
        "budgeting/proposals.html",
        {
            "cycle": c,
            "rows": [(p, format_money(p.cost, c.currency, trim=True, empty="—")) for p in proposals],
            "map": project_map(proposals),
            "form": form,
            "error_summary": form if form.errors else None,
            "can_develop": can_develop,
        },
        status=400 if form.errors else 200,
    )


def _trackable(request: HttpRequest, proposal: Proposal, can_track: bool) -> None:
    check(request, "budgeting.track_implementation", proposal)
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
    initial = {
        "title": p.title,
        "description": p.description,
        "cost": (format_amount(p.cost, grouping=False, trim=True) if p.cost is not None else ""),
    }
    edit_form = ProposalForm(initial=initial, districts=None)
    review_form = FeasibilityForm()
    status_form = StatusForm(
        initial={
            "status": p.status,
            "spent": (format_amount(p.spent, grouping=False, trim=True) if p.spent is not None else ""),
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
                check(request, "budgeting.develop_proposals", c)
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
                check(request, "budgeting.review_feasibility", c)
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
            attach_error(target, exc)
        status = 400
    return render(
        request,
        "budgeting/proposal.html",
        {
            "cycle": c,
            "proposal": p,
            "cost": format_money(p.cost, c.currency, trim=True, empty="—"),
            "spent": format_money(p.spent, c.currency, trim=True, empty="—"),
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
            "error_summary": next(
                (f for f in (edit_form, review_form, status_form, update_form) if f is not None and f.errors),
                None,
            ),
            "Proposal": Proposal,
        },
        status=status,
    )
