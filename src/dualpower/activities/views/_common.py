"""What the activities' pages share: finding an activity or a
series the person may act on, and the small facts pages show about a date."""

from __future__ import annotations

from django.http import HttpRequest
from django.urls import reverse

from dualpower.activities import selectors, services
from dualpower.activities.models import Activity, Series
from dualpower.community.models import Community
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check


def activity_for(request: HttpRequest, community: Community, pk: int, perm: str) -> Activity:
    check(request, "activities.list_activities", community)
    activity = selectors.activity_get(
        community=community, pk=pk, membership=membership_for(request.user, community)
    )
    check(request, perm, activity)
    return activity


def series_for(request: HttpRequest, community: Community, pk: int, perm: str) -> Series:
    check(request, "activities.list_activities", community)
    series = selectors.series_get(community=community, pk=pk)
    check(request, perm, series)
    return series


def detail_url(activity: Activity) -> str:
    return reverse("activities:detail", args=[activity.community.slug, activity.pk])


def is_kept(activity: Activity) -> bool:
    """A date left as it was when the schedule changed, because people had signed up."""
    return activity.series.repeat != Series.Repeat.ONCE and not services.occurrence_fits(activity)


def me_of(request: HttpRequest, community: Community) -> Membership:
    """The person acting, after a rule that starts from being admitted has been checked."""
    me = membership_for(request.user, community)
    assert me is not None  # every rule checked before this starts from being admitted
    return me
