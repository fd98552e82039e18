"""A crisis call goes through the mutual aid dispatch (issue 16): an aid request by code with no
caller identity, the pair as its two matches, each step of the pair moving the request on in the
same transaction; never any police option. After the retention, only counts by outcome remain."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import pytest
from django.apps import apps as django_apps
from django.utils import translation

from dualpower import clock
from dualpower.aid import crypto
from dualpower.aid import selectors as aid_selectors
from dualpower.aid import services as aid
from dualpower.aid.jobs import erase_expired
from dualpower.aid.models import AidCategory, AidMatch, AidRequest
from dualpower.aid.selectors import requests_visible
from dualpower.care.models.clinics import CrisisCall, CrisisTally
from dualpower.care.selectors import clinics as selectors
from dualpower.care.services import clinics_lines as lines
from dualpower.care.services.circles_settings import care_settings_update
from dualpower.care.services.crisis_erase import crisis_calls_erase_expired
from dualpower.care.tests.factories_clinics import ClinicWorld, make_clinic_world
from dualpower.care.tests.test_circles_storage import raw_bytes
from dualpower.community.tests.audit_flush import audit_log_emptied_after  # noqa: F401 - a fixture
from dualpower.errors import Conflict
from dualpower.members.tests.factories import membership_of

AREA = "Quillfeather steps by the old tannery"


@pytest.fixture
def world(community: Any, people: dict[str, Any]) -> ClinicWorld:
    return make_clinic_world(community, people)


def _me(world: ClinicWorld, role: str) -> Any:
    return membership_of(world.users[role], world.community)


def _request(call: CrisisCall) -> AidRequest:
    assert call.aid_request is not None
    return AidRequest.objects.get(pk=call.aid_request.pk)


def _statuses(call: CrisisCall) -> tuple[str, list[str]]:
    request = _request(call)
    return request.status, sorted(request.matches.values_list("status", flat=True))


@pytest.mark.django_db
def test_a_crisis_call_is_an_aid_request_with_the_pair_as_its_matches(
    world: ClinicWorld, client: Any
) -> None:
    call = world.call
    request = _request(call)
    assert request.code == call.code and request.requester_id is None
    assert (request.category, request.privacy, request.urgency, request.quantity) == (
        "crisis-response",
        "dispatchers",
        3,
        2,
    )
    assert AidCategory.objects.get(community=world.community, key="crisis-response").name == "Crisis response"
    # The rough place is sealed (erased with the request's details); the listing has no place.
    assert "Los Pinos" not in request.description + request.neighbourhood + request.sealed
    assert crypto.unseal(request.sealed) == {"address": "Los Pinos"}
    matches = list(request.matches.order_by("volunteer__display_name"))
    assert [m.volunteer.display_name for m in matches] == ["Mo", "Perla"]
    assert all(m.status == "proposed" and m.requester_confirmed_at is not None for m in matches)
    assert request.status == AidRequest.Status.MATCHED
    # The dispatchers see it on aid's dispatch board; a member at large does not.
    assert request in requests_visible(community=world.community, membership=_me(world, "dispatcher"))
    assert request not in requests_visible(community=world.community, membership=_me(world, "member"))
    client.force_login(world.users["dispatcher"])
    assert call.code in client.get("/c/riverside/aid/dispatch/").content.decode()
    link = f'href="/c/riverside/aid/dispatch/requests/{call.code}/"'
    assert link in client.get(f"/c/riverside/care/crisis/{call.pk}/").content.decode()
    client.force_login(world.users["medic"])
    shown = client.get(f"/c/riverside/care/crisis/{call.pk}/").content.decode()
    assert f"{call.code}: Tentatively matched" in shown and link not in shown
    # No police anywhere in what a dispatcher or the pair can choose.
    choices = [*CrisisCall.Situation.values, *CrisisCall.Outcome.values]
    assert not [c for c in choices if "police" in c]
    # The category is made once and then reused, whatever the sender's language.
    coordinator = _me(world, "coordinator")
    with translation.override("es"):
        assert lines._crisis_category(world.community, coordinator) == "crisis-response"


@pytest.mark.django_db
def test_the_crisis_category_is_stored_in_english_and_read_in_the_readers_language(
    world: ClinicWorld, client: Any
) -> None:
    coordinator = _me(world, "coordinator")
    AidCategory.objects.filter(community=world.community).delete()
    # The first call of all is sent by someone reading Spanish: the row is still in English.
    with translation.override("es"):
        made = lines._crisis_category(world.community, coordinator)
        assert lines._crisis_category(world.community, coordinator) == made
    assert lines._crisis_category(world.community, coordinator) == made
    row = AidCategory.objects.get(community=world.community)
    assert (row.key, row.name) == ("crisis-response", "Crisis response")
    for language, shown in (("es", "Respuesta a crisis"), ("en", "Crisis response")):
        with translation.override(language):
            assert aid_selectors.category_name(world.community, made) == shown
    # On aid's own page the dispatcher reads it in their language.
    client.force_login(world.users["dispatcher"])
    page = client.get(
        f"/c/riverside/aid/dispatch/requests/{world.call.code}/", HTTP_ACCEPT_LANGUAGE="es"
    ).content.decode()
    assert "Respuesta a crisis" in page and "Crisis response" not in page
    # A category a community named itself is shown as typed, in every language.
    aid.aid_category_add(community=world.community, name="Night shelter", by=coordinator)
    with translation.override("es"):
        assert aid_selectors.category_name(world.community, "night-shelter") == "Night shelter"


@pytest.mark.django_db
def test_the_upgrade_renames_a_crisis_category_stored_in_spanish(world: ClinicWorld) -> None:
    migration = importlib.import_module("dualpower.care.migrations.0004_crisis_category_in_english")
    AidCategory.objects.filter(community=world.community).delete()
    # As the version before stored it when a Spanish reader sent the first call.
    AidCategory.objects.create(community=world.community, key="respuesta-a-crisis", name="Respuesta a crisis")
    migration.crisis_category_in_english(django_apps, None)
    row = AidCategory.objects.get(community=world.community)
    # Renamed; the key stays, since requests and referrals already name the category by it.
    assert (row.key, row.name) == ("respuesta-a-crisis", "Crisis response")
    assert lines._crisis_category(world.community, _me(world, "coordinator")) == "respuesta-a-crisis"
    assert AidCategory.objects.count() == 1
    with translation.override("es"):
        assert aid_selectors.category_name(world.community, row.key) == "Respuesta a crisis"


@pytest.mark.django_db
def test_each_step_of_the_pair_moves_the_aid_request(world: ClinicWorld) -> None:
    medic, peer = _me(world, "medic"), _me(world, "crisis_peer")
    lines.crisis_acknowledge(call=world.call, by=peer)
    assert _statuses(world.call) == ("confirmed", ["confirmed", "confirmed"])
    lines.crisis_arrive(call=world.call, by=medic)
    assert _statuses(world.call) == ("in_progress", ["in_progress", "in_progress"])
    call = lines.crisis_close(call=world.call, by=medic, outcome="referred")
    assert call.outcome == "referred"  # the outcome category is care's
    assert _statuses(call) == ("fulfilled", ["fulfilled", "fulfilled"])


@pytest.mark.django_db
def test_nobody_found_cancels_the_aid_request_and_a_failed_step_writes_nothing(
    world: ClinicWorld, monkeypatch: Any
) -> None:
    medic = _me(world, "medic")

    def refuse(**_kwargs: Any) -> None:
        raise Conflict("aid refused")

    with monkeypatch.context() as patched:
        patched.setattr(lines.aid, "match_confirm", refuse)
        with pytest.raises(Conflict, match="aid refused"):
            lines.crisis_acknowledge(call=world.call, by=medic)
    world.call.refresh_from_db()
    assert world.call.status == CrisisCall.Status.DISPATCHED and world.call.acknowledged_at is None
    call = lines.crisis_close(call=world.call, by=medic, outcome="no_contact")
    request = _request(call)
    assert request.status == AidRequest.Status.CANCELLED
    assert request.close_reason == "Could not find the person"
    assert not request.matches.filter(status__in=["proposed", "confirmed"]).exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("audit_log_emptied_after")
def test_after_the_retention_only_counts_by_outcome_remain(world: ClinicWorld) -> None:
    assert "care.crisis_erase" in {job.name for job in clock.jobs()}
    medic = _me(world, "medic")
    lines.crisis_close(call=world.call, by=medic, outcome="resolved")
    call = lines.crisis_dispatch(
        community=world.community, by=_me(world, "coordinator"), situation="welfare", area=AREA
    )
    assert AREA.encode() in raw_bytes()  # plain in care's row while the call lives
    call = lines.crisis_close(call=call, by=medic, outcome="resolved")
    assert call.closed_at is not None
    care_settings_update(community=world.community, by=None, retention_days=1)
    assert crisis_calls_erase_expired(now=call.closed_at) == 0  # within the retention: kept
    assert crisis_calls_erase_expired(now=call.closed_at + dt.timedelta(days=1)) == 2
    # The linked aid requests are pruned as aid prunes its own (its retention: 30 days by default).
    erase_expired(call.closed_at + dt.timedelta(days=31))
    assert not AidRequest.objects.exclude(sealed="").exists()
    assert AidRequest.objects.filter(erased_at__isnull=False).count() == 2
    assert AidMatch.objects.filter(status="fulfilled").count() == 4

    assert not CrisisCall.objects.exists()
    tally = CrisisTally.objects.get(community=world.community)
    assert (tally.outcome, tally.calls) == ("resolved", 2)
    assert tally.week.weekday() == 0
    assert selectors.outcome_counts(community=world.community) == {"resolved": 2}
    assert AREA.encode() not in raw_bytes()
