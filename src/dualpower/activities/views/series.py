"""Pages for running an activity as a series: starting one, its page, editing what it is called,
changing its schedule, stopping it, and its organisers. Parse → check rule → call service →
template; every action is a plain form, so it works without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.activities import selectors, services
from dualpower.activities.forms import WEEKDAYS, SeriesEditForm, SeriesForm, SeriesScheduleForm, SlotFormSet
from dualpower.activities.models import Series
from dualpower.activities.views._common import is_kept, series_for
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import DomainError, InvalidInput
from dualpower.groups.selectors import convened_group_ids, groups_of
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.actions import attach_error, post_action
from dualpower.web.permissions import check


def _groups_for(community: Community, me: Membership | None) -> Any:
    groups = groups_of(community=community)
    if me is None or me.role != Membership.Role.COORDINATOR:
        groups = groups.filter(pk__in=convened_group_ids(membership=me))
    return groups


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def series_create(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "activities.list_activities", community)
    check(request, "activities.add_series", community)
    me = membership_for(request.user, community)
    roles = selectors.trust_roles(community=community)
    data = request.POST if request.method == "POST" else None
    form = SeriesForm(
        data,
        groups=_groups_for(community, me),
        initial={"repeat": "once", "starts_on": services.local_today()},
    )
    slots = SlotFormSet(data, prefix="slots", form_kwargs={"roles": roles})
    if request.method == "POST" and form.is_valid() and slots.is_valid():
        specs = [
            services.SlotSpec(label=s["label"], capacity=s["capacity"], required_role=s.get("required_role"))
            for s in slots.cleaned_data
            if s.get("label")
        ]
        try:
            series = services.series_create(community=community, by=me, slots=specs, **form.cleaned_data)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, _("“%(title)s” was created.") % {"title": series.title})
            return redirect("activities:series", community.slug, series.pk)
    failed = request.method == "POST"
    return render(
        request, "activities/series_form.html", {"form": form, "slots": slots}, status=400 if failed else 200
    )


def _reschedulable(request: HttpRequest, series: Series) -> bool:
    return (
        series.is_active
        and series.repeat != Series.Repeat.ONCE
        and request.user.has_perm("activities.reschedule_series", series)
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def series_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    series = series_for(request, community, pk, "activities.view_activity")
    can_change = request.user.has_perm("activities.change_series", series)
    organisers = list(selectors.series_organisers(series=series))
    coming = selectors.series_next(series=series, membership=membership_for(request.user, community))
    for activity in coming:
        activity.kept = is_kept(activity)  # type: ignore[attr-defined]
    return render(
        request,
        "activities/series.html",
        {
            "series": series,
            "slots": list(series.slot_templates.select_related("required_role")),
            "organisers": organisers,
            "next": coming,
            "schedule_form": SeriesScheduleForm(series=series) if _reschedulable(request, series) else None,
            "weekday_names": ", ".join(str(dict(WEEKDAYS)[d]) for d in series.weekdays),
            "can_change": can_change,
            "candidates": [m for m in selectors.vouchable(community=community) if m not in organisers]
            if can_change
            else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def series_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    series = series_for(request, community, pk, "activities.change_series")
    initial = {"title": series.title, "description": series.description, "place": series.place}
    form = SeriesEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.series_update(
                series=series, by=membership_for(request.user, community), **form.cleaned_data
            )
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, _("Saved."))
            return redirect("activities:series", community.slug, series.pk)
    return render(
        request,
        "activities/series_edit.html",
        {"form": form, "series": series},
        status=400 if form.errors else 200,
    )


def _schedule_done(change: services.ScheduleChange) -> str:
    """What the change did to the coming dates, for the organiser who made it."""
    parts = [
        _("The schedule was changed."),
        ngettext("%(n)d new date.", "%(n)d new dates.", change.added) % {"n": change.added},
        ngettext(
            "%(n)d date nobody had signed up for was removed.",
            "%(n)d dates nobody had signed up for were removed.",
            change.removed,
        )
        % {"n": change.removed},
    ]
    if change.kept:
        parts.append(
            ngettext(
                "%(n)d date with people signed up stays as it was; they were told.",
                "%(n)d dates with people signed up stay as they were; they were told.",
                len(change.kept),
            )
            % {"n": len(change.kept)}
        )
    return " ".join(parts)


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def series_schedule(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """The "Change schedule" form: shown on the series page, and here on its own (with the errors
    next to their fields) when a change is refused."""
    series = series_for(request, community, pk, "activities.reschedule_series")
    back = reverse("activities:series", args=[community.slug, series.pk])
    if not _reschedulable(request, series):
        messages.error(request, _("Only a running activity that repeats has a schedule to change."))
        return redirect(back)
    form = SeriesScheduleForm(request.POST or None, series=series)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.series_reschedule(
                series=series, by=membership_for(request.user, community), **form.cleaned_data
            )
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(request, _schedule_done(change))
            return redirect(back)
    return render(
        request,
        "activities/series_schedule.html",
        {"form": form, "series": series},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def series_stop(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    series = series_for(request, community, pk, "activities.change_series")
    if request.method == "POST":
        me = membership_for(request.user, community)
        back = reverse("activities:series", args=[community.slug, series.pk])
        return post_action(
            request,
            run=lambda: services.series_stop(series=series, by=me),
            message=_("The activity was stopped."),
            back=back,
        )
    return render(request, "activities/series_stop.html", {"series": series})


@require_POST
@with_community
def organiser_add(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    series = series_for(request, community, pk, "activities.change_series")
    me = membership_for(request.user, community)
    raw = request.POST.get("member_id", "")

    def add() -> None:
        if not raw.isdigit():
            raise InvalidInput(_("Choose a member."), field="member_id")
        person = selectors.member_get(community=community, pk=int(raw))
        services.organiser_add(series=series, membership=person, by=me)

    back = reverse("activities:series", args=[community.slug, series.pk])
    return post_action(request, run=add, message=_("Organiser added."), back=back)


@require_POST
@with_community
def organiser_remove(request: HttpRequest, community: Community, pk: int, member: int) -> HttpResponse:
    series = series_for(request, community, pk, "activities.change_series")
    me = membership_for(request.user, community)

    def remove() -> None:
        person = selectors.member_get(community=community, pk=member)
        services.organiser_remove(series=series, membership=person, by=me)

    back = reverse("activities:series", args=[community.slug, series.pk])
    return post_action(request, run=remove, message=_("Organiser removed."), back=back)
