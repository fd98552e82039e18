"""Pages for activities and shifts: parse → check rule → call service → template. A series'
own pages (starting, editing, its schedule, organisers) are in series.py, trust roles in roles.py.

Every action is a plain form that posts and comes back to the page with a message, so everything
works without JavaScript on any phone.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.activities import selectors, services
from dualpower.activities.cards import cards_html, running_html
from dualpower.activities.forms import FeedbackForm
from dualpower.activities.views._common import activity_for, detail_url, is_kept, me_of
from dualpower.clean import clean_int
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.members.roles import membership_for
from dualpower.web.actions import post_action
from dualpower.web.fragments import Later
from dualpower.web.pages import page_number, page_of
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD"])
@with_community
def activity_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "activities.list_activities", community)
    me = membership_for(request.user, community)
    # Kept fragments (web/fragments.py): the coming activities per visitor (which are theirs, their
    # place in each) and page, the running series (the same for everyone) per page; what they show
    # is read only to render them (activities/list.html).
    number, series_number = (page_number(request.GET.get(name)) for name in ("page", "series"))
    upcoming = Later(selectors.upcoming_page, community=community, membership=me, raw=str(number))
    series = Later(
        page_of,
        lambda limit, offset: selectors.series_running(community=community, limit=limit, offset=offset),
        raw=str(series_number),
    )
    return render(
        request,
        "activities/list.html",
        {
            "coming_for": me.pk if me is not None else None,
            "number": number,
            "series_number": series_number,
            "mine": Later(_cards, upcoming, community=community, mine=True),
            "others": Later(_cards, upcoming, community=community, mine=False),
            "upcoming_page": upcoming,
            "running": Later(
                lambda: running_html(series().rows, community=community) if series().rows else ""
            ),
            "running_page": series,
            "can_add": request.user.has_perm("activities.add_series", community),
        },
    )


def _cards(upcoming: Later, *, community: Community, mine: bool) -> str:
    """The cards of the page ``upcoming`` gives: those I have a place in, or the others."""
    rows = [a for a in upcoming().rows if bool(a.mine) is mine]
    return cards_html(rows, community=community)


@require_http_methods(["GET", "HEAD"])
@with_community
def activity_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    activity = activity_for(request, community, pk, "activities.view_activity")
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
            "kept": is_kept(activity),
            "ended": activity.ends_at <= now,
            "can_sign_up": request.user.has_perm("activities.sign_up", activity),
            "roles_held": selectors.roles_held(membership=me),
            "organises": organises,
            "signup_count": sum(slot.taken for slot in activity.slots.all()) if organises else 0,
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
    activity = activity_for(request, community, pk, "activities.sign_up")
    place = selectors.slot_get(activity=activity, pk=slot)
    me = me_of(request, community)
    done = _("You have a place as “%(label)s”. You will be reminded the day before.") % {"label": place.label}
    return post_action(
        request,
        run=lambda: services.slot_sign_up(slot=place, membership=me),
        message=done,
        back=detail_url(activity),
    )


@require_POST
@with_community
def signup_leave(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    activity = activity_for(request, community, pk, "activities.sign_up")
    me = membership_for(request.user, community)

    def leave() -> None:
        signup = selectors.my_signup(activity=activity, membership=me)
        if signup is None or me is None:
            raise InvalidInput(_("You do not have a place in this activity."))
        services.signup_leave(signup=signup, membership=me)

    return post_action(request, run=leave, message=_("You gave your place back."), back=detail_url(activity))


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def activity_cancel(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    activity = activity_for(request, community, pk, "activities.organise")
    if request.method == "POST":
        me = membership_for(request.user, community)
        return post_action(
            request,
            run=lambda: services.activity_cancel(activity=activity, by=me),
            message=_("The activity was cancelled; the people signed up were told."),
            back=detail_url(activity),
        )
    return render(request, "activities/cancel.html", {"activity": activity})


@require_POST
@with_community
def slot_capacity(request: HttpRequest, community: Community, pk: int, slot: int) -> HttpResponse:
    activity = activity_for(request, community, pk, "activities.organise")
    place = selectors.slot_get(activity=activity, pk=slot)
    me = membership_for(request.user, community)
    capacity = request.POST.get("capacity", "")
    return post_action(
        request,
        run=lambda: services.slot_set_capacity(
            slot=place,
            capacity=clean_int(
                capacity, field="capacity", label=_("Places"), low=1, high=services.MAX_CAPACITY
            ),
            by=me,
        ),
        message=_("Places updated."),
        back=detail_url(activity),
    )


@require_POST
@with_community
def signup_no_show(request: HttpRequest, community: Community, pk: int, signup: int) -> HttpResponse:
    activity = activity_for(request, community, pk, "activities.organise")
    place = selectors.signup_get(activity=activity, pk=signup)
    me = membership_for(request.user, community)
    no_show = request.POST.get("no_show") == "1"
    return post_action(
        request,
        run=lambda: services.signup_mark_no_show(signup=place, no_show=no_show, by=me),
        message=_("Marked."),
        back=detail_url(activity),
    )


@require_POST
@with_community
def feedback_give(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    activity = activity_for(request, community, pk, "activities.give_feedback")
    me = me_of(request, community)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("A rating is from 1 to 5, and a note at most 2000 characters."))
        return redirect(detail_url(activity))
    return post_action(
        request,
        run=lambda: services.feedback_give(activity=activity, membership=me, **form.cleaned_data),
        message=_("Thank you for your feedback."),
        back=detail_url(activity),
    )


@require_http_methods(["GET", "HEAD"])
@with_community
def activity_calendar(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    """One date as an .ics file, to add to a phone's calendar. Only what the page shows: the
    title, the coarse place and the time; never who has a place."""
    from icalendar import Calendar, Event

    activity = activity_for(request, community, pk, "activities.view_activity")
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
    event.add("url", request.build_absolute_uri(detail_url(activity)))
    if activity.is_cancelled:
        event.add("status", "CANCELLED")
    calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="activity-{activity.pk}.ics"'
    return response
