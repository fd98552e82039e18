"""API for activities and trust roles: parse → check rule → call service → schema.

Every path is inside one community: /communities/{slug}/activities/...; an activity of another
community is simply not found there.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from dualpower.activities import api_rows, selectors, services
from dualpower.activities.models import Activity, Feedback, Series, SignUp, Slot, TrustRole
from dualpower.activities.schemas import (
    ActivityOut,
    CapacityIn,
    FeedbackOut,
    HolderOut,
    MemberIn,
    NoShowIn,
    ScheduleChangeOut,
    SeriesIn,
    SeriesOut,
    SeriesPatch,
    SeriesSchedulePatch,
    ShiftFeedbackIn,
    SignUpOut,
    SlotOut,
    TrustRoleIn,
    TrustRoleOut,
    TrustRolePatch,
)
from dualpower.api_prepared import served_as_prepared
from dualpower.api_tools import AUTH_OPTIONAL, paginate
from dualpower.community.models import Community
from dualpower.community.selectors import community_for_visitor
from dualpower.errors import InvalidInput, NotFound
from dualpower.groups.selectors import group_get
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.fragments import kept_answer
from dualpower.web.permissions import check

router = Router(tags=["activities"])

ACTIVITIES = "/communities/{slug}/activities"
SERIES = ACTIVITIES + "/series/{series_id}"
ROLES = ACTIVITIES + "/roles"
ROLE = ROLES + "/{role_slug}"
ACTIVITY = ACTIVITIES + "/{activity_id}"


def _community(request: HttpRequest, slug: str) -> Community:
    # The visitor's membership is read with the community, where ``_me`` finds it.
    community = community_for_visitor(slug=slug, user=request.user)
    # Checked first: an outsider learns nothing about which activities exist.
    check(request, "activities.list_activities", community)
    return community


def _me(request: HttpRequest, community: Community) -> Membership | None:
    return membership_for(request.user, community)


def _activity(request: HttpRequest, slug: str, activity_id: int, perm: str) -> Activity:
    community = _community(request, slug)
    activity = selectors.activity_get(community=community, pk=activity_id, membership=_me(request, community))
    check(request, perm, activity)
    return activity


def _series(request: HttpRequest, slug: str, series_id: int, perm: str) -> Series:
    community = _community(request, slug)
    series = selectors.series_get(community=community, pk=series_id)
    check(request, perm, series)
    return series


def _role(request: HttpRequest, slug: str, role_slug: str, perm: str) -> TrustRole:
    community = _community(request, slug)
    check(request, perm, community)
    return selectors.trust_role_get(community=community, slug=role_slug)


def _fresh(activity: Activity, request: HttpRequest) -> Activity:
    return selectors.activity_get(
        community=activity.community, pk=activity.pk, membership=_me(request, activity.community)
    )


# The community ``_kept_per_visitor`` read and checked, left on the request for the list it wraps.
_CHECKED_COMMUNITY = "_dp_activities_community"


def _kept_per_visitor(func: Callable[..., Any]) -> Callable[..., Any]:
    """The list's JSON kept while the data is unchanged (web.fragments.kept_answer), per visitor
    (which activities are theirs, their place in each) and page asked for: ``func`` (served as
    prepared) runs only to make it. Put it between the router's decorator and ``served_as_prepared``."""

    @functools.wraps(func)
    def operation(request: HttpRequest, slug: str, **kwargs: Any) -> Any:
        community = _community(request, slug)
        me = _me(request, community)
        window = kwargs.get("ninja_pagination")
        setattr(request, _CHECKED_COMMUNITY, community)
        return kept_answer(
            key=(
                func.__name__,
                community.pk,
                None if me is None else me.pk,
                getattr(window, "limit", None),
                getattr(window, "offset", None),
            ),
            answer=lambda: func(request, slug=slug, **kwargs),
        )

    return operation


@router.get(ACTIVITIES, response=list[ActivityOut], auth=AUTH_OPTIONAL)
@_kept_per_visitor
@served_as_prepared
@paginate
def activity_list(request: HttpRequest, slug: str) -> Any:
    """The coming four weeks' activities, those I have a place in first."""
    community = getattr(request, _CHECKED_COMMUNITY, None) or _community(request, slug)
    # Rows prepared as ActivityOut (api_rows), not re-read through the schema on every request.
    return api_rows.upcoming_page(community=community, membership=_me(request, community))


@router.get(ACTIVITIES + "/series", response=list[SeriesOut], auth=AUTH_OPTIONAL)
@paginate
def series_list(request: HttpRequest, slug: str) -> Any:
    """The community's activities as series: regular ones and one-offs, running first."""
    community = _community(request, slug)
    return selectors.series_listed(community=community)


