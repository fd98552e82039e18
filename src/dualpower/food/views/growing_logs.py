"""The gardens' records: logs (with farmOS CSV in and out), work days and rescue pickups, and the
seed library. Parse → check → service → template."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.activities import selectors as activities
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.food.forms.growing import (
    ImportForm,
    LogForm,
    RescueForm,
    SeedLotForm,
    SeedReturnForm,
    SeriesForm,
)
from dualpower.food.models.growing import FoodSeries, Log
from dualpower.food.selectors import growing as selectors
from dualpower.food.services import growing as services
from dualpower.food.services import growing_csv
from dualpower.food.views.common import GET, GET_POST, adder, garden_form, me_in
from dualpower.formatting import format_number
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.actions import post_action
from dualpower.web.pages import page_of
from dualpower.web.permissions import check

PAGE = 50


def _before(request: HttpRequest) -> int | None:
    raw = request.GET.get("before", "")
    return int(raw) if raw.isdigit() and len(raw) < 19 else None


@require_http_methods(GET)
@with_community
def logs(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "food.view_gardens", community)
    kind = request.GET.get("kind", "")
    kind = kind if kind in Log.Kind.values else ""
    rows = selectors.logs_of(community=community, kind=kind or None, before=_before(request), limit=PAGE + 1)
    more = len(rows) > PAGE
    rows = rows[:PAGE]
    return render(
        request,
        "food/growing/logs.html",
        {
            "logs": rows,
            "kind": kind,
            "kinds": Log.Kind.choices,
            "next_before": rows[-1].pk if more and rows else None,
            "can_manage": request.user.has_perm("food.manage_gardens", community),
            "can_import": request.user.has_perm("food.import_logs", community),
        },
    )


@require_http_methods(GET_POST)
@with_community
def log_new(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "food.view_gardens", community)
    me = me_in(request, community)
    plantings = [
        p
        for p in selectors.plantings_of(community=community).filter(status__in=selectors.LIVE)
        if request.user.has_perm("food.log_plot", p)
    ]
    if not plantings:
        check(request, "food.manage_gardens", community)  # a keeper logs without a planting

    def run(data: dict[str, Any]) -> Log:
        planting = next((p for p in plantings if p.pk == data["planting"]), None)
        if data["planting"] is not None and planting is None:
            raise InvalidInput(_("Choose one of your plot's plantings."), field="planting")
        if planting is None:
            check(request, "food.manage_gardens", community)
        return services.log_create(
            community=community,
            kind=data["kind"],
            status=data["status"],
            planting=planting,
            quantity=data["quantity"] or None,
            unit=data["unit"],
            lot=data["lot"],
            notes=data["notes"],
            by=me,
        )

    return garden_form(
        request,
        form=LogForm(request.POST or None, plantings=plantings),
        run=run,
        success=reverse("food:growing_logs", args=[community.slug]),
        message=_("The log was added."),
        title=_("Add a log"),
    )


@require_POST
@with_community
def log_status(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    log = selectors.log_get(community=community, pk=pk)
    if log.planting is not None:
        check(request, "food.log_plot", log.planting)
    else:
        check(request, "food.manage_gardens", community)
    me = me_in(request, community)
    return post_action(
        request,
        run=lambda: services.log_set_status(log=log, status=request.POST.get("status", ""), by=me),
        back=reverse("food:growing_logs", args=[community.slug]),
        message=_("The log's status was saved."),
    )


@require_http_methods(GET)
@with_community
def logs_export(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "food.view_gardens", community)
    text = growing_csv.logs_to_csv(list(selectors.logs_for_export(community=community)))
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{community.slug}-garden-logs-{stamp}.csv"'
    return response


@require_http_methods(GET_POST)
@with_community
def logs_import(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "food.import_logs", community)
    me = me_in(request, community)

    def run(data: dict[str, Any]) -> growing_csv.ImportResult:
        upload = data["file"]
        if upload.size > growing_csv.MAX_BYTES:
            raise InvalidInput(_("The file is too large: import at most 2 MB at a time."), field="file")
        try:
            text = upload.read().decode("utf-8")
        except UnicodeDecodeError:
            raise InvalidInput(_("The file must be CSV text in UTF-8."), field="file") from None
        return growing_csv.logs_import(community=community, text=text, by=me)

    return garden_form(
        request,
        form=ImportForm(request.POST or None, request.FILES or None),
        run=run,
        success=reverse("food:growing_logs", args=[community.slug]),
        message=lambda result: (
            ngettext("%(n)s log was imported.", "%(n)s logs were imported.", result.created)
            % {"n": result.created}
        ),
        title=_("Import logs from farmOS"),
        context={"multipart": True},
    )


# --- work days and rescue pickups ----------------------------------------------------------------


@require_http_methods(GET)
@with_community
def rounds(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "food.view_gardens", community)
    links = list(selectors.food_series_of(community=community))
    saved = selectors.rescued_by_series(community=community)
    coming = _next_dates(community, links, membership_for(request.user, community))
    for link in links:
        link.saved = saved.get(link.pk)  # type: ignore[attr-defined]  # for the template only
        link.next = coming.get(link.series_id)  # type: ignore[attr-defined]  # for the template only
    return render(
        request,
        "food/growing/rounds.html",
        {
            "links": links,
            "rescue_form": RescueForm(),
            "may_rescue": request.user.has_perm("food.log_rescue", community),
            "can_manage": request.user.has_perm("food.manage_gardens", community),
        },
    )


def _next_dates(community: Community, links: list[FoodSeries], me: Membership | None) -> dict[int, Any]:
    """Series id → its next date in the coming weeks (one read of the upcoming activities)."""
    wanted = {link.series_id for link in links}
    found: dict[int, Any] = {}
    for activity in sorted(
        activities.upcoming(community=community, membership=me), key=lambda a: a.starts_at
    ):
        if activity.series_id in wanted:
            found.setdefault(activity.series_id, activity)
    return found


@require_http_methods(GET_POST)
@with_community
def round_new(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "food.manage_gardens", community)
    me = me_in(request, community)
    sites = list(selectors.sites_of(community=community))

    def run(data: dict[str, Any]) -> FoodSeries:
        site = next((s for s in sites if s.pk == data["site"]), None)
        shift = _("Rescue pickup") if data["kind"] == FoodSeries.Kind.RESCUE else _("Work day")
        return services.food_series_create(
            community=community,
            kind=data["kind"],
            by=me,
            title=data["title"],
            starts_on=data["starts_on"],
            start_time=data["start_time"],
            shifts=[(str(shift), data["places"])],
            site=site,
            source=data["source"],
            weekdays=[data["starts_on"].weekday()] if data["weekly"] else [],
        )

    return garden_form(
        request,
        form=SeriesForm(request.POST or None, sites=sites, initial={"kind": FoodSeries.Kind.WORK_DAY}),
        run=run,
        success=reverse("food:growing_rounds", args=[community.slug]),
        message=_("People can sign up for its shifts now."),
        title=_("A work day or a rescue pickup round"),
    )


@require_POST
@with_community
def rescue(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.log_rescue", community)
    link = selectors.food_series_get(community=community, pk=pk)
    me = me_in(request, community)
    return post_action(
        request,
        run=lambda: services.rescue_log(
            food_series=link,
            quantity=request.POST.get("quantity", ""),
            notes=request.POST.get("notes", ""),
            by=me,
        ),
        back=reverse("food:growing_rounds", args=[community.slug]),
        message=lambda log: (
            _("Logged: %(quantity)s kg saved.")
            % {"quantity": format_number((log.quantity or Decimal(0)).normalize())}
        ),
    )


def _kilos(log: Log) -> str:
    return format_number((log.quantity or Decimal(0)).normalize())


# --- the seed library ----------------------------------------------------------------------------


@require_http_methods(GET)
@with_community
def seeds(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "food.view_gardens", community)
    me = membership_for(request.user, community)
    manage = request.user.has_perm("food.manage_seeds", community)
    today = timezone.localdate()
    # Two lists that grow with the library, each paged by its own parameter (web.pages).
    lots = page_of(
        lambda limit, offset: selectors.seed_lots_page(community=community, limit=limit, offset=offset),
        raw=request.GET.get("page"),
    )
    out = page_of(
        lambda limit, offset: (
            # the seed out: a keeper sees everyone's, a member their own, one not a member none
            selectors.seed_loans_out_page(
                community=community, borrower=None if manage else me, limit=limit, offset=offset
            )
            if me is not None
            else []
        ),
        raw=request.GET.get("loans"),
    )
    return render(
        request,
        "food/growing/seeds.html",
        {
            "lots": lots.rows,
            "lots_page": lots,
            "loans": out.rows,
            "loans_page": out,
            "today": today,
            "today_iso": today.isoformat(),  # an <input type="date"> reads ISO dates only
            "due_default": services.loan_due_on(None, today=today).isoformat(),
            "may_borrow": request.user.has_perm("food.borrow_seed", community),
            "can_manage": manage,
        },
    )


seed_new = adder(
    "food.manage_seeds",
    services.seed_lot_create,
    form=SeedLotForm,
    choices=("crop", "crops", lambda community: selectors.crops_of(community=community)),
    done="growing_seeds",
    message=gettext_lazy("The seed is in the library."),
    title=gettext_lazy("Add seed to the library"),
)


@require_POST
@with_community
def seed_borrow(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "food.borrow_seed", community)
    lot = selectors.seed_lot_get(community=community, pk=pk)
    me = me_in(request, community)
    return post_action(
        request,
        run=lambda: services.seed_lend(
            lot=lot,
            borrower=me,
            quantity=request.POST.get("quantity", ""),
            due_on=request.POST.get("due_on", ""),
            by=me,
        ),
        back=reverse("food:growing_seeds", args=[community.slug]),
        message=_("The seed is yours to sow: bring back seed you save from it."),
    )


@require_http_methods(GET_POST)
@with_community
def seed_return(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    loan = selectors.seed_loan_get(community=community, pk=pk)
    check(request, "food.return_seed", loan)
    me = me_in(request, community)
    return garden_form(
        request,
        form=SeedReturnForm(request.POST or None),
        run=lambda data: services.seed_return(loan=loan, by=me, **data),
        success=reverse("food:growing_seeds", args=[community.slug]),
        message=_("Thank you: the saved seed is in the library."),
        title=_("Bring back saved seed of %(variety)s") % {"variety": loan.lot.variety},
    )
