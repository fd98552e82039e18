"""Pages for budgeting cycles: the list, starting one, its page and moving it to its next phase.

parse → check rule → call service → template. Ideas and proposals are in proposals.py, voting in
ballots.py; results, recount files, import and implementation in results.py.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.budgeting import selectors, services
from dualpower.budgeting.forms import (
    CycleForm,
)
from dualpower.budgeting.models import PHASE_ORDER, Cycle, Phase
from dualpower.budgeting.views._common import cycle_for, me
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError
from dualpower.formatting import format_money
from dualpower.web.actions import attach_error, post_action, render_form
from dualpower.web.fragments import Later
from dualpower.web.permissions import check, may


@require_http_methods(["GET", "HEAD"])
@with_community
def cycle_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "budgeting.list_cycles", community)
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
    check(request, "budgeting.add_cycle", community)
    form = CycleForm(request.POST or None, community=community)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(community=community, by=me(request, community), **form.cleaned_data)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, _("The budgeting cycle “%(t)s” was set up.") % {"t": cycle.title})
            return redirect("budgeting:detail", community.slug, cycle.slug)
    return render_form(request, "budgeting/form.html", form)


# What moving into each phase does, said before the coordinator confirms it.
_NEXT_CONSEQUENCE: dict[str, str | Promise] = {
    Phase.DEVELOPMENT: gettext_lazy(
        "No new ideas can be submitted; proposals are worked out from the ideas."
    ),
    Phase.FEASIBILITY: gettext_lazy("Proposals are reviewed for feasibility and given their costs."),
    Phase.VOTING: gettext_lazy(
        "The feasible proposals go on the ballot and can no longer change; members are told they can vote."
    ),
    Phase.RESULTS: gettext_lazy(
        "Voting closes for everyone, the ballots are counted and the results are published; members are told."
    ),
    Phase.IMPLEMENTATION: gettext_lazy("The funded projects are carried out and their progress is tracked."),
}


def _steps(cycle: Cycle) -> list[dict[str, Any]]:
    here = cycle.phase_index()
    return [
        {"label": Phase(p).label, "state": "done" if i < here else "current" if i == here else "next"}
        for i, p in enumerate(PHASE_ORDER)
    ]


def _districts(cycle: Cycle) -> list[tuple[Any, str]]:
    return [
        (d, format_money(d.budget, cycle.currency, trim=True, empty="—"))
        for d in selectors.districts_of(cycle=cycle)
    ]


@require_http_methods(["GET", "HEAD"])
@with_community
def cycle_detail(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    c = cycle_for(request, community, cycle)
    user = request.user
    # The page is a kept fragment (templates/budgeting/detail.html) keyed by the cycle and what the
    # visitor may do on it (``view``): its districts and categories are read only when it is not.
    view = {
        "can_manage": may(user, "budgeting.manage_cycle", c),
        "can_vote": may(user, "budgeting.vote", c),
        "can_paper": may(user, "budgeting.enter_paper", c),
        "can_results": may(user, "budgeting.view_results", c),
    }
    after = c.phase_index() + 1
    return render(
        request,
        "budgeting/detail.html",
        {
            "cycle": c,
            "view": tuple(view.values()),
            **view,
            "steps": Later(_steps, c),
            "budget": Later(format_money, c.budget, c.currency, trim=True, empty="—"),
            "max_total": Later(format_money, c.max_total_cost, c.currency, trim=True, empty="—")
            if c.max_total_cost is not None
            else "",
            "districts": Later(_districts, c),
            "categories": Later(selectors.categories_of, cycle=c),
            "next_phase": Phase(PHASE_ORDER[after]).label if after < len(PHASE_ORDER) else None,
            "next_consequence": _NEXT_CONSEQUENCE.get(PHASE_ORDER[after], "")
            if after < len(PHASE_ORDER)
            else "",
        },
    )


@require_POST
@with_community
def cycle_advance(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    c = cycle_for(request, community, cycle, "budgeting.manage_cycle")
    return post_action(
        request,
        run=lambda: services.cycle_advance(cycle=c, by=me(request, community)),
        back=reverse("budgeting:detail", args=[community.slug, c.slug]),
        message=lambda moved: _("The cycle is now in: %(p)s.") % {"p": Phase(moved.phase).label},
    )
