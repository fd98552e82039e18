"""Changing when a regular activity happens: dates nobody signed up for follow the new schedule,
dates people signed up for stay and they are told, the past is never touched."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dualpower.activities import services
from dualpower.activities.models import Activity, Series, SignUp
from dualpower.activities.tests.conftest import ROLES
from dualpower.activities.tests.factories import SeriesFactory, slot_of
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput
from dualpower.members.tests.factories import make_membership, membership_of
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db

# A Monday morning, before the 10:00 start: the series' first date is that day.
NOW = dt.datetime(2027, 3, 1, 9, 0, tzinfo=dt.UTC)
MON, TUE, THU = 0, 1, 3


@pytest.fixture(autouse=True)
def node_in_utc(settings: Any) -> None:
    """The fixed dates below read as UTC whatever DP_TIME_ZONE the machine has."""
    settings.TIME_ZONE = "UTC"


def _weekly(
    community: Any, everyone: Any, *, now: dt.datetime = NOW, days: tuple[int, ...] = (MON, THU)
) -> Series:
    """Every Monday and Thursday at 10:00 for two hours, organised by "organiser"."""
    return SeriesFactory.create(
        community=community,
        by=membership_of(everyone["coordinator"], community),
        organisers=[membership_of(everyone["organiser"], community)],
        repeat="weekly",
        weekdays=list(days),
        in_days=0,
        now=now,
    )


def _local(activity: Activity) -> dt.datetime:
    return timezone.localtime(activity.starts_at)


def _coming(series: Series, now: dt.datetime) -> list[Activity]:
    return list(Activity.objects.filter(series=series, starts_at__gt=now).order_by("starts_at"))


def _snapshot(series: Series) -> set[tuple[int, dt.datetime, dt.datetime, bool]]:
    return set(
        Activity.objects.filter(series=series).values_list("pk", "starts_at", "ends_at", "is_cancelled")
    )


def _sign_up(activity: Activity, community: Any, now: dt.datetime = NOW) -> Any:
    person = make_membership(community)
    services.slot_sign_up(slot=slot_of(activity), membership=person, now=now)
    return person


def test_empty_coming_dates_move_to_the_new_days(community: Any, everyone: Any) -> None:
    series = _weekly(community, everyone)
    before = _coming(series, NOW)
    assert {_local(a).weekday() for a in before} == {MON, THU}
    change = services.series_reschedule(series=series, by=None, weekdays=[TUE], now=NOW)
    after = _coming(series, NOW)
    assert {_local(a).weekday() for a in after} == {TUE}
    assert not Activity.objects.filter(pk__in=[a.pk for a in before]).exists()
    assert change.removed == len(before) and change.added == len(after) and change.kept == ()
    assert all(a.slots.count() == 2 for a in after)
    entry = AuditEntry.objects.get(action="activities.series_reschedule")
    assert entry.data["before"] == {"weekdays": [MON, THU]} and entry.data["after"] == {"weekdays": [TUE]}
    assert entry.data["removed"] == len(before)


def test_a_date_people_signed_up_for_is_kept_as_it_was_and_they_are_told(
    community: Any, everyone: Any
) -> None:
    series = _weekly(community, everyone)
    thursday = next(a for a in _coming(series, NOW) if _local(a).weekday() == THU)
    person = _sign_up(thursday, community)
    change = services.series_reschedule(series=series, by=None, weekdays=[TUE], now=NOW)
    assert [a.pk for a in change.kept] == [thursday.pk]
    kept = Activity.objects.get(pk=thursday.pk)
    assert (kept.starts_at, kept.ends_at, kept.is_cancelled) == (thursday.starts_at, thursday.ends_at, False)
    assert SignUp.objects.filter(activity=kept, membership=person).exists()
    assert not services.occurrence_fits(kept)
    told = Notification.objects.filter(kind="activities.kept")
    assert [(n.user_id, n.url) for n in told] == [(person.user_id, services.activity_url(kept))]
    # Only the kept date is off the new schedule; every other coming date fits it.
    assert {_local(a).weekday() for a in _coming(series, NOW) if a.pk != kept.pk} == {TUE}
    assert AuditEntry.objects.get(action="activities.series_reschedule").data["kept"] == [kept.pk]


def test_a_kept_date_is_marked_on_its_page(client_as: Any, community: Any, everyone: Any) -> None:
    series = _weekly(community, everyone, now=timezone.now())
    first = _coming(series, timezone.now())[0]
    _sign_up(first, community, now=timezone.now())
    services.series_reschedule(series=series, by=None, start_time=dt.time(18, 0))
    page = client_as("member").get(f"/c/riverside/activities/{first.pk}/").content.decode()
    assert "kept as it was when the schedule changed" in page
    assert (
        "kept at its old time"
        in client_as("member").get(f"/c/riverside/activities/series/{series.pk}/").content.decode()
    )


def test_past_and_started_dates_are_never_touched(community: Any, everyone: Any) -> None:
    series = _weekly(community, everyone)
    # Half an hour into Thursday 4 March: Monday 1 is past, Thursday has started.
    later = _coming(series, NOW)[1].starts_at + dt.timedelta(minutes=30)
    gone_by = {row for row in _snapshot(series) if row[1] <= later}
    assert len(gone_by) == 2
    services.series_reschedule(
        series=series, by=None, weekdays=[TUE], start_time=dt.time(18, 0), duration_minutes=60, now=later
    )
    assert gone_by <= _snapshot(series)
    assert all(_local(a).weekday() == TUE and _local(a).hour == 18 for a in _coming(series, later))


def test_a_new_time_and_length_apply_to_empty_dates_only(community: Any, everyone: Any) -> None:
    series = _weekly(community, everyone)
    taken = _coming(series, NOW)[2]
    _sign_up(taken, community)
    change = services.series_reschedule(
        series=series, by=None, start_time=dt.time(18, 0), duration_minutes=90, now=NOW
    )
    assert [a.pk for a in change.kept] == [taken.pk]
    for activity in _coming(series, NOW):
        if activity.pk == taken.pk:
            assert (_local(activity).hour, activity.ends_at - activity.starts_at) == (
                10,
                dt.timedelta(hours=2),
            )
        else:
            assert (_local(activity).hour, activity.ends_at - activity.starts_at) == (
                18,
                dt.timedelta(minutes=90),
            )
            assert services.occurrence_fits(activity)


def test_an_earlier_last_date_removes_the_empty_dates_after_it(community: Any, everyone: Any) -> None:
    series = _weekly(community, everyone)
    last = dt.date(2027, 3, 8)
    late = next(a for a in _coming(series, NOW) if _local(a).date() > last)
    _sign_up(late, community)
    change = services.series_reschedule(series=series, by=None, ends_on=last, now=NOW)
    assert {_local(a).date() for a in _coming(series, NOW) if a.pk != late.pk} == {
        dt.date(2027, 3, 1),
        dt.date(2027, 3, 4),
        dt.date(2027, 3, 8),
    }
    assert [a.pk for a in change.kept] == [late.pk]
    # Until stopped again: the dates come back, and the kept one fits the schedule once more.
    again = services.series_reschedule(series=series, by=None, ends_on=None, now=NOW)
    assert again.series.ends_on is None and again.added > 0 and again.kept == ()
    assert services.occurrence_fits(Activity.objects.get(pk=late.pk))


def test_a_cancelled_date_stays_cancelled_when_it_still_fits(community: Any, everyone: Any) -> None:
    series = _weekly(community, everyone)
    monday = _coming(series, NOW)[2]
    services.activity_cancel(activity=monday, by=None, now=NOW)
    services.series_reschedule(series=series, by=None, weekdays=[MON], now=NOW)
    assert Activity.objects.get(pk=monday.pk).is_cancelled


def test_a_monthly_activity_moves_to_its_new_day(community: Any, everyone: Any) -> None:
    series = SeriesFactory.create(
        community=community, repeat="monthly", month_day=15, in_days=0, weeks_ahead=12, now=NOW
    )
    services.series_reschedule(series=series, by=None, month_day=20, now=NOW)
    assert {_local(a).day for a in _coming(series, NOW)} == {20}


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"weekdays": []}, "weekdays"),
        ({"weekdays": [7]}, "weekdays"),
        ({"weekdays": ["Monday"]}, "weekdays"),
        ({"month_day": 3}, "month_day"),
        ({"start_time": "25:00"}, "start_time"),
        ({"start_time": None}, "start_time"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": -30}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"ends_on": dt.date(2027, 2, 27)}, "ends_on"),  # before the first date
        ({"ends_on": "soon"}, "ends_on"),
    ],
)
def test_a_bad_schedule_is_refused_and_nothing_written(
    community: Any, everyone: Any, changes: dict, field: str
) -> None:
    series = _weekly(community, everyone)
    _sign_up(_coming(series, NOW)[1], community)
    dates = _snapshot(series)
    with pytest.raises(InvalidInput) as refused:
        services.series_reschedule(series=series, by=None, now=NOW, **{"weekdays": [TUE], **changes})
    assert refused.value.field == field
    assert _snapshot(series) == dates
    fresh = Series.objects.get(pk=series.pk)
    assert (fresh.weekdays, fresh.start_time, fresh.duration_minutes, fresh.ends_on) == (
        [MON, THU],
        dt.time(10),
        120,
        None,
    )
    assert not AuditEntry.objects.filter(action="activities.series_reschedule").exists()
    assert not Notification.objects.filter(kind="activities.kept").exists()


def test_a_last_date_in_the_past_is_refused(community: Any, everyone: Any) -> None:
    series = _weekly(community, everyone)
    later = NOW + dt.timedelta(days=10)
    with pytest.raises(InvalidInput, match="in the past") as refused:
        services.series_reschedule(series=series, by=None, ends_on=dt.date(2027, 3, 8), now=later)
    assert refused.value.field == "ends_on"


def test_a_stopped_or_one_off_activity_has_no_schedule_to_change(community: Any, everyone: Any) -> None:
    one_off = SeriesFactory.create(community=community, now=NOW)
    with pytest.raises(Conflict):
        services.series_reschedule(series=one_off, by=None, start_time=dt.time(18, 0), now=NOW)
    stopped = _weekly(community, everyone)
    services.series_stop(series=stopped, by=None, now=NOW)
    with pytest.raises(Conflict):
        services.series_reschedule(series=stopped, by=None, weekdays=[TUE], now=NOW)
    assert not AuditEntry.objects.filter(action="activities.series_reschedule").exists()


def test_the_same_schedule_again_changes_nothing(community: Any, everyone: Any) -> None:
    series = _weekly(community, everyone)
    dates = _snapshot(series)
    change = services.series_reschedule(
        series=series, by=None, weekdays=[THU, MON], start_time=dt.time(10), now=NOW
    )
    assert (change.removed, change.kept, change.added) == (0, (), 0)
    assert _snapshot(series) == dates
    assert not AuditEntry.objects.filter(action="activities.series_reschedule").exists()


def test_the_new_time_is_local_time_across_the_change_to_summer_time(
    community: Any, everyone: Any, settings: Any
) -> None:
    settings.TIME_ZONE = "Europe/Madrid"
    # Madrid moves its clocks forward on Sunday 28 March 2027: 18:30 is 17:30 UTC before, 16:30 after.
    now = dt.datetime(2027, 3, 15, 8, 0, tzinfo=timezone.get_default_timezone())
    series = _weekly(community, everyone, now=now, days=(MON,))
    after_the_change = next(a for a in _coming(series, now) if _local(a).date() > dt.date(2027, 3, 28))
    _sign_up(after_the_change, community, now=now)
    services.series_reschedule(series=series, by=None, weekdays=[2], start_time=dt.time(18, 30), now=now)
    coming = [a for a in _coming(series, now) if a.pk != after_the_change.pk]
    assert {(_local(a).weekday(), _local(a).time()) for a in coming} == {(2, dt.time(18, 30))}
    utc_hours = {_local(a).date(): a.starts_at.astimezone(dt.UTC).hour for a in coming}
    assert utc_hours[dt.date(2027, 3, 24)] == 17 and utc_hours[dt.date(2027, 3, 31)] == 16
    assert all(services.occurrence_fits(a) for a in coming)
    # The Monday people signed up for keeps its 10:00 local time, now in summer time.
    assert _local(Activity.objects.get(pk=after_the_change.pk)).time() == dt.time(10, 0)
    # Asking again for the same schedule leaves every date where it is, on both sides of the change.
    dates = _snapshot(series)
    services.series_reschedule(series=series, by=None, weekdays=[2], start_time=dt.time(18, 30), now=now)
    assert _snapshot(series) == dates


# --- who may: the API and the pages -----------------------------------------------------------

API = "/api/v1/communities/riverside/activities/series"
API_EXPECTED = {
    "anonymous": 401,
    "applicant": 403,
    "outsider": 403,
    "observer": 403,
    "member": 403,
    "organiser": 200,
    "coordinator": 200,
}
PAGE_EXPECTED = {**API_EXPECTED, "anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
def test_changing_the_schedule_by_the_api(client_as: Any, community: Any, everyone: Any, role: str) -> None:
    series = _weekly(community, everyone, now=timezone.now())
    dates = _snapshot(series)
    response = client_as(role).patch(
        f"{API}/{series.pk}/schedule",
        {"weekdays": [TUE], "start_time": "18:00", "ends_on": None},
        content_type="application/json",
    )
    assert response.status_code == API_EXPECTED[role]
    if response.status_code == 200:
        body = response.json()
        assert body["series"]["weekdays"] == [TUE] and body["series"]["start_time"].startswith("18:00")
        assert (body["removed"], body["kept"]) == (len(dates), []) and body["added"] > 0
        assert {_local(a).weekday() for a in _coming(series, timezone.now())} == {TUE}
    else:
        assert _snapshot(series) == dates
        assert Series.objects.get(pk=series.pk).weekdays == [MON, THU]


@pytest.mark.parametrize(
    "body",
    [
        {"weekdays": []},
        {"weekdays": [9]},
        {"start_time": None},
        {"duration_minutes": 0},
        {"duration_minutes": "90"},
        {"ends_on": "2020-01-01"},
    ],
)
def test_a_bad_schedule_by_the_api_is_refused_and_nothing_written(
    client_as: Any, community: Any, everyone: Any, body: dict
) -> None:
    series = _weekly(community, everyone, now=timezone.now())
    dates = _snapshot(series)
    response = client_as("organiser").patch(
        f"{API}/{series.pk}/schedule", body, content_type="application/json"
    )
    assert response.status_code in (400, 422)
    assert response.json()["detail"] and response.json()["field"]
    assert _snapshot(series) == dates
    assert not AuditEntry.objects.filter(action="activities.series_reschedule").exists()


def test_another_communitys_series_is_not_found_here(
    client_as: Any, other_community: Any, community: Any
) -> None:
    theirs = SeriesFactory.create(community=other_community, repeat="weekly", weekdays=[MON], in_days=0)
    response = client_as("coordinator").patch(
        f"{API}/{theirs.pk}/schedule", {"weekdays": [TUE]}, content_type="application/json"
    )
    assert response.status_code == 404
    assert Series.objects.get(pk=theirs.pk).weekdays == [MON]


@pytest.mark.parametrize("role", ROLES)
def test_the_schedule_form_answers_each_role(
    client_as: Any, community: Any, everyone: Any, role: str
) -> None:
    series = _weekly(community, everyone, now=timezone.now())
    client = client_as(role)
    url = f"/c/riverside/activities/series/{series.pk}/schedule/"
    assert client.get(url).status_code == PAGE_EXPECTED[role]
    response = client.post(
        url,
        {"schedule-weekdays": [str(TUE)], "schedule-start_time": "10:00", "schedule-duration_minutes": "120"},
    )
    assert response.status_code == {**API_EXPECTED, "organiser": 302, "coordinator": 302}[role]
    assert (Series.objects.get(pk=series.pk).weekdays == [TUE]) is (role in {"organiser", "coordinator"})
    page = client.get(f"/c/riverside/activities/series/{series.pk}/")
    if page.status_code == 200:
        assert ('name="schedule-start_time"' in page.content.decode()) is (
            role in {"organiser", "coordinator"}
        )


def test_changing_the_schedule_from_the_series_page_without_javascript(
    client_as: Any, community: Any, everyone: Any
) -> None:
    series = _weekly(community, everyone, now=timezone.now())
    client = client_as("organiser")
    page = client.get(f"/c/riverside/activities/series/{series.pk}/").content.decode()
    assert '<label for="id_schedule-start_time">' in page and "<legend>Days of the week</legend>" in page
    response = client.post(
        f"/c/riverside/activities/series/{series.pk}/schedule/",
        {
            "schedule-weekdays": ["2", "4"],
            "schedule-start_time": "17:30",
            "schedule-duration_minutes": "90",
            "schedule-ends_on": "",
        },
        follow=True,
    )
    assert response.status_code == 200
    assert "The schedule was changed." in response.content.decode()
    fresh = Series.objects.get(pk=series.pk)
    assert (fresh.weekdays, fresh.start_time, fresh.duration_minutes) == ([2, 4], dt.time(17, 30), 90)


def test_a_refused_schedule_shows_the_sentence_next_to_its_field(
    client_as: Any, community: Any, everyone: Any
) -> None:
    series = _weekly(community, everyone, now=timezone.now())
    response = client_as("organiser").post(
        f"/c/riverside/activities/series/{series.pk}/schedule/",
        {"schedule-start_time": "10:00", "schedule-duration_minutes": "120"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    fieldset = page[page.index("<legend>Days of the week</legend>") :]
    assert fieldset.index("Choose the days of the week it happens on.") < fieldset.index("</fieldset>")
    assert Series.objects.get(pk=series.pk).weekdays == [MON, THU]