@router.post(ACTIVITIES + "/series", response={201: SeriesOut})
def series_create(request: HttpRequest, slug: str, payload: SeriesIn) -> Status[Series]:
    community = _community(request, slug)
    check(request, "activities.add_series", community)
    data = payload.dict()
    group = None
    if data.pop("group"):
        try:
            group = group_get(community=community, slug=payload.group or "")
        except NotFound:
            raise InvalidInput(
                _("That working group is not one of this community's."), field="group"
            ) from None
    slots = []
    for spec in data.pop("slots"):
        role = None
        if spec["required_role"]:
            try:
                role = selectors.trust_role_get(community=community, slug=spec["required_role"])
            except NotFound:
                raise InvalidInput(
                    _("That trust role is not one of this community's."), field="slots"
                ) from None
        slots.append(services.SlotSpec(label=spec["label"], capacity=spec["capacity"], required_role=role))
    series = services.series_create(
        community=community, by=_me(request, community), group=group, slots=slots, **data
    )
    return Status(201, series)


@router.get(SERIES, response=SeriesOut, auth=AUTH_OPTIONAL)
def series_detail(request: HttpRequest, slug: str, series_id: int) -> Series:
    return _series(request, slug, series_id, "activities.view_activity")


@router.patch(SERIES, response=SeriesOut)
def series_update(request: HttpRequest, slug: str, series_id: int, payload: SeriesPatch) -> Series:
    series = _series(request, slug, series_id, "activities.change_series")
    return services.series_update(
        series=series, by=_me(request, series.community), **payload.dict(exclude_unset=True)
    )


@router.patch(SERIES + "/schedule", response=ScheduleChangeOut)
def series_reschedule(
    request: HttpRequest, slug: str, series_id: int, payload: SeriesSchedulePatch
) -> services.ScheduleChange:
    """Change when a regular activity happens. Coming dates nobody signed up for follow the new
    schedule; dates people signed up for stay as they were (listed in ``kept``) and they are told."""
    series = _series(request, slug, series_id, "activities.reschedule_series")
    changes = payload.dict(exclude_unset=True)
    for name in ("weekdays", "month_day", "start_time", "duration_minutes"):
        if name in changes and changes[name] is None:
            raise InvalidInput(_("This is required."), field=name)
    return services.series_reschedule(series=series, by=_me(request, series.community), **changes)


@router.post(SERIES + "/stop", response=SeriesOut)
def series_stop(request: HttpRequest, slug: str, series_id: int) -> Series:
    series = _series(request, slug, series_id, "activities.change_series")
    services.series_stop(series=series, by=_me(request, series.community))
    return selectors.series_get(community=series.community, pk=series.pk)


@router.post(SERIES + "/organisers", response={201: SeriesOut})
def organiser_add(request: HttpRequest, slug: str, series_id: int, payload: MemberIn) -> Status[Series]:
    series = _series(request, slug, series_id, "activities.change_series")
    try:
        person = selectors.member_get(community=series.community, pk=payload.member_id)
    except NotFound as exc:
        raise InvalidInput(exc.detail, field="member_id") from None
    services.organiser_add(series=series, membership=person, by=_me(request, series.community))
    return Status(201, series)


@router.delete(SERIES + "/organisers/{member_id}", response={204: None})
def organiser_remove(request: HttpRequest, slug: str, series_id: int, member_id: int) -> Status[None]:
    series = _series(request, slug, series_id, "activities.change_series")
    person = selectors.member_get(community=series.community, pk=member_id)
    services.organiser_remove(series=series, membership=person, by=_me(request, series.community))
    return Status(204, None)


# --- trust roles ----------------------------------------------------------------------------


@router.get(ROLES, response=list[TrustRoleOut], auth=AUTH_OPTIONAL)
@paginate
def role_list(request: HttpRequest, slug: str) -> Any:
    community = _community(request, slug)
    check(request, "activities.list_roles", community)
    return selectors.trust_roles(community=community)


@router.post(ROLES, response={201: TrustRoleOut})
def role_create(request: HttpRequest, slug: str, payload: TrustRoleIn) -> Status[TrustRole]:
    community = _community(request, slug)
    check(request, "activities.manage_roles", community)
    role = services.trust_role_create(community=community, by=_me(request, community), **payload.dict())
    return Status(201, selectors.trust_role_get(community=community, slug=role.slug))


@router.patch(ROLE, response=TrustRoleOut)
def role_update(request: HttpRequest, slug: str, role_slug: str, payload: TrustRolePatch) -> TrustRole:
    role = _role(request, slug, role_slug, "activities.manage_roles")
    services.trust_role_update(role=role, by=_me(request, role.community), **payload.dict(exclude_unset=True))
    return selectors.trust_role_get(community=role.community, slug=role.slug)


