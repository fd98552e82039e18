"""Rapid response as the network runs it: nobody is alerted before a verifier on shift confirms a
report; then only the responders on call whose areas include the incident's; false alarms are
closed quietly; responders move forward only; the follow-up becomes aid requests by household code;
and a closed incident with its follow-up opened becomes a count, the rest deleted."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from dualpower.aid import selectors as aid_selectors
from dualpower.defence.models.response import Incident, IncidentCount, Response
from dualpower.defence.selectors import response as selectors
from dualpower.defence.services import response_incidents as incidents
from dualpower.defence.services import response_settings as settings_services
from dualpower.defence.services.response_sealing import open_bytes
from dualpower.defence.tests.factories_response import SECRET_SEEN, DefenceWorld, report, verified
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _told(membership: Any, kind: str) -> int:
    return Notification.objects.filter(user=membership.user, kind=kind).count()


def test_no_responder_is_alerted_before_verification(world: DefenceWorld) -> None:
    incident = report(world)
    assert incident.status == Incident.Status.REPORTED
    assert not Response.objects.filter(incident=incident).exists()
    assert _told(world.responder, "defence.alert") == 0
    assert _told(world.verifier, "defence.verify") == 1  # only the verifier on shift hears of it


def test_verification_alerts_only_on_call_responders_of_the_area(world: DefenceWorld) -> None:
    incident = verified(world, area="North")
    alerted = {r.membership_id for r in Response.objects.filter(incident=incident)}
    # Rafa (North, on shift) and Lola (legal observer, North, on shift); not Fern (Riverside only)
    # nor Otis (North, but not on shift).
    assert alerted == {world.responder.pk, world.observer_lawyer.pk}
    assert _told(world.responder, "defence.alert") == 1
    assert _told(world.far_responder, "defence.alert") == 0
    assert _told(world.off_responder, "defence.alert") == 0


def test_another_area_reaches_other_responders(world: DefenceWorld) -> None:
    incident = verified(world, area="Riverside")
    assert {r.membership_id for r in Response.objects.filter(incident=incident)} == {world.far_responder.pk}


def test_only_a_verifier_on_shift_verifies(world: DefenceWorld) -> None:
    incident = report(world)
    for someone in (world.member, world.coordinator, world.responder):
        with pytest.raises(PermissionDenied):
            incidents.incident_verify(incident=incident, by=someone)
    later = timezone.now() + dt.timedelta(days=30)  # no shift is running then
    with pytest.raises(PermissionDenied):
        incidents.incident_verify(incident=incident, by=world.verifier, now=later)
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.REPORTED


def test_verifying_twice_is_refused(world: DefenceWorld) -> None:
    incident = verified(world)
    with pytest.raises(Conflict):
        incidents.incident_verify(incident=incident, by=world.verifier)
    assert Response.objects.filter(incident=incident).count() == 2


def test_a_false_alarm_is_closed_quietly(world: DefenceWorld) -> None:
    incident = report(world, photo=SimpleUploadedFile("p.png", PNG))
    incidents.incident_false_alarm(incident=incident, by=world.verifier)
    fresh = Incident.objects.get(pk=incident.pk)
    assert fresh.status == Incident.Status.FALSE_ALARM
    assert (fresh.seen_sealed, fresh.photo_sealed) == ("", "")
    assert not Response.objects.exists()
    assert Notification.objects.filter(kind="defence.alert").count() == 0


def test_the_photo_is_sealed_for_the_verifier_and_deleted_at_verification(world: DefenceWorld) -> None:
    incident = report(world, photo=SimpleUploadedFile("p.png", PNG))
    assert PNG not in incident.photo_sealed.encode()
    assert open_bytes(incident.photo_sealed) == PNG
    incidents.incident_verify(incident=incident, by=world.verifier)
    assert Incident.objects.get(pk=incident.pk).photo_sealed == ""


def test_a_photo_that_is_not_a_picture_is_refused(world: DefenceWorld) -> None:
    with pytest.raises(InvalidInput) as refused:
        report(world, photo=SimpleUploadedFile("p.png", b"<svg onload=alert(1)>"))
    assert refused.value.field == "photo"
    assert not Incident.objects.exists()


def test_responders_move_forward_only(world: DefenceWorld) -> None:
    incident = verified(world)
    incidents.response_step(incident=incident, by=world.responder, state="acknowledged")
    incidents.response_step(incident=incident, by=world.responder, state="arrived")
    with pytest.raises(Conflict):
        incidents.response_step(incident=incident, by=world.responder, state="on_the_way")
    with pytest.raises(PermissionDenied):
        incidents.response_step(incident=incident, by=world.far_responder, state="acknowledged")
    with pytest.raises(InvalidInput):
        incidents.response_step(incident=incident, by=world.responder, state="alerted")
    assert Response.objects.get(incident=incident, membership=world.responder).state == "arrived"
    coming = {r.membership_id: r.state for r in selectors.responses_of(incident=incident)}
    assert coming == {world.responder.pk: "arrived", world.observer_lawyer.pk: "alerted"}


def test_follow_up_opens_aid_requests_by_household_code(world: DefenceWorld) -> None:
    incident = verified(world)
    incidents.incident_close(incident=incident, by=world.verifier)
    done = incidents.incident_follow_up(
        incident=incident, by=world.verifier, household="hh-31", needs=["bond", "childcare"]
    )
    assert len(done.followup_codes) == 2
    found = [aid_selectors.request_by_code(community=world.community, code=c) for c in done.followup_codes]
    made = [r for r in found if r is not None]
    assert len(made) == 2
    assert {r.category for r in made} == {"money", "childcare"}
    assert all("HH-31" in r.description and r.neighbourhood == "North" for r in made)
    with pytest.raises(Conflict):
        incidents.incident_follow_up(incident=incident, by=world.verifier, needs=[])


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "riot"), ("area", "14 Calle Mayor 3B"), ("area", ""), ("seen_at", "tomorrow")],
)
def test_bad_reports_are_refused_with_a_sentence(world: DefenceWorld, field: str, value: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        report(world, **{field: value})
    assert refused.value.field == field
    assert str(refused.value.detail)
    assert not Incident.objects.exists()


def test_a_household_code_is_not_a_name(world: DefenceWorld) -> None:
    incident = verified(world)
    with pytest.raises(InvalidInput):
        incidents.incident_follow_up(
            incident=incident, by=world.verifier, household="Ana López", needs=["bond"]
        )
    assert Incident.objects.get(pk=incident.pk).followup_done_at is None


def test_a_closed_incident_becomes_a_count_after_the_retention(world: DefenceWorld) -> None:
    settings_services.defence_settings_update(community=world.community, by=None, retention_hours=24)
    incident = verified(world)
    incidents.incident_close(incident=incident, by=world.verifier)
    incidents.incident_follow_up(incident=incident, by=world.verifier, needs=[])
    now = timezone.now()
    assert incidents.reduce_due(now + dt.timedelta(hours=23)) == 0
    assert Incident.objects.filter(pk=incident.pk).exists()
    assert incidents.reduce_due(now + dt.timedelta(hours=25)) == 1
    assert not Incident.objects.exists()
    assert not Response.objects.exists()
    count = IncidentCount.objects.get()
    assert (count.area, count.kind, count.count, count.false_alarm) == ("North", "raid", 1, False)
    assert count.week.weekday() == 0
    assert incidents.reduce_due(now + dt.timedelta(hours=26)) == 0  # idempotent


def test_an_incident_without_follow_up_is_kept(world: DefenceWorld) -> None:
    settings_services.defence_settings_update(community=world.community, by=None, retention_hours=0)
    incident = verified(world)
    incidents.incident_close(incident=incident, by=world.verifier)
    assert incidents.reduce_due(timezone.now() + dt.timedelta(days=30)) == 0
    with pytest.raises(Conflict):
        incidents.incident_reduce(incident=incident)
    assert Incident.objects.filter(pk=incident.pk).exists()


def test_counts_add_up_by_week_area_and_kind(world: DefenceWorld) -> None:
    for _ in range(2):
        incident = report(world)
        incidents.incident_false_alarm(incident=incident, by=world.verifier)
        incidents.incident_reduce(incident=incident)
    assert list(IncidentCount.objects.values_list("count", "false_alarm")) == [(2, True)]


def test_what_was_seen_is_sealed(world: DefenceWorld) -> None:
    incident = report(world)
    assert SECRET_SEEN not in incident.seen_sealed
    assert Incident.objects.filter(seen_sealed__contains="laundrette").count() == 0


def test_a_report_nobody_verifies_is_closed_and_forgotten(world: DefenceWorld) -> None:
    settings_services.defence_settings_update(community=world.community, by=None, retention_hours=0)
    incident = report(world, photo=SimpleUploadedFile("p.png", PNG))
    now = timezone.now()
    assert incidents.reduce_due(now + dt.timedelta(hours=23)) == 0
    assert Incident.objects.get(pk=incident.pk).status == Incident.Status.REPORTED
    assert incidents.reduce_due(now + dt.timedelta(hours=25)) == 1
    assert not Incident.objects.exists()
    assert list(IncidentCount.objects.values_list("kind", "false_alarm", "count")) == [("raid", True, 1)]
