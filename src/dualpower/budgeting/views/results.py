"""Results, the recount file, the accountability page and importing pabulib files."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from dualpower.budgeting import selectors
from dualpower.budgeting.explain import explain_steps
from dualpower.budgeting.forms import ImportForm
from dualpower.budgeting.models import Cycle, Proposal, Result
from dualpower.budgeting.services import cycle_import, file_name, read_upload
from dualpower.budgeting.views._common import cycle_for, me
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError
from dualpower.formatting import format_money, format_number
from dualpower.web import charts
from dualpower.web.actions import attach_error, render_form
from dualpower.web.fragments import Later
from dualpower.web.permissions import check


def _votes(v: dict[str, int]) -> dict[str, str]:
    return {k: format_number(int(n)) for k, n in v.items()}


def _area_context(
    cycle: Cycle, result: Result, proposals: dict[tuple[int | None, str], Proposal]
) -> dict[str, Any]:
    def title(code: str) -> str:
        p = proposals.get((result.district_id, code))
        return p.title if p else code

    def cost(code: str) -> int:
        p = proposals.get((result.district_id, code))
        return int(p.cost or 0) if p else 0

    fmt = lambda v: format_money(int(v), cycle.currency, trim=True, empty="—")  # noqa: E731
    funded = [
        {
            "code": c,
            "title": title(c),
            "cost": format_money(cost(c), cycle.currency, trim=True, empty="—"),
            **_votes(result.votes.get(c, {})),
        }
        for c in result.selected
    ]
    others = [
        {
            "code": c,
            "title": title(c),
            "cost": format_money(cost(c), cycle.currency, trim=True, empty="—"),
            **_votes(v),
        }
        for c, v in sorted(result.votes.items(), key=lambda kv: -(kv[1]["online"] + kv[1]["paper"]))
        if c not in result.selected
    ]
    left = result.budget - result.total_cost
    split = [(title(c), cost(c)) for c in result.selected] + ([(_("Not spent"), left)] if left > 0 else [])
    return {
        "result": result,
        "name": result.district.name if result.district else _("City-wide"),
        "funded": funded,
        "others": others,
        "budget": format_money(result.budget, cycle.currency, trim=True, empty="—"),
        "total": format_money(result.total_cost, cycle.currency, trim=True, empty="—"),
        "chart": charts.share_bar(split, title=_("How the budget is split"), format_value=fmt),
        "greedy": [
            {"code": c, "title": title(c), "also": c in result.selected} for c in result.greedy_selected
        ],
        "same_as_greedy": set(result.greedy_selected) == set(result.selected),
        "passed_over": [title(c) for c in result.passed_over],
        "steps": explain_steps(
            steps=result.explanation,
            name=title,
            currency=cycle.currency,
            unit=int(result.settings.get("unit_cents", 1)),
            score_kind=str((result.settings.get("score") or {}).get("kind", "votes")),
        ),
        "file_name": file_name(cycle, result.district),
    }


# Each area's section of the results page, kept per process: a stored count never changes (a
# recount deletes it and stores another, with another id), so its HTML is a function of the result
# (id and moment of the count), the titles and costs of its area's proposals, the cycle's names and
# currency, its place on the page and the language. Working it out (a hundred numbers and sums of
# money written, the steps of the count explained, the chart) was most of the page's time.
_AREAS_MAX = 500
_areas: dict[tuple[Any, ...], SafeString] = {}


def _area_html(
    cycle: Cycle, result: Result, proposals: dict[tuple[int | None, str], Proposal], counter: int
) -> SafeString:
    own = tuple(
        (code, p.pk, p.title, p.cost)
        for (district, code), p in proposals.items()
        if district == result.district_id
    )
    key = (
        get_language(),
        cycle.community.slug,
        cycle.pk,
        cycle.slug,
        cycle.currency,
        counter,
        result.pk,
        result.counted_at,
        result.district.name if result.district else None,
        own,
    )
    found = _areas.get(key)
    if found is None:
        html = get_template("budgeting/partials/_result_area.html").render(
            {
                "area": _area_context(cycle, result, proposals),
                "counter": counter,
                "community": cycle.community,
                "cycle": cycle,
            }
        )
        if len(_areas) >= _AREAS_MAX:
            _areas.clear()
        found = _areas[key] = mark_safe(html)  # noqa: S308  # rendered by our template, escaped there
    return found


def _counts(cycle: Cycle) -> dict[str, int]:
    counts = selectors.ballot_counts(cycle=cycle)
    return {
        "online": counts.get("online", 0) + counts.get("booth", 0),
        "paper": counts.get("paper", 0),
        "imported": counts.get("imported", 0),
    }


@require_http_methods(["GET", "HEAD"])
@with_community
def results(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    c = selectors.cycle_get(community=community, slug=cycle)
    check(request, "budgeting.view_results", c)
    # The page's parts are kept fragments (templates/budgeting/results.html): the count and each
    # area's result by the cycle, what the visitor's share paid for by the visitor too (``voter``:
    # only a counted cycle of equal shares explains a voter's share). Nothing below is read while
    # they are kept.
    voter = me(request, community)
    every = Later(selectors.proposals_all, cycle=c)
    stored = Later(selectors.results_of, cycle=c)

    def areas() -> list[SafeString]:
        proposals = {(p.district_id, p.code): p for p in every()}
        return [_area_html(c, r, proposals, i) for i, r in enumerate(stored(), start=1)]

    def mine() -> list[dict[str, Any]]:
        if voter is None or not c.is_counted or c.rule != "mes":
            return []  # (as voter_explanations answers, without reading the results)
        return selectors.voter_explanations(cycle=c, voter=voter, results=stored(), proposals=every())

    return render(
        request,
        "budgeting/results.html",
        {
            "cycle": c,
            "voter": voter.pk if voter is not None and c.is_counted and c.rule == "mes" else None,
            "areas": Later(areas),
            "counts": Later(_counts, c),
            "mine": Later(mine),
            "can_adopt": not c.count_is_binding and c.adopted_at is None,
        },
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def ballot_file(request: HttpRequest, community: Community, cycle: str, area: str) -> HttpResponse:
    """The anonymised ballots of one area as a pabulib file: byte for byte what was counted."""
    c = selectors.cycle_get(community=community, slug=cycle)
    check(request, "budgeting.view_results", c)
    result = selectors.result_for(cycle=c, district=selectors.district_get(cycle=c, pk=area))
    response = HttpResponse(result.ballot_file.encode("utf-8"), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name(c, result.district)}"'
    response["X-Content-SHA256"] = result.ballot_file_sha256
    return response


@require_http_methods(["GET", "HEAD"])
@with_community
def implementation(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    """The public accountability page: every funded project, its status, money spent, updates."""
    c = selectors.cycle_get(community=community, slug=cycle)
    check(request, "budgeting.view_results", c)
    projects = selectors.funded_projects(cycle=c)
    rows = [
        {
            "p": p,
            "cost": format_money(p.cost, c.currency, trim=True, empty="—"),
            "spent": format_money(p.spent, c.currency, trim=True, empty="—"),
            "over": p.spent > int(p.cost or 0),
            "latest": next(iter(p.updates.all()), None),
        }
        for p in projects
    ]
    total_cost = sum(int(p.cost or 0) for p in projects)
    total_spent = sum(p.spent for p in projects)
    chart = charts.bar_chart(
        [(p.title, p.spent) for p in projects],
        title=_("Money spent per project"),
        value_label=_("Spent"),
        format_value=lambda v: format_money(int(v), c.currency, trim=True, empty="—"),
    )
    return render(
        request,
        "budgeting/implementation.html",
        {
            "cycle": c,
            "rows": rows,
            "total_cost": format_money(total_cost, c.currency, trim=True, empty="—"),
            "total_spent": format_money(total_spent, c.currency, trim=True, empty="—"),
            "chart": chart if projects else "",
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def import_file(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "budgeting.import_cycle", community)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            election = read_upload(upload.read(), upload.name)
            cycle = cycle_import(
                community=community,
                by=me(request, community),
                election=election,
                name=upload.name,
                rule=form.cleaned_data["rule"] or None,
            )
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, _("Imported and counted: %(t)s.") % {"t": cycle.title})
            return redirect("budgeting:results", community.slug, cycle.slug)
    return render_form(request, "budgeting/import.html", form)


__all__ = ["ballot_file", "cycle_for", "implementation", "import_file", "results"]
