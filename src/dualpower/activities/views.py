"""Pages for activities and shifts: parse → check rule → call service → template. A series'
own pages (starting, editing, its schedule, organisers) are in views_series.py.

Every action is a plain form that posts and comes back to the page with a message, so everything
works without JavaScript on any phone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.activities import selectors, services, signups
from dualpower.activities.forms import FeedbackForm
from dualpower.activities.models import Activity, Series
from dualpower.community.models import Community
from dualpower.errors import DomainError, InvalidInput
from dualpower.members.roles import membership_for
from dualpower.web.community import require_perm, with_community


def _act(request: HttpRequest, action: Callable[[], Any], done: str, back: str) -> HttpResponse:
    """Run a service; come back to ``back`` with what happened (or the sentence saying why not)."""
    try:
        action()
    except DomainError as exc:
        messages.error(request, exc.detail)
    else:
        messages.success(request, done)
    return redirect(back)


def _activity(request: HttpRequest, community: Community, pk: int, perm: str) -> Activity:
    require_perm(request, "activities.list_activities", community)
    activity = selectors.activity_get(
        community=community, pk=pk, membership=membership_for(request.user, community)
    )
    require_perm(request, perm, activity)
    return activity


def _series(request: HttpRequest, community: Community, pk: int, perm: str) -> Series:
    require_perm(request, "activities.list_activities", community)
    series = selectors.series_get(community=community, pk=pk)
    require_perm(request, perm, series)
    return series


def _detail_url(activity: Activity) -> str:
    return reverse("activities:detail", args=[activity.community.slug, activity.pk])


@require_http_methods(["GET", "HEAD"])
@with_community
def activity_list(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "activities.list_activities", community)
    me = membership_for(request.user, community)
    activities = selectors.upcoming(community=community, membership=me)
    return render(
        request,
        "activities/list.html",
        {
            "mine": [a for a in activities if a.my_signup is not None],  # type: ignore[attr-defined]
            "others": [a for a in activities if a.my_signup is None],  # type: ignore[attr-defined]
            "series": selectors.series_of(community=community).filter(is_active=True),
            "can_add": request.user.has_perm("activities.add_series", community),
        },
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def activity_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    activity = _activity(request, community, pk, "activities.view_activity")
    me = membership_for(request.user, community)
    now = timezone.now()
    organises = request.user.has_perm("activities.organise", activity)
    can_feedback = (
        activity.ends_at <= now
        and not activity.is_cancelled
        and request.user.has_perm("activities.give_feedback", activity)
        and (activity.my_signup is not None or organises)  # type: ignore[attr-defined]
    )
    mine = selectors.my_feedback(activity=activity, membership=me)
    return render(
        request,
        "activities/detail.html",
        {
            "activity": activity,
            "series": activity.series,
            "started": activity.starts_at <= now,
            "kept": _kept(activity),
            "ended": activity.ends_at <= now,
            "can_sign_up": request.user.has_perm("activities.sign_up", activity),
            "roles_held": selectors.roles_held(membership=me),
            "organises": organises,
            "organisers": selectors.series_organisers(series=activity.series),
            "feedback": list(selectors.activity_feedback(activity=activity)) if organises else [],
            "feedback_form": FeedbackForm(
                initial={"note": mine.note, "rating": mine.rating} if mine else None
            )
            if can_feedback
            else None,
        },
    )


@require_POST
@with_community
def slot_sign_up(request: HttpRequest, community: Community, pk: int, slot: int) -> HttpResponse:
    activity = _activity(request, community, pk, "activities.sign_up")
    place = selectors.slot_get(activity=activity, pk=slot)
    me = membership_for(request.user, community)
    done = _("You have a place as “%(label)s”. You will be reminded the day before.") % {"label": place.label}
    return _act(request, lambda: signups.slot_sign_up(slot=place, membership=me), done, _detail_url(activity))  # type: ignore[arg-type]


@require_POST
@with_community
def signup_leave(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    activity = _activity(request, community, pk, "activities.sign_up")
    me = membership_for(request.user, community)

    def leave() -> None:
        signup = selectors.my_signup(activity=activity, membership=me)
        if signup is None or me is None:
            raise InvalidInput(_("You do not have a place in this activity."))
        signups.signup_leave(signup=signup, membership=me)

    return _act(request, leave, _("You gave your place back."), _detail_url(activity))


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def activity_cancel(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    activity = _activity(request, community, pk, "activities.organise")
    if request.method == "POST":
        me = membership_for(request.user, community)
        return _act(
            request,
            lambda: services.activity_cancel(activity=activity, by=me),
            _("The activity was cancelled; the people signed up were told."),
            _detail_url(activity),
        )
    return render(request, "activities/cancel.html", {"activity": activity})


@require_POST
@with_community
def slot_capacity(request: HttpRequest, community: Community, pk: int, slot: int) -> HttpResponse:
    activity = _activity(request, community, pk, "activities.organise")
    place = selectors.slot_get(activity=activity, pk=slot)
    me = membership_for(request.user, community)
    capacity = request.POST.get("capacity", "")
    return _act(
        request,
        lambda: services.slot_set_capacity(slot=place, capacity=capacity, by=me),  # type: ignore[arg-type]
        _("Places updated."),
        _detail_url(activity),
    )


@require_POST
@with_community
def signup_no_show(request: HttpRequest, community: Community, pk: int, signup: int) -> HttpResponse:
    activity = _activity(request, community, pk, "activities.organise")
    place = selectors.signup_get(activity=activity, pk=signup)
    me = membership_for(request.user, community)
    no_show = request.POST.get("no_show") == "1"
    return _act(
        request,
        lambda: signups.signup_mark_no_show(signup=place, no_show=no_show, by=me),
        _("Marked."),
        _detail_url(activity),
    )


@require_POST
@with_community
def feedback_give(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    activity = _activity(request, community, pk, "activities.give_feedback")
    me = membership_for(request.user, community)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A rating is from 1 to 5, and a note at most 2000 characters."))
        return redirect(_detail_url(activity))
    return _act(
        request,
        lambda: signups.feedback_give(activity=activity, membership=me, **form.cleaned_data),  # type: ignore[arg-type]
        _("Thank you for your feedback."),
        _detail_url(activity),
    )


def _kept(activity: Activity) -> bool:
    """A date left as it was when the schedule changed, because people had signed up."""
    return activity.series.repeat != Series.Repeat.ONCE and not services.occurrence_fits(activity)


@require_http_methods(["GET", "HEAD"])
@with_community
def activity_calendar(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """One date as an .ics file, to add to a phone's calendar. Only what the page shows: the
    title, the coarse place and the time; never who has a place."""
    from icalendar import Calendar, Event

    activity = _activity(request, community, pk, "activities.view_activity")
    calendar = Calendar()
    calendar.add("prodid", "-//dualpower//activities//EN")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", f"activity-{activity.pk}@{request.get_host()}")
    event.add("summary", activity.series.title)
    event.add("dtstart", activity.starts_at)
    event.add("dtend", activity.ends_at)
    event.add("dtstamp", timezone.now())
    if activity.series.place:
        event.add("location", activity.series.place)
    event.add("url", request.build_absolute_uri(_detail_url(activity)))
    if activity.is_cancelled:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}.ics"'
    return response
