"""Private details at rest: encrypted with a key outside the database, erased after retention,
stale requests flagged. The raw database is read column by column, as a thief with a copy would."""

from __future__ import annotations

import os
import stat
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.utils import timezone

from dualpower import keys
from dualpower.aid import crypto, jobs, services
from dualpower.aid.models import AidRequest
from dualpower.aid.tests.factories import (
    SECRET_ADDRESS,
    SECRET_CONTACT,
    SECRET_HEALTH,
    AidWorld,
    confirmed_match,
    make_request,
)
from dualpower.community.models import AuditEntry
from dualpower.notifications.models import Notification

pytestmark = pytest.mark.django_db

IMMIGRATION = "asylum claim pending"
SAFETY = "ex-partner must not learn where she lives"
CALLER = "Rosalind Okonkwo-Beltrán"


def _every_text_in_the_database() -> str:
    """Every value of every column of every table the aid app and the audit log and notifications
    write to, as text."""
    tables = [m._meta.db_table for m in apps.get_app_config("aid").get_models()]
    tables += [AuditEntry._meta.db_table, Notification._meta.db_table]
    chunks: list[Any] = []
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names
            for row in cursor.fetchall():
                chunks.extend(str(v) for v in row)
    return "\n".join(chunks)


def test_no_sensitive_value_is_stored_in_plain_text(world: AidWorld) -> None:
    request = make_request(
        world,
        details={
            "address": SECRET_ADDRESS,
            "contact": SECRET_CONTACT,
            "health": SECRET_HEALTH,
            "immigration": IMMIGRATION,
            "safety": SAFETY,
        },
    )
    services.request_intake(
        community=world.community,
        dispatcher=world.dispatcher,
        contact_channel="phone",
        details={"name": CALLER, "contact": "+44 7700 900123"},
        category="food",
        description="Food for the week",
        neighbourhood="Riverside",
    )
    confirmed_match(world, request)
    raw = _every_text_in_the_database()
    assert request.code in raw  # the reading works
    for secret in (SECRET_ADDRESS, SECRET_CONTACT, SECRET_HEALTH, IMMIGRATION, SAFETY, CALLER, "7700 900123"):
        assert secret not in raw
        assert secret.encode().hex() not in raw
    # ...and the right key opens them.
    request.refresh_from_db()
    assert crypto.unseal(request.sealed)["immigration"] == IMMIGRATION


def test_the_key_file_is_made_once_with_owner_only_permissions(settings: Any, tmp_path: Path) -> None:
    settings.DP_AID_KEY = None
    settings.DP_HOME = tmp_path
    os.environ.pop("DP_AID_KEY", None)
    token = crypto.seal({"address": SECRET_ADDRESS})
    key_file = tmp_path / crypto.KEY_FILE
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    key = key_file.read_text()
    assert crypto.unseal(token) == {"address": SECRET_ADDRESS}
    crypto.seal({"contact": "x"})
    assert key_file.read_text() == key  # not replaced


def test_reading_sealed_details_without_the_key_is_refused_and_makes_no_key(
    world: AidWorld, settings: Any, tmp_path: Path
) -> None:
    request = make_request(world, details={"health": SECRET_HEALTH})
    settings.DP_AID_KEY = None
    settings.DP_HOME = tmp_path
    os.environ.pop("DP_AID_KEY", None)
    with pytest.raises(keys.KeyMissing, match="key that opens this sealed information is missing"):
        crypto.unseal(request.sealed)
    # Nor does a new request get a key of its own while others are sealed with the lost one.
    with pytest.raises(keys.KeyMissing):
        crypto.seal({"contact": "x"})
    assert not (tmp_path / crypto.KEY_FILE).exists()
    # A page that would show the details answers with the sentence, not a 500 nor a new key.
    client = Client()
    client.force_login(world.users["dispatcher"])
    page = client.get(f"/c/{world.community.slug}/aid/requests/{request.code}/")
    assert page.status_code == 503
    assert "key that opens this sealed information is missing" in page.content.decode()
    assert not (tmp_path / crypto.KEY_FILE).exists()


def test_a_rotated_key_still_opens_old_details(settings: Any) -> None:
    from cryptography.fernet import Fernet

    old = settings.DP_AID_KEY
    token = crypto.seal({"health": SECRET_HEALTH})
    settings.DP_AID_KEY = f"{Fernet.generate_key().decode()},{old}"
    assert crypto.unseal(token) == {"health": SECRET_HEALTH}


def test_a_wrong_key_reads_as_unreadable_rather_than_crashing(settings: Any) -> None:
    from cryptography.fernet import Fernet

    token = crypto.seal({"health": SECRET_HEALTH})
    settings.DP_AID_KEY = Fernet.generate_key().decode()
    assert crypto.unseal(token) == {"unreadable": "1"}


def test_closed_requests_lose_their_private_details_after_the_retention_period(world: AidWorld) -> None:
    services.aid_settings_update(community=world.community, by=world.coordinator, retention_days=10)
    done = make_request(world)
    services.request_cancel(request=done, by=world.member)
    still_open = make_request(world)
    now = timezone.now()
    assert jobs.erase_expired(now + timedelta(days=9)) == ""
    assert "1 request" in jobs.erase_expired(now + timedelta(days=10, minutes=1))
    done.refresh_from_db()
    still_open.refresh_from_db()
    assert done.sealed == "" and done.erased_at is not None
    assert crypto.unseal(still_open.sealed)["address"] == SECRET_ADDRESS
    assert jobs.erase_expired(now + timedelta(days=11)) == ""  # idempotent
    assert AuditEntry.objects.filter(action="aid.request.erase").count() == 1


def test_the_default_retention_is_thirty_days(world: AidWorld) -> None:
    done = make_request(world)
    confirmed = confirmed_match(world, done)
    services.match_deliver(match=confirmed, delivered=2, by=world.volunteer)
    now = timezone.now()
    jobs.erase_expired(now + timedelta(days=29))
    done.refresh_from_db()
    assert done.sealed
    jobs.erase_expired(now + timedelta(days=30, minutes=1))
    done.refresh_from_db()
    assert done.sealed == ""


def test_stale_requests_are_flagged_once_to_dispatchers(world: AidWorld) -> None:
    request = make_request(world)
    now = timezone.now()
    assert jobs.flag_stale(now + timedelta(days=6)) == ""
    assert "1 stale" in jobs.flag_stale(now + timedelta(days=8))
    assert jobs.flag_stale(now + timedelta(days=9)) == ""
    request.refresh_from_db()
    assert request.stale_since is not None
    assert Notification.objects.filter(user=world.dispatcher.user, kind="aid.dispatch").count() == 1
    # News on the request clears the flag.
    services.match_accept(request=request, volunteer=world.volunteer)
    request.refresh_from_db()
    assert request.stale_since is None


def test_an_address_in_the_neighbourhood_field_is_refused(world: AidWorld) -> None:
    from dualpower.errors import InvalidInput

    before = AidRequest.objects.count()
    for address in ("14 Calle Mayor", "Elm Street 4, 2nd floor", "Apt 3B", "SW1A 1AA", "90210"):
        with pytest.raises(InvalidInput, match="address"):
            make_request(world, neighbourhood=address)
    assert AidRequest.objects.count() == before
    assert make_request(world, neighbourhood="Elm & 5th").neighbourhood == "Elm & 5th"