@router.get(ROLE + "/holders", response=list[HolderOut], auth=AUTH_OPTIONAL)
@paginate
def role_holders(request: HttpRequest, slug: str, role_slug: str) -> Any:
    role = _role(request, slug, role_slug, "activities.list_roles")
    return selectors.role_holders(role=role)


@router.post(ROLE + "/vouches", response={201: TrustRoleOut})
def vouch_give(request: HttpRequest, slug: str, role_slug: str, payload: MemberIn) -> Status[TrustRole]:
    role = _role(request, slug, role_slug, "activities.vouch")
    me = _me(request, role.community)
    assert me is not None  # the rule admits only members
    try:
        person = selectors.member_get(community=role.community, pk=payload.member_id)
    except NotFound as exc:
        raise InvalidInput(exc.detail, field="member_id") from None
    services.vouch_give(role=role, voucher=me, vouchee=person)
    return Status(201, selectors.trust_role_get(community=role.community, slug=role.slug))


@router.delete(ROLE + "/vouches/{member_id}", response={204: None})
def vouch_withdraw(request: HttpRequest, slug: str, role_slug: str, member_id: int) -> Status[None]:
    role = _role(request, slug, role_slug, "activities.vouch")
    me = _me(request, role.community)
    assert me is not None
    person = selectors.member_get(community=role.community, pk=member_id)
    services.vouch_withdraw(role=role, voucher=me, vouchee=person)
    return Status(204, None)


# --- one occurrence -------------------------------------------------------------------------


@router.get(ACTIVITY, response=ActivityOut, auth=AUTH_OPTIONAL)
def activity_detail(request: HttpRequest, slug: str, activity_id: int) -> Activity:
    return _activity(request, slug, activity_id, "activities.view_activity")


@router.post(ACTIVITY + "/cancel", response=ActivityOut)
def activity_cancel(request: HttpRequest, slug: str, activity_id: int) -> Activity:
    activity = _activity(request, slug, activity_id, "activities.organise")
    services.activity_cancel(activity=activity, by=_me(request, activity.community))
    return _fresh(activity, request)


@router.post(ACTIVITY + "/slots/{slot_id}/signup", response={201: SignUpOut})
def slot_sign_up(request: HttpRequest, slug: str, activity_id: int, slot_id: int) -> Status[SignUp]:
    activity = _activity(request, slug, activity_id, "activities.sign_up")
    slot = selectors.slot_get(activity=activity, pk=slot_id)
    me = _me(request, activity.community)
    assert me is not None
    return Status(201, services.slot_sign_up(slot=slot, membership=me))


@router.post(ACTIVITY + "/leave", response={204: None})
def signup_leave(request: HttpRequest, slug: str, activity_id: int) -> Status[None]:
    """Give back my place in this activity."""
    activity = _activity(request, slug, activity_id, "activities.sign_up")
    me = _me(request, activity.community)
    signup = selectors.my_signup(activity=activity, membership=me)
    if signup is None or me is None:
        raise NotFound(_("You do not have a place in this activity."))
    services.signup_leave(signup=signup, membership=me)
    return Status(204, None)


@router.patch(ACTIVITY + "/slots/{slot_id}", response=SlotOut)
def slot_set_capacity(
    request: HttpRequest, slug: str, activity_id: int, slot_id: int, payload: CapacityIn
) -> Slot:
    activity = _activity(request, slug, activity_id, "activities.organise")
    slot = selectors.slot_get(activity=activity, pk=slot_id)
    services.slot_set_capacity(slot=slot, capacity=payload.capacity, by=_me(request, activity.community))
    return next(s for s in _fresh(activity, request).slots.all() if s.pk == slot.pk)


@router.post(ACTIVITY + "/signups/{signup_id}/no-show", response=SignUpOut)
def signup_no_show(
    request: HttpRequest, slug: str, activity_id: int, signup_id: int, payload: NoShowIn
) -> SignUp:
    activity = _activity(request, slug, activity_id, "activities.organise")
    signup = selectors.signup_get(activity=activity, pk=signup_id)
    return services.signup_mark_no_show(
        signup=signup, no_show=payload.no_show, by=_me(request, activity.community)
    )


@router.post(ACTIVITY + "/feedback", response={201: FeedbackOut})
def feedback_give(
    request: HttpRequest, slug: str, activity_id: int, payload: ShiftFeedbackIn
) -> Status[Feedback]:
    activity = _activity(request, slug, activity_id, "activities.give_feedback")
    me = _me(request, activity.community)
    assert me is not None
    return Status(201, services.feedback_give(activity=activity, membership=me, **payload.dict()))


@router.get(ACTIVITY + "/feedback", response=list[FeedbackOut])
@paginate
def feedback_list(request: HttpRequest, slug: str, activity_id: int) -> Any:
    activity = _activity(request, slug, activity_id, "activities.view_feedback")
    return selectors.activity_feedback(activity=activity)
