"""The clinics' API: the same rules as the pages, bad input refused with a sentence and nothing
written, and what each role is shown."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.care.models.clinics import CrisisCall, QueueEntry, Referral
from dualpower.care.selectors import clinics as selectors
from dualpower.care.services import clinics as services
from dualpower.care.tests.factories_clinics import CLINIC_ROLES, ClinicWorld, make_clinic_world
from dualpower.care.tests.test_clinics_rules import SENDS_PAIRS
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/riverside/care"
ALL_ROLES = (*ROLES, *CLINIC_ROLES)


@pytest.fixture
def world(community: Any, people: dict[str, Any]) -> ClinicWorld:
    return make_clinic_world(community, people)


@pytest.fixture
def as_role(client: Any, world: ClinicWorld) -> Any:
    def make(role: str) -> Any:
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        return client

    return make


def test_the_queue_by_api(as_role: Any, world: ClinicWorld) -> None:
    client = as_role("volunteer")
    made = client.post(f"{API}/clinics/{world.day.pk}/queue", content_type="application/json")
    assert made.status_code == 201
    code = made.json()["code"]
    triage = selectors.stations_of(day=world.day)[1]
    moved = client.post(
        f"{API}/clinics/{world.day.pk}/queue/{code}/move",
        {"station_id": triage.pk},
        content_type="application/json",
    )
    assert moved.status_code == 200 and moved.json()["station"] == "triage"
    board = as_role("member").get(f"{API}/clinics/{world.day.pk}/queue").json()
    assert board["stations"][1]["waiting"] == [code]


def test_a_move_out_of_order_by_api_is_a_409_and_nothing_changes(as_role: Any, world: ClinicWorld) -> None:
    entry = services.queue_join(day=world.day, by=None)
    pharmacy = selectors.stations_of(day=world.day)[3]
    response = as_role("volunteer").post(
        f"{API}/clinics/{world.day.pk}/queue/{entry.code}/move",
        {"station_id": pharmacy.pk},
        content_type="application/json",
    )
    assert response.status_code == 409
    assert "Stations are passed in order" in response.json()["detail"]
    entry.refresh_from_db()
    assert entry.station.kind == "welcome"


@pytest.mark.parametrize("role", ["member", "credentialed", "outsider", "anonymous"])
def test_only_the_days_volunteers_move_the_queue(as_role: Any, world: ClinicWorld, role: str) -> None:
    response = as_role(role).post(f"{API}/clinics/{world.day.pk}/queue", content_type="application/json")
    assert response.status_code in (401, 403)
    assert not QueueEntry.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        {"name": "", "kind": "clinic"},
        {"name": "X", "kind": "hospital"},
        {"name": "X" * 121, "kind": "clinic"},
        {"name": "Eastfield Health Centre", "kind": "clinic"},
        {"kind": "clinic"},
    ],
)
def test_bad_referrals_are_refused_and_nothing_written(as_role: Any, world: ClinicWorld, body: dict) -> None:
    response = as_role("health_coordinator").post(f"{API}/referrals", body, content_type="application/json")
    assert 400 <= response.status_code < 500
    assert Referral.objects.count() == 1


def test_members_read_the_directory_but_do_not_write_it(as_role: Any, world: ClinicWorld) -> None:
    client = as_role("member")
    assert client.get(f"{API}/referrals").json()["items"][0]["name"] == "Eastfield Health Centre"
    assert (
        client.post(
            f"{API}/referrals", {"name": "New", "kind": "other"}, content_type="application/json"
        ).status_code
        == 403
    )


def test_crisis_calls_are_shown_to_those_who_send_pairs_and_to_the_pair(
    as_role: Any, world: ClinicWorld
) -> None:
    assert as_role("dispatcher").get(f"{API}/crisis").status_code == 200
    assert as_role("member").get(f"{API}/crisis").status_code == 403
    assert as_role("member").get(f"{API}/crisis/{world.call.pk}").status_code == 404
    assert as_role("outsider").get(f"{API}/crisis/{world.call.pk}").status_code == 403
    shown = as_role("crisis_peer").get(f"{API}/crisis/{world.call.pk}").json()
    assert shown["code"] == world.call.code and shown["medic"] == "Mo"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_whoever_sees_a_crisis_call_sees_its_aid_request(as_role: Any, world: ClinicWorld, role: str) -> None:
    """The aid request a call went through, by id and code: in the call's detail and in the list,
    for exactly the roles that may see the call (care.view_crisis_call); nobody else sees either."""
    request = world.call.aid_request
    assert request is not None
    client = as_role(role)
    detail = client.get(f"{API}/crisis/{world.call.pk}")
    listed = client.get(f"{API}/crisis")
    if role not in SENDS_PAIRS:
        assert detail.status_code in (401, 403, 404) and listed.status_code in (401, 403)
        assert request.code not in detail.content.decode() + listed.content.decode()
        return
    assert detail.status_code == 200
    assert (detail.json()["aid_request"], detail.json()["aid_request_code"]) == (request.pk, request.code)
    row = next(r for r in listed.json()["items"] if r["id"] == world.call.pk)
    assert (row["aid_request"], row["aid_request_code"]) == (request.pk, request.code)


def test_a_call_whose_aid_request_was_erased_shows_none(as_role: Any, world: ClinicWorld) -> None:
    CrisisCall.objects.filter(pk=world.call.pk).update(aid_request=None)
    shown = as_role("dispatcher").get(f"{API}/crisis/{world.call.pk}").json()
    assert (shown["aid_request"], shown["aid_request_code"]) == (None, None)


def test_the_pair_closes_its_call_by_api(as_role: Any, world: ClinicWorld) -> None:
    client = as_role("medic")
    url = f"{API}/crisis/{world.call.pk}"
    assert (
        client.post(url + "/acknowledge", content_type="application/json").json()["status"] == "acknowledged"
    )
    bad = client.post(url + "/close", {"outcome": "police"}, content_type="application/json")
    assert bad.status_code == 400
    closed = client.post(url + "/close", {"outcome": "referred"}, content_type="application/json")
    assert closed.json()["status"] == "closed"
    world.call.refresh_from_db()
    assert world.call.outcome == CrisisCall.Outcome.REFERRED


def test_warm_line_calls_by_api(as_role: Any, world: ClinicWorld) -> None:
    from django.utils import timezone

    body = {"started_at": timezone.now().isoformat(), "duration_minutes": 12, "topic": "anxiety"}
    assert (
        as_role("member").post(f"{API}/warm-line/calls", body, content_type="application/json").status_code
        == 403
    )
    made = as_role("peer").post(f"{API}/warm-line/calls", body, content_type="application/json")
    assert made.status_code == 201 and set(made.json()) == {"started_at", "duration_minutes", "topic"}
    weeks = as_role("member").get(f"{API}/warm-line/weeks").json()
    assert weeks[0]["topics"] == {"anxiety": 1}


def test_supplies_by_api_show_expired_lots_as_such(as_role: Any, world: ClinicWorld) -> None:
    import datetime as dt

    from django.utils import timezone

    from dualpower.inventory import services as inventory

    item = inventory.item_create(community=world.community, by=None, name="Rapid tests", unit="tests")
    soon = timezone.now() - dt.timedelta(days=3)
    inventory.stock_in(
        item=item, quantity=4, by=None, lot="A-1", expires_on=timezone.localdate(soon), now=soon
    )
    shown = as_role("member").get(f"{API}/supplies").json()
    assert shown["expiring"] == [
        {
            "item_id": item.pk,
            "item": "Rapid tests",
            "unit": "tests",
            "lot": "A-1",
            "expires_on": timezone.localdate(soon).isoformat(),
            "remaining": 4,
            "expired": True,
        }
    ]
    assert as_role("outsider").get(f"{API}/supplies").status_code == 403
