"""The rules of shifts, as the services keep them."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dualpower.activities import jobs, services
from dualpower.activities.models import Activity, Feedback, SignUp, Slot
from dualpower.activities.tests.factories import SeriesFactory, first_activity, past_series, slot_of
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, membership_of
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _member(everyone: dict[str, Any], community: Any, role: str = "member") -> Membership:
    return membership_of(everyone[role], community)


def test_a_weekly_series_makes_its_dates_four_weeks_ahead_with_their_places(
    community: Any, everyone: Any
) -> None:
    series = SeriesFactory.create(community=community, repeat="weekly", weekdays=[1, 5], in_days=0)
    activities = list(series.activities.all())
    assert 8 <= len(activities) <= 9
    assert {timezone.localtime(a.starts_at).weekday() for a in activities} == {1, 5}
    assert all(a.slots.count() == 2 for a in activities)
    assert services.series_generate(series=series) == 0  # idempotent


def test_the_clock_keeps_a_series_generated_ahead_and_skips_what_is_done(
    community: Any, everyone: Any
) -> None:
    series = SeriesFactory.create(community=community, repeat="weekly", weekdays=[2], in_days=0)
    before = series.activities.count()
    assert jobs.generate_occurrences(timezone.now()) == ""
    later = timezone.now() + dt.timedelta(days=14)
    jobs.generate_occurrences(later)
    jobs.generate_occurrences(later)
    assert series.activities.count() == before + 2


def test_a_monthly_series_happens_on_its_day(community: Any, everyone: Any) -> None:
    series = SeriesFactory.create(
        community=community, repeat="monthly", month_day=15, in_days=0, weeks_ahead=12
    )
    days = {timezone.localtime(a.starts_at).day for a in series.activities.all()}
    assert days == {15}
    assert 2 <= series.activities.count() <= 3


def test_a_cancelled_date_is_not_made_again(community: Any, everyone: Any, series: Any) -> None:
    activity = first_activity(series)
    services.activity_cancel(activity=activity, by=None)
    series.generated_until = None
    series.save()
    services.series_generate(series=series)
    assert Activity.objects.filter(series=series).count() == 1
    assert Activity.objects.get(pk=activity.pk).is_cancelled


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"title": " "}, "title"),
        ({"in_days": -1}, "starts_on"),
        ({"slots": ()}, "slots"),
        ({"slots": (("Drivers", 0),)}, "slots"),
        ({"slots": (("Drivers", 2), ("drivers", 1))}, "slots"),
        ({"repeat": "weekly"}, "weekdays"),
        ({"repeat": "weekly", "weekdays": [7]}, "weekdays"),
        ({"repeat": "monthly", "month_day": 31}, "month_day"),
        ({"repeat": "yearly"}, "repeat"),
        ({"duration_minutes": 0}, "duration_minutes"),
    ],
)
def test_a_series_with_bad_input_is_refused_and_nothing_written(
    community: Any, everyone: Any, changes: dict, field: str
) -> None:
    with pytest.raises(InvalidInput) as caught:
        SeriesFactory.create(community=community, **changes)
    assert caught.value.field == field
    assert not Activity.objects.exists()
    assert not AuditEntry.objects.filter(action="activities.series_create").exists()


def test_a_convener_organises_only_for_their_own_group(community: Any, everyone: Any) -> None:
    from dualpower.groups.models import WorkingGroup
    from dualpower.groups.tests.factories import put_in_group

    member = _member(everyone, community)
    food = WorkingGroup.objects.get(community=community, slug="food")
    housing = WorkingGroup.objects.get(community=community, slug="housing")
    put_in_group(food, member, convener=True)
    with pytest.raises(PermissionDenied):
        SeriesFactory.create(community=community, by=member, group=housing)
    series = SeriesFactory.create(community=community, by=member, group=food)
    assert list(series.organisers.all()) == [member]


def test_signing_up_takes_a_place_and_is_audited(community: Any, everyone: Any, series: Any) -> None:
    activity = first_activity(series)
    signup = services.slot_sign_up(slot=slot_of(activity), membership=_member(everyone, community))
    assert Slot.objects.get(pk=signup.slot_id).taken == 1
    assert AuditEntry.objects.filter(action="activities.sign_up").count() == 1


def test_a_full_slot_is_refused_and_nothing_written(community: Any, everyone: Any, series: Any) -> None:
    slot = slot_of(first_activity(series))
    for _ in range(2):
        services.slot_sign_up(slot=slot, membership=make_membership(community))
    with pytest.raises(Conflict, match="All places for “Drivers” are taken"):
        services.slot_sign_up(slot=slot, membership=_member(everyone, community))
    assert Slot.objects.get(pk=slot.pk).taken == 2
    assert SignUp.objects.filter(slot=slot).count() == 2


def test_one_place_per_person_per_activity(community: Any, everyone: Any, series: Any) -> None:
    activity = first_activity(series)
    me = _member(everyone, community)
    services.slot_sign_up(slot=slot_of(activity), membership=me)
    for label in ("Drivers", "Packers"):
        with pytest.raises(Conflict, match="already have a place"):
            services.slot_sign_up(slot=slot_of(activity, label), membership=me)
    assert SignUp.objects.filter(membership=me).count() == 1
    assert slot_of(activity, "Packers").taken == 0


def test_observers_follow_but_do_not_take_places(community: Any, everyone: Any, series: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.slot_sign_up(
            slot=slot_of(first_activity(series)), membership=_member(everyone, community, "observer")
        )
    assert not SignUp.objects.exists()


def test_no_signing_up_for_a_past_or_cancelled_activity(community: Any, everyone: Any) -> None:
    past, _ = past_series(community)
    with pytest.raises(Conflict, match="already started"):
        services.slot_sign_up(slot=slot_of(first_activity(past)), membership=_member(everyone, community))
    coming = SeriesFactory.create(community=community, title="Clinic")
    activity = first_activity(coming)
    services.activity_cancel(activity=activity, by=None)
    with pytest.raises(Conflict, match="cancelled"):
        services.slot_sign_up(slot=slot_of(activity), membership=_member(everyone, community))
    assert not SignUp.objects.exists()


def test_a_place_that_needs_a_trust_role_says_how_to_get_it(community: Any, everyone: Any) -> None:
    role = services.trust_role_create(community=community, name="Accompanier", threshold=2, by=None)
    series = SeriesFactory.create(community=community, slots=[("Accompaniers", 2, role)])
    slot = slot_of(first_activity(series), "Accompaniers")
    me = _member(everyone, community)
    services.vouch_give(role=role, voucher=_member(everyone, community, "coordinator"), vouchee=me)
    with pytest.raises(PermissionDenied) as refused:
        services.slot_sign_up(slot=slot, membership=me)
    assert "vouch" in refused.value.detail and "2 vouches are needed and you have 1" in refused.value.detail
    assert Slot.objects.get(pk=slot.pk).taken == 0
    services.vouch_give(role=role, voucher=_member(everyone, community, "organiser"), vouchee=me)
    services.slot_sign_up(slot=slot, membership=me)
    assert Slot.objects.get(pk=slot.pk).taken == 1


def test_leaving_gives_the_place_back_but_not_after_the_start(
    community: Any, everyone: Any, series: Any
) -> None:
    me = _member(everyone, community)
    signup = services.slot_sign_up(slot=slot_of(first_activity(series)), membership=me)
    services.signup_leave(signup=signup, membership=me)
    assert slot_of(first_activity(series)).taken == 0
    past, then = past_series(community, title="Old")
    old = services.slot_sign_up(slot=slot_of(first_activity(past)), membership=me, now=then)
    with pytest.raises(Conflict, match="already started"):
        services.signup_leave(signup=old, membership=me)
    assert SignUp.objects.filter(pk=old.pk).exists()


def test_leaving_within_a_day_tells_the_organisers(community: Any, everyone: Any, series: Any) -> None:
    me = _member(everyone, community)
    activity = first_activity(series)
    signup = services.slot_sign_up(slot=slot_of(activity), membership=me)
    services.signup_leave(signup=signup, membership=me, now=activity.starts_at - dt.timedelta(hours=3))
    told = Notification.objects.filter(kind="activities.late_leave")
    assert {n.user_id for n in told} == {everyone["organiser"].pk, everyone["coordinator"].pk}


def test_reminders_go_the_day_before_once(community: Any, everyone: Any, series: Any) -> None:
    activity = first_activity(series)
    services.slot_sign_up(slot=slot_of(activity), membership=_member(everyone, community))
    assert jobs.remind_the_day_before(activity.starts_at - dt.timedelta(hours=30)) == ""
    day_before = activity.starts_at - dt.timedelta(hours=20)
    assert jobs.remind_the_day_before(day_before) == "1 reminder sent"
    assert jobs.remind_the_day_before(day_before + dt.timedelta(hours=1)) == ""
    assert Notification.objects.filter(kind="activities.reminder", user=everyone["member"]).count() == 1


def test_no_reminder_for_a_cancelled_activity(community: Any, everyone: Any, series: Any) -> None:
    activity = first_activity(series)
    services.slot_sign_up(slot=slot_of(activity), membership=_member(everyone, community))
    services.activity_cancel(activity=activity, by=None)
    assert Notification.objects.filter(kind="activities.cancelled", user=everyone["member"]).count() == 1
    assert jobs.remind_the_day_before(activity.starts_at - dt.timedelta(hours=20)) == ""


def test_no_show_marks_only_once_it_started(community: Any, everyone: Any, series: Any) -> None:
    me = _member(everyone, community)
    signup = services.slot_sign_up(slot=slot_of(first_activity(series)), membership=me)
    with pytest.raises(Conflict):
        services.signup_mark_no_show(signup=signup, no_show=True, by=None)
    later = first_activity(series).starts_at + dt.timedelta(minutes=5)
    assert services.signup_mark_no_show(signup=signup, no_show=True, by=None, now=later).no_show
    assert not services.signup_mark_no_show(signup=signup, no_show=False, by=None, now=later).no_show


def test_feedback_after_the_activity_from_those_who_came(community: Any, everyone: Any) -> None:
    past, then = past_series(community)
    activity = first_activity(past)
    me, other = _member(everyone, community), make_membership(community)
    services.slot_sign_up(slot=slot_of(activity), membership=me, now=then)
    services.feedback_give(activity=activity, membership=me, note="Went well", rating=4)
    services.feedback_give(activity=activity, membership=me, rating=5)  # replaces
    assert Feedback.objects.get().rating == 5
    with pytest.raises(PermissionDenied):
        services.feedback_give(activity=activity, membership=other, note="I was not there")
    with pytest.raises(InvalidInput):
        services.feedback_give(activity=activity, membership=me, rating=6)
    assert Feedback.objects.count() == 1


def test_no_feedback_on_a_cancelled_activity(community: Any, everyone: Any) -> None:
    past, then = past_series(community)
    activity = first_activity(past)
    me = _member(everyone, community)
    services.slot_sign_up(slot=slot_of(activity), membership=me, now=then)
    services.activity_cancel(activity=activity, by=None, now=then)
    with pytest.raises(Conflict, match="cancelled"):
        services.feedback_give(activity=first_activity(past), membership=me, note="It did not happen")
    assert not Feedback.objects.exists()


def test_no_feedback_before_the_end(community: Any, everyone: Any, series: Any) -> None:
    me = _member(everyone, community)
    services.slot_sign_up(slot=slot_of(first_activity(series)), membership=me)
    with pytest.raises(Conflict):
        services.feedback_give(activity=first_activity(series), membership=me, note="early")
    assert not Feedback.objects.exists()


def test_places_never_go_below_those_signed_up(community: Any, everyone: Any, series: Any) -> None:
    slot = slot_of(first_activity(series))
    services.slot_sign_up(slot=slot, membership=make_membership(community))
    services.slot_sign_up(slot=slot, membership=make_membership(community))
    with pytest.raises(Conflict):
        services.slot_set_capacity(slot=slot, capacity=1, by=None)
    assert services.slot_set_capacity(slot=slot, capacity=5, by=None).capacity == 5


def test_stopping_a_series_cancels_its_coming_dates(community: Any, everyone: Any) -> None:
    series = SeriesFactory.create(
        community=community, repeat="weekly", weekdays=[0, 1, 2, 3, 4, 5, 6], in_days=1
    )
    assert services.series_stop(series=series, by=None) == series.activities.count()
    assert not Activity.objects.filter(series=series, is_cancelled=False).exists()
    assert services.series_generate(series=series) == 0


def test_an_activity_keeps_one_organiser(community: Any, everyone: Any, series: Any) -> None:
    coordinator = _member(everyone, community, "coordinator")
    services.organiser_remove(series=series, membership=coordinator, by=None)
    with pytest.raises(Conflict):
        services.organiser_remove(
            series=series, membership=_member(everyone, community, "organiser"), by=None
        )
