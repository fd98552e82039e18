"""Pages for free clinic days: the list with the weekly counts, a day's queue by station (to act
on, from a phone), and the board for a shared screen (it reloads itself; no script)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.care.forms.clinics import ClinicDayForm, ScreeningForm
from dualpower.care.models.clinics import ClinicDay, QueueEntry, ScreeningCount
from dualpower.care.selectors import clinics as selectors
from dualpower.care.services import clinics as services
from dualpower.care.views.clinics_nav import nav
from dualpower.clean import clean_int_or_none
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check


def _day_url(day: ClinicDay) -> str:
    return reverse("care:clinic_day", args=[day.community.slug, day.pk])


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def clinic_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "care.view_clinics", community)
    plans = request.user.has_perm("care.plan_clinic", community)
    if request.method == "POST":
        check(request, "care.plan_clinic", community)
    form = ClinicDayForm(request.POST or None) if plans else None
    today = timezone.localdate()
    context = {
        "days": list(selectors.clinic_days(community=community)[:60]),
        "weeks": selectors.weekly_counts(community=community, today=today),
        "screening_kinds": ScreeningCount.Kind.choices,
        "plans": plans,
        **nav(request, community),
    }
    if form is None:
        return render(request, "care/clinics/list.html", {**context, "form": None})
    me = membership_for(request.user, community)

    def run(data: dict) -> ClinicDay:
        return services.clinic_day_create(
            community=community,
            by=me,
            site=data["site"],
            day=data["day"],
            start_time=data["start_time"],
            stations=data["stations"],
            shifts=form.shifts(),
        )

    return form_action(
        request,
        form=form,
        run=run,
        success=_day_url,
        message=_("The clinic day is planned."),
        template="care/clinics/list.html",
        context=context,
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def clinic_day(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "care.view_clinics", community)
    day = selectors.clinic_day_get(community=community, pk=pk)
    runs = request.user.has_perm("care.run_clinic", day)
    return render(
        request,
        "care/clinics/day.html",
        {
            "day": day,
            "board": selectors.board(day=day) if day.status == ClinicDay.Status.OPEN else None,
            "runs": runs,
            "plans": request.user.has_perm("care.plan_clinic", community),
            "screening_form": ScreeningForm() if runs else None,
            "joined": request.GET.get("code", "")[:8],
            **nav(request, community),
        },
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def clinic_board(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "care.view_clinics", community)
    day = selectors.clinic_day_get(community=community, pk=pk)
    return render(
        request,
        "care/clinics/board.html",
        {"day": day, "board": selectors.board(day=day) if day.status == ClinicDay.Status.OPEN else None},
    )


def _runnable(request: HttpRequest, community: Community, pk: int) -> ClinicDay:
    check(request, "care.view_clinics", community)
    day = selectors.clinic_day_get(community=community, pk=pk)
    check(request, "care.run_clinic", day)
    return day


@require_POST
@with_community
def queue_join(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    day = _runnable(request, community, pk)
    me = membership_for(request.user, community)
    return post_action(
        request,
        run=lambda: services.queue_join(day=day, by=me),
        back=_day_url(day),
        success=lambda entry: f"{_day_url(day)}?code={entry.code}",
        message=lambda entry: _("New arrival: give them the code %(code)s.") % {"code": entry.code},
    )


@require_POST
@with_community
def queue_move(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    day = _runnable(request, community, pk)
    me = membership_for(request.user, community)
    code = request.POST.get("code", "")
    station_id = clean_int_or_none(
        request.POST.get("station"), field="station", label=_("The station"), low=1
    )

    def run() -> QueueEntry:
        return services.queue_move(
            day=day, code=code, to=selectors.station_get(day=day, pk=station_id), by=me
        )

    return post_action(
        request,
        run=run,
        back=_day_url(day),
        message=lambda entry: (
            _("%(code)s moved on to %(station)s.")
            % {"code": entry.code, "station": entry.station.get_kind_display()}
        ),
    )


@require_POST
@with_community
def queue_finish(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    day = _runnable(request, community, pk)
    me = membership_for(request.user, community)
    code = request.POST.get("code", "")
    left = request.POST.get("left") == "1"
    return post_action(
        request,
        run=lambda: services.queue_finish(day=day, code=code, by=me, left_early=left),
        back=_day_url(day),
        message=lambda entry: _("%(code)s has left the clinic.") % {"code": entry.code},
    )


@require_POST
@with_community
def screening_new(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    day = _runnable(request, community, pk)
    me = membership_for(request.user, community)
    form = ScreeningForm(request.POST)
    kind = form.data.get("kind", "")
    positive = form.data.get("positive") in ("on", "1", "true")
    return post_action(
        request,
        run=lambda: services.screening_record(day=day, kind=str(kind), positive=positive, by=me),
        back=_day_url(day),
        message=_("Counted. Nothing about the person is kept."),
    )


@require_POST
@with_community
def clinic_close(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "care.view_clinics", community)
    day = selectors.clinic_day_get(community=community, pk=pk)
    check(request, "care.plan_clinic", community)
    me = membership_for(request.user, community)
    return post_action(
        request,
        run=lambda: services.clinic_day_close(day=day, by=me),
        back=_day_url(day),
        message=lambda closed: (
            ngettext(
                "The day is closed: its queue is erased; %(n)d person seen is counted.",
                "The day is closed: its queue is erased; %(n)d people seen are counted.",
                closed.people_seen,
            )
            % {"n": closed.people_seen}
        ),
    )
