"""Forgotten by default, on the disk: once a closed incident is reduced to a count, the raw database
file and its write-ahead log hold nothing of what was seen, of the area's words beyond the count,
nor of who reported, verified or answered it (tests/raw_database.py reads the bytes)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.utils import timezone

from dualpower.defence.services import response_incidents as incidents
from dualpower.defence.services import response_settings as settings_services
from dualpower.defence.tests.factories_response import make_world, report
from dualpower.defence.tests.raw_database import raw_contains, raw_count, raw_rows, sqlite_only

pytestmark = [sqlite_only, pytest.mark.django_db(transaction=True)]
KEY = Fernet.generate_key().decode()


@pytest.fixture(autouse=True)
def _aid_key(settings: Any) -> None:
    settings.DP_AID_KEY = KEY


def test_erasure_after_close_leaves_only_counts(community: Any, people: dict[str, Any]) -> None:
    world = make_world(community, people)
    settings_services.defence_settings_update(community=community, by=None, retention_hours=1)
    incident = report(world, seen="vans-with-plate-QX81Z")
    token = incident.seen_sealed
    incidents.incident_verify(incident=incident, by=world.verifier)
    incidents.response_step(incident=incident, by=world.responder, state="arrived")
    incidents.incident_close(incident=incident, by=world.verifier)
    incidents.incident_follow_up(incident=incident, by=world.verifier, needs=[])
    # Before: the sealed token and the incident's code are on the disk (the plaintext never is).
    assert raw_contains(token) and raw_contains(incident.code)
    assert not raw_contains("vans-with-plate-QX81Z")
    assert raw_count("defence_response", "incident_id = ?", [incident.pk]) == 2

    assert incidents.reduce_due(timezone.now() + dt.timedelta(hours=2)) == 1

    assert raw_count("defence_incident") == 0
    assert raw_count("defence_response") == 0
    assert not raw_contains(token)
    week = incident.seen_at.date() - dt.timedelta(days=timezone.localtime(incident.seen_at).weekday())
    assert raw_rows("SELECT area, kind, false_alarm, count FROM defence_incidentcount") == [
        ("North", "raid", 0, 1)
    ]
    assert raw_rows("SELECT week FROM defence_incidentcount")[0][0] in {week.isoformat(), str(week)}


def test_no_notification_names_an_erased_incident(community: Any, people: dict[str, Any]) -> None:
    world = make_world(community, people)
    settings_services.defence_settings_update(community=community, by=None, retention_hours=0)
    incident = report(world)
    incidents.incident_verify(incident=incident, by=world.verifier)
    incidents.incident_close(incident=incident, by=world.verifier)
    incidents.incident_follow_up(incident=incident, by=world.verifier, needs=[])
    incidents.reduce_due(timezone.now() + dt.timedelta(minutes=1))
    assert raw_count("notifications_notification", "url LIKE ?", [f"%{incident.code}%"]) == 0
