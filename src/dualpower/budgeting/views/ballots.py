"""Voting pages: the ballot (with a running total by htmx, and the same checks on submit without
JavaScript), the booth for voting codes, paper ballots for tellers, and the codes sheet."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.budgeting import selectors, services
from dualpower.budgeting.codes_pdf import codes_pdf
from dualpower.budgeting.models import BallotType, Cycle, District
from dualpower.budgeting.views._common import cycle_for, me
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError, InvalidInput
from dualpower.formatting import format_money


def _area(request: HttpRequest, cycle: Cycle) -> District | None:
    raw = request.POST.get("district") if request.method == "POST" else request.GET.get("district")
    if raw in (None, "", "citywide"):
        if cycle.districts.exists() and not services.ballot_proposals(cycle, None):
            return cycle.districts.first()
        return None
    return selectors.district_get(cycle=cycle, pk=raw)


def read_choices(post: Any, cycle: Cycle) -> list[services.Choice]:
    """The ballot as the form sent it: ticked boxes, points or ranks per project."""
    kind = cycle.ballot_type
    if kind in (BallotType.APPROVAL, BallotType.KNAPSACK):
        return [(code, 1) for code in post.getlist("p")]
    prefix = "points-" if kind == BallotType.CUMULATIVE else "rank-"
    choices = []
    for key, value in post.items():
        if not key.startswith(prefix) or not str(value).strip():
            continue
        if not str(value).strip().isdigit():
            raise InvalidInput(_("Write whole numbers only."), field="choices")
        number = int(value)
        if number > 0:
            choices.append((key.removeprefix(prefix), number))
    return sorted(choices, key=lambda c: c[1]) if kind == BallotType.RANKED else choices


def typed_choices(post: Any, cycle: Cycle) -> dict[str, Any]:
    """What the voter typed, as typed, to show the ballot again after an error (nothing is lost)."""
    if cycle.ballot_type in (BallotType.APPROVAL, BallotType.KNAPSACK):
        return dict.fromkeys(post.getlist("p"), 1)
    prefix = "points-" if cycle.ballot_type == BallotType.CUMULATIVE else "rank-"
    return {
        key.removeprefix(prefix): str(value).strip()
        for key, value in post.items()
        if key.startswith(prefix) and str(value).strip()
    }


def _ballot_context(
    request: HttpRequest,
    cycle: Cycle,
    district: District | None,
    chosen: dict[str, int],
    typed: dict[str, Any] | None = None,
) -> dict[str, Any]:
    shown = chosen if typed is None else typed
    tally = (
        services.ballot_check(cycle, district, list(chosen.items()))
        if chosen
        else services.ballot_check(cycle, district, [])
    )
    areas: list[tuple[District | None, str]] = (
        [(None, _("City-wide"))] if services.ballot_proposals(cycle, None) else []
    )
    areas += [(d, d.name) for d in cycle.districts.all()]
    return {
        "cycle": cycle,
        "district": district,
        "areas": areas if len(areas) > 1 else [],
        "rows": [
            (p, format_money(p.cost, cycle.currency, trim=True, empty="—"), shown.get(p.code))
            for p in services.ballot_proposals(cycle, district)
        ],
        "tally": tally,
        "tally_cost": format_money(tally.total_cost, cycle.currency, trim=True, empty="—"),
        "tally_budget": format_money(tally.budget, cycle.currency, trim=True, empty="—"),
        "cap": format_money(services.cost_cap(cycle, district), cycle.currency, trim=True, empty="—")
        if services.cost_cap(cycle, district) is not None
        else "",
        "started": bool(chosen),
    }


def _summary(error: DomainError | None) -> forms.Form | None:
    """The error summary at the top of the page (base.html) for a ballot that was refused."""
    if error is None:
        return None
    summary = forms.Form(data={})
    summary.add_error(None, error.detail)
    return summary


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def vote(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    c = cycle_for(request, community, cycle, "budgeting.vote")
    district = _area(request, c)
    voter = me(request, community)
    mine = selectors.my_ballots(cycle=c, voter=voter).get(district.pk if district else None)
    chosen = {e.proposal.code: e.points for e in mine.entries.all()} if mine else {}
    error = None
    typed = None
    if request.method == "POST":
        try:
            choices = read_choices(request.POST, c)
            chosen = dict(choices)
            services.ballot_submit(cycle=c, voter=voter, district=district, choices=choices)
        except DomainError as exc:
            error = exc
            # Show the ballot as it was typed, with the problem summed up at the top of the page.
            typed, chosen = typed_choices(request.POST, c), {}
        else:
            messages.success(request, _("Your ballot was saved. You can change it until voting closes."))
            url = f"{request.path}?district={district.pk}" if district else request.path
            return redirect(url)
    context = _ballot_context(request, c, district, chosen, typed)
    # The problem is said once, in the summary at the top, not again beside the running total.
    context.update(error=None, has_ballot=mine is not None, error_summary=_summary(error))
    return render(request, "budgeting/vote.html", context, status=400 if error else 200)


@require_POST
@with_community
def vote_check(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    """The running total (htmx): where the ballot being filled in stands against the limits.

    Open to the booth's visitors (no account) while a cycle with voting codes is voting: the
    booth page already shows that ballot, and the answer holds nothing else."""
    c = selectors.cycle_get(community=community, slug=cycle)
    if not (c.is_voting and c.eligibility == "codes"):
        c = cycle_for(request, community, cycle, "budgeting.view_cycle")
    district = _area(request, c)
    try:
        chosen = dict(read_choices(request.POST, c))
    except DomainError as exc:
        return render(request, "budgeting/partials/_total.html", {"error": exc, "cycle": c})
    return render(request, "budgeting/partials/_total.html", _ballot_context(request, c, district, chosen))


@require_http_methods(["GET", "HEAD", "POST"])
def booth(request: HttpRequest, community: str, cycle: str) -> HttpResponse:
    """Voting with a one-time code, for people without an account: no sign-in needed."""
    from dualpower.community.selectors import community_get

    com = community_get(slug=community)
    request.community = com  # type: ignore[attr-defined]
    c = selectors.cycle_get(community=com, slug=cycle)
    if not c.is_voting or c.eligibility != "codes":
        return render(
            request,
            "budgeting/booth_closed.html",
            {"cycle": c},
            status=404 if c.eligibility != "codes" else 409,
        )
    district = _area(request, c)
    error = None
    chosen: dict[str, int] = {}
    typed = None
    if request.method == "POST":
        try:
            choices = read_choices(request.POST, c)
            chosen = dict(choices)
            services.booth_vote(
                cycle=c, code=request.POST.get("code", ""), district=district, choices=choices
            )
        except DomainError as exc:
            error = exc
            typed, chosen = typed_choices(request.POST, c), {}
        else:
            return render(request, "budgeting/booth_done.html", {"cycle": c})
    context = _ballot_context(request, c, district, chosen, typed)
    context.update(error=None, booth=True, error_summary=_summary(error))
    return render(request, "budgeting/vote.html", context, status=400 if error else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def paper(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    c = cycle_for(request, community, cycle, "budgeting.enter_paper")
    by = me(request, community)
    error = None
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "enter":
                district = _area(request, c)
                lines = [line for line in request.POST.get("ballots", "").splitlines() if line.strip()]
                ballots = [services.parse_choices(line, c.ballot_type) for line in lines]
                made = services.paper_ballots_enter(cycle=c, by=by, district=district, ballots=ballots)
                messages.success(
                    request,
                    ngettext(
                        "%(n)d ballot entered; a second teller must confirm it.",
                        "%(n)d ballots entered; a second teller must confirm them.",
                        len(made),
                    )
                    % {"n": len(made)},
                )
            elif action == "csv":
                upload = request.FILES.get("file")
                if upload is None:
                    raise InvalidInput(_("Choose a CSV file."), field="file")
                try:
                    text = upload.read().decode("utf-8-sig")
                except UnicodeDecodeError:
                    raise InvalidInput(_("The CSV file must be UTF-8 text."), field="file") from None
                made = services.paper_csv_import(cycle=c, by=by, text=text)
                messages.success(
                    request,
                    ngettext(
                        "%(n)d ballot imported; a second teller must confirm it.",
                        "%(n)d ballots imported; a second teller must confirm them.",
                        len(made),
                    )
                    % {"n": len(made)},
                )
            elif action == "confirm":
                n = services.paper_batch_confirm(cycle=c, by=by, batch=request.POST.get("batch", ""))
                messages.success(
                    request,
                    ngettext(
                        "%(n)d ballot confirmed; it will be counted.",
                        "%(n)d ballots confirmed; they will be counted.",
                        n,
                    )
                    % {"n": n},
                )
            elif action == "discard":
                n = services.paper_batch_discard(cycle=c, by=by, batch=request.POST.get("batch", ""))
                messages.success(
                    request,
                    ngettext("%(n)d unconfirmed ballot discarded.", "%(n)d unconfirmed ballots discarded.", n)
                    % {"n": n},
                )
            else:
                raise InvalidInput(_("Choose what to do."))
        except DomainError as exc:
            error = exc
        else:
            return redirect("budgeting:paper", community.slug, c.slug)
    return render(
        request,
        "budgeting/paper.html",
        {
            "cycle": c,
            "batches": selectors.paper_batches(cycle=c),
            "districts": list(c.districts.all()),
            "error": error,
            "me": by,
            "posted": request.POST.get("ballots", ""),
        },
        status=(error.status if error else 200),
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def codes(request: HttpRequest, community: Community, cycle: str) -> HttpResponse:
    """Issue voting codes: they are shown once, as a PDF sheet to print and cut."""
    c = cycle_for(request, community, cycle, "budgeting.manage_cycle")
    error = None
    if request.method == "POST":
        raw = request.POST.get("count", "")
        try:
            if not raw.strip().isdigit():
                raise InvalidInput(_("How many codes? Write a whole number."), field="count")
            issued = services.voting_codes_issue(cycle=c, count=int(raw), by=me(request, community))
        except DomainError as exc:
            error = exc
        else:
            booth_url = request.build_absolute_uri(f"/c/{community.slug}/budgets/{c.slug}/booth/")
            response = HttpResponse(codes_pdf(c, issued, booth_url), content_type="application/pdf")
            response["Content-Disposition"] = f'attachment; filename="{c.slug}-voting-codes.pdf"'
            response["Cache-Control"] = "no-store"
            return response
    used = c.voting_codes.filter(used_at__isnull=False).count()
    return render(
        request,
        "budgeting/codes.html",
        {"cycle": c, "error": error, "issued": c.voting_codes.count(), "used": used},
        status=(error.status if error else 200),
    )
