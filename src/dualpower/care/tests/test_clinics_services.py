"""The rules of clinic days, the directory, the warm line and crisis calls, as the services keep
them: stations in order, one move wins, nothing clinical kept, a pair sent (never the police)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.utils import timezone

from dualpower.care.models.circles import Circle
from dualpower.care.models.clinics import (
    ClinicDay,
    ClinicWeek,
    CrisisCall,
    QueueEntry,
    ScreeningCount,
    WarmLineCall,
)
from dualpower.care.selectors import clinics as selectors
from dualpower.care.services import clinics as services
from dualpower.care.services import clinics_directory as directory
from dualpower.care.services import clinics_lines as lines
from dualpower.care.tests.factories_clinics import ClinicWorld, make_clinic_world, on_the_day
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.tests.factories import membership_of
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(community: Any, people: dict[str, Any]) -> ClinicWorld:
    return make_clinic_world(community, people)


def _stations(world: ClinicWorld) -> list[Any]:
    return selectors.stations_of(day=world.day)


def _me(world: ClinicWorld, role: str) -> Any:
    return membership_of(world.users[role], world.community)


def test_a_day_has_its_stations_in_order(world: ClinicWorld) -> None:
    assert [s.kind for s in _stations(world)] == ["welcome", "triage", "consultation", "pharmacy", "referral"]


def test_an_arrival_gets_a_short_code_at_the_first_station(world: ClinicWorld) -> None:
    entry = services.queue_join(day=world.day, by=None)
    assert len(entry.code) == 3
    assert entry.station.kind == "welcome"


def test_people_move_station_to_station_in_order(world: ClinicWorld) -> None:
    _welcome, triage, consultation, *_ = _stations(world)
    entry = services.queue_join(day=world.day, by=None)
    moved = services.queue_move(day=world.day, code=entry.code.lower(), to=triage, by=None)
    assert moved.station == triage
    moved = services.queue_move(day=world.day, code=entry.code, to=consultation, by=None)
    assert moved.station == consultation


@pytest.mark.parametrize("target", [0, 2, 3])  # back to welcome, skipping triage, further still
def test_a_move_out_of_order_is_refused_and_nothing_written(world: ClinicWorld, target: int) -> None:
    stations = _stations(world)
    entry = services.queue_join(day=world.day, by=None)
    logged = AuditEntry.objects.count()
    with pytest.raises(Conflict, match="Stations are passed in order") as refused:
        services.queue_move(day=world.day, code=entry.code, to=stations[target], by=None)
    assert refused.value.field == "station"
    entry.refresh_from_db()
    assert entry.station == stations[0]
    assert AuditEntry.objects.count() == logged


def test_two_volunteers_moving_one_code_one_wins(world: ClinicWorld) -> None:
    _welcome, triage, *_ = _stations(world)
    entry = services.queue_join(day=world.day, by=None)
    services.queue_move(day=world.day, code=entry.code, to=triage, by=None)
    # The second volunteer pressed the same button on a page read before the first move.
    with pytest.raises(Conflict):
        services.queue_move(day=world.day, code=entry.code, to=triage, by=None)
    entry.refresh_from_db()
    assert entry.station == triage


def test_an_unknown_code_is_refused(world: ClinicWorld) -> None:
    with pytest.raises(InvalidInput, match="No one in today's queue"):
        services.queue_move(day=world.day, code="ZZZ", to=_stations(world)[1], by=None)


def test_someone_who_left_cannot_be_moved(world: ClinicWorld) -> None:
    entry = services.queue_join(day=world.day, by=None)
    services.queue_finish(day=world.day, code=entry.code, by=None, left_early=True)
    with pytest.raises(Conflict, match="already left"):
        services.queue_move(day=world.day, code=entry.code, to=_stations(world)[1], by=None)
    with pytest.raises(Conflict, match="already left"):
        services.queue_finish(day=world.day, code=entry.code, by=None)


def test_closing_the_day_erases_the_queue_and_keeps_the_weeks_count(world: ClinicWorld) -> None:
    codes = [services.queue_join(day=world.day, by=None).code for _n in range(3)]
    services.queue_finish(day=world.day, code=codes[0], by=None)
    closed = services.clinic_day_close(day=world.day, by=None)
    assert closed.status == ClinicDay.Status.CLOSED
    assert closed.people_seen == 3
    assert not QueueEntry.objects.filter(day=world.day).exists()
    week = ClinicWeek.objects.get(community=world.community, week=services.monday(world.day.day))
    assert week.people_seen == 3
    # The audit log outlives the day: no code is in what the queue's steps wrote there.
    queue_steps = AuditEntry.objects.filter(
        community=world.community,
        action__in=["care.queue_join", "care.queue_finish", "care.clinic_day_close"],
    )
    assert queue_steps.count() == 5
    stored = " ".join(f"{e.summary} {e.data}" for e in queue_steps)
    assert not [code for code in codes if re.search(rf"\b{code}\b", stored)], stored
    with pytest.raises(Conflict, match="closed"):
        services.queue_join(day=world.day, by=None)


def test_the_clock_closes_a_day_left_open(world: ClinicWorld) -> None:
    services.queue_join(day=world.day, by=None)
    assert services.close_past_days(on_the_day(world)) == 0
    later = on_the_day(world) + dt.timedelta(days=2)
    assert services.close_past_days_job(later) == "1 clinic days closed"
    assert not QueueEntry.objects.filter(day=world.day).exists()
    assert services.close_past_days_job(later) is None


def test_screenings_are_counted_by_week_and_kind_only(world: ClinicWorld) -> None:
    services.screening_record(day=world.day, kind="blood_pressure", positive=True, by=None)
    services.screening_record(day=world.day, kind="blood_pressure", positive=False, by=None)
    row = ScreeningCount.objects.get(community=world.community, kind="blood_pressure")
    assert (row.done, row.positives) == (2, 1)
    assert {f.name for f in ScreeningCount._meta.get_fields()} == {
        "id",
        "community",
        "week",
        "kind",
        "done",
        "positives",
    }
    with pytest.raises(InvalidInput):
        services.screening_record(day=world.day, kind="diagnosis", positive=True, by=None)


def test_a_day_in_the_past_or_twice_is_refused(world: ClinicWorld) -> None:
    with pytest.raises(InvalidInput, match="past"):
        services.clinic_day_create(
            community=world.community,
            by=None,
            site="Library",
            day=timezone.localdate() - dt.timedelta(days=1),
        )
    with pytest.raises(Conflict):
        services.clinic_day_create(
            community=world.community,
            by=None,
            site=world.day.site.upper(),
            day=world.day.day,
            now=on_the_day(world),
        )
    with pytest.raises(InvalidInput, match="once"):
        services.clinic_day_create(
            community=world.community,
            by=None,
            site="Library",
            day=timezone.localdate() + dt.timedelta(days=3),
            stations=["welcome", "welcome"],
        )


def test_shifts_need_a_credential_the_community_has(world: ClinicWorld) -> None:
    with pytest.raises(InvalidInput, match="no trust role interpreter"):
        services.clinic_day_create(
            community=world.community,
            by=None,
            site="Library",
            day=timezone.localdate() + dt.timedelta(days=3),
            shifts={"interpreter": 1},
        )


def test_the_directory_refuses_a_second_entry_of_the_same_name(world: ClinicWorld) -> None:
    with pytest.raises(Conflict, match="already lists"):
        directory.referral_create(
            community=world.community, by=None, name="eastfield health centre", kind="clinic"
        )
    with pytest.raises(InvalidInput):
        directory.referral_create(community=world.community, by=None, name="Somewhere", kind="hospital")
    changed = directory.referral_update(referral=world.referral, by=None, languages="English, Tagalog")
    assert changed.languages == "English, Tagalog"


def test_a_warm_line_call_keeps_time_length_and_topic_only(world: ClinicWorld) -> None:
    now = timezone.now()
    call = lines.call_log(
        community=world.community,
        by=None,
        started_at=now - dt.timedelta(minutes=30),
        duration_minutes=25,
        topic="grief",
    )
    assert call.started_at.second == 0
    assert {f.name for f in WarmLineCall._meta.get_fields()} == {
        "id",
        "community",
        "started_at",
        "duration_minutes",
        "topic",
    }
    with pytest.raises(InvalidInput):
        lines.call_log(community=world.community, by=None, started_at=now, duration_minutes=0, topic="grief")
    with pytest.raises(InvalidInput, match="future"):
        lines.call_log(
            community=world.community,
            by=None,
            started_at=now + dt.timedelta(hours=1),
            duration_minutes=5,
            topic="grief",
        )
    weeks = selectors.call_counts(community=world.community)
    assert weeks[0].calls == 1 and weeks[0].topics == {"grief": 1}


def test_a_crisis_call_sends_the_medic_and_peer_on_shift_and_tells_them(world: ClinicWorld) -> None:
    call = world.call
    assert call.medic == _me(world, "medic")
    assert call.peer == _me(world, "crisis_peer")
    told = Notification.objects.filter(kind="care.crisis_dispatch")
    assert {n.user_id for n in told} == {world.users["medic"].pk, world.users["crisis_peer"].pk}


def test_no_free_pair_on_shift_is_refused_and_nothing_written(world: ClinicWorld) -> None:
    before = CrisisCall.objects.count()
    # The only medic on shift is already out on the first call.
    with pytest.raises(Conflict, match="No medic"):
        lines.crisis_dispatch(community=world.community, by=None, situation="welfare", area="Northbank")
    assert CrisisCall.objects.count() == before


def test_the_pair_acknowledges_arrives_and_closes(world: ClinicWorld) -> None:
    medic, peer = _me(world, "medic"), _me(world, "crisis_peer")
    call = lines.crisis_acknowledge(call=world.call, by=peer)
    assert call.status == CrisisCall.Status.ACKNOWLEDGED
    with pytest.raises(Conflict):
        lines.crisis_acknowledge(call=world.call, by=medic)
    call = lines.crisis_arrive(call=world.call, by=medic)
    assert call.status == CrisisCall.Status.ARRIVED
    call = lines.crisis_close(call=world.call, by=medic, outcome="resolved")
    assert (call.status, call.outcome) == (CrisisCall.Status.CLOSED, "resolved")
    with pytest.raises(Conflict):
        lines.crisis_close(call=world.call, by=medic, outcome="resolved")
    assert selectors.outcome_counts(community=world.community) == {"resolved": 1}


def test_only_the_pair_acts_on_its_call(world: ClinicWorld) -> None:
    with pytest.raises(PermissionDenied):
        lines.crisis_acknowledge(call=world.call, by=_me(world, "coordinator"))


def test_a_bad_outcome_is_refused_and_the_call_stays_open(world: ClinicWorld) -> None:
    with pytest.raises(InvalidInput):
        lines.crisis_close(call=world.call, by=_me(world, "medic"), outcome="arrested")
    world.call.refresh_from_db()
    assert world.call.status == CrisisCall.Status.DISPATCHED


def test_a_follow_up_becomes_a_care_circle_if_the_person_wants(world: ClinicWorld) -> None:
    medic = _me(world, "medic")
    call = lines.crisis_close(call=world.call, by=medic, outcome="safety_plan", follow_up=True)
    assert call.outcome == CrisisCall.Outcome.CARE_CIRCLE
    circle = call.follow_up_circle
    assert circle is not None
    assert circle.person_code == call.code
    assert circle.keeper == medic
    assert circle.kind == Circle.Kind.MENTAL_HEALTH


def test_the_holdings_count_what_is_stored(world: ClinicWorld) -> None:
    from dualpower.care.holdings_clinics import describe

    services.queue_join(day=world.day, by=None)
    counts = {str(h.what): h.count for h in describe(world.community)}
    assert counts["Today's clinic queue"] == 1
    assert counts["Crisis calls"] == 1
    assert counts["Referral directory"] == 1
    services.clinic_day_close(day=world.day, by=None)
    counts = {str(h.what): h.count for h in describe(world.community)}
    assert counts["Today's clinic queue"] == 0
    assert counts["Clinic counts by week"] == 1
