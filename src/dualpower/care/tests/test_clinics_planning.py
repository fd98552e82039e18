"""Planning a clinic day with its own order of stations (the queue follows that order), and the
API to plan and close a day and to keep the referral directory, over every role."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from dualpower.care.models.clinics import ClinicDay, ClinicWeek, Referral
from dualpower.care.selectors import clinics as selectors
from dualpower.care.services import clinics as services
from dualpower.care.tests.factories_clinics import CLINIC_ROLES, ClinicWorld, make_clinic_world
from dualpower.errors import Conflict
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db
PAGE = "/c/riverside/care/clinics/"
API = "/api/v1/communities/riverside/care"
ALL_ROLES = (*ROLES, *CLINIC_ROLES)
PLANS = {"coordinator", "health_coordinator"}


@pytest.fixture
def world(community: Any, people: dict[str, Any]) -> ClinicWorld:
    return make_clinic_world(community, people)


def _tomorrow() -> str:
    return (timezone.localdate() + dt.timedelta(days=1)).isoformat()


def test_the_queue_follows_the_order_chosen_for_the_day(world: ClinicWorld) -> None:
    day = services.clinic_day_create(
        community=world.community,
        by=None,
        site="Eastfield",
        day=timezone.localdate(),
        stations=["triage", "welcome", "pharmacy"],
    )
    triage, welcome, pharmacy = selectors.stations_of(day=day)
    assert [s.kind for s in (triage, welcome, pharmacy)] == ["triage", "welcome", "pharmacy"]
    entry = services.queue_join(day=day, by=None)
    assert entry.station == triage
    with pytest.raises(Conflict, match="Stations are passed in order"):
        services.queue_move(day=day, code=entry.code, to=pharmacy, by=None)
    assert services.queue_move(day=day, code=entry.code, to=welcome, by=None).station == welcome
    assert services.queue_move(day=day, code=entry.code, to=pharmacy, by=None).station == pharmacy


def test_the_planner_chooses_stations_and_their_order_on_the_page(client: Any, world: ClinicWorld) -> None:
    client.force_login(world.users["health_coordinator"])
    form = client.get(PAGE).content.decode()
    assert 'name="station_welcome"' in form and "Not this day" in form
    body = {"site": "Northbank hall", "day": _tomorrow(), "start_time": "10:00"}
    places = {"station_welcome": "2", "station_triage": "1", "station_referral": "3"}
    made = client.post(PAGE, body | places | {"station_consultation": "", "station_pharmacy": ""})
    assert made.status_code == 302
    day = ClinicDay.objects.get(site="Northbank hall")
    assert [s.kind for s in selectors.stations_of(day=day)] == ["triage", "welcome", "referral"]
    twice = client.post(PAGE, body | {"site": "Other", "station_welcome": "1", "station_triage": "1"})
    assert twice.status_code == 400 and "its own place in the order" in twice.content.decode()
    none = client.post(PAGE, body | {"site": "Other"} | {f"station_{k}": "" for k in ("welcome", "triage")})
    assert none.status_code == 400
    assert not ClinicDay.objects.filter(site="Other").exists()


def _plan_close_edit_remove(client: Any, world: ClinicWorld) -> list[Any]:
    referral = f"{API}/referrals/{world.referral.pk}"
    plan = {
        "site": "Southside",
        "day": _tomorrow(),
        "stations": ["welcome", "pharmacy"],
        "shifts": {"nurse": 1},
    }
    return [
        client.post(f"{API}/clinics", plan, content_type="application/json"),
        client.patch(referral, {"cost": "Sliding scale"}, content_type="application/json"),
        client.post(f"{API}/clinics/{world.day.pk}/close", content_type="application/json"),
        client.delete(referral),
    ]


def test_only_the_health_group_plans_closes_and_keeps_the_directory_by_api(
    client: Any, world: ClinicWorld
) -> None:
    services.queue_join(day=world.day, by=None)
    for role in ALL_ROLES:
        if role in PLANS:
            continue
        client.logout()
        if role != "anonymous":
            client.force_login(world.users[role])
        codes = [a.status_code for a in _plan_close_edit_remove(client, world)]
        assert codes == ([401] * 4 if role == "anonymous" else [403] * 4), (role, codes)
    assert not ClinicDay.objects.filter(site="Southside").exists()
    assert Referral.objects.get(pk=world.referral.pk).cost == "Free"
    assert ClinicDay.objects.get(pk=world.day.pk).status == "open"


@pytest.mark.parametrize("role", sorted(PLANS))
def test_the_health_group_plans_closes_and_keeps_the_directory_by_api(
    client: Any, world: ClinicWorld, role: str
) -> None:
    client.force_login(world.users[role])
    services.queue_join(day=world.day, by=None)
    answers = _plan_close_edit_remove(client, world)
    assert [a.status_code for a in answers] == [201, 200, 200, 204], answers[0].content
    planned = ClinicDay.objects.get(pk=answers[0].json()["id"])
    assert [s.kind for s in selectors.stations_of(day=planned)] == ["welcome", "pharmacy"]
    assert planned.series is not None
    assert answers[1].json()["cost"] == "Sliding scale"
    assert answers[2].json()["status"] == "closed" and answers[2].json()["people_seen"] == 1
    assert ClinicWeek.objects.get(community=world.community).people_seen == 1
    assert not Referral.objects.filter(pk=world.referral.pk).exists()


BAD_PLANS: list[dict[str, Any]] = [
    {"site": "", "day": "2099-01-01"},
    {"site": "Late", "day": "2000-01-01"},
    {"site": "Twice", "day": "2099-01-01", "stations": ["welcome", "welcome"]},
    {"site": "Odd", "day": "2099-01-01", "stations": ["x-ray"]},
    {"site": "None", "day": "2099-01-01", "stations": []},
    {"site": "Minus", "day": "2099-01-01", "shifts": {"nurse": -1}},
    {"site": "Dentist", "day": "2099-01-01", "shifts": {"dentist": 1}},
    {"site": "Hillcrest community centre", "day": "SAME"},
]


def test_a_bad_plan_by_api_is_refused_with_a_sentence_and_nothing_written(
    client: Any, world: ClinicWorld
) -> None:
    client.force_login(world.users["health_coordinator"])
    before = ClinicDay.objects.count()
    for bad in BAD_PLANS:
        body = bad | {"day": world.day.day.isoformat()} if bad["day"] == "SAME" else bad
        response = client.post(f"{API}/clinics", body, content_type="application/json")
        assert 400 <= response.status_code < 500 and response.json()["detail"], (body, response.content)
    assert ClinicDay.objects.count() == before


def test_bad_referral_edits_by_api_are_refused_and_nothing_changes(client: Any, world: ClinicWorld) -> None:
    client.force_login(world.users["health_coordinator"])
    url = f"{API}/referrals/{world.referral.pk}"
    other = client.post(
        f"{API}/referrals",
        {"name": "Harbour Counselling", "kind": "counselling"},
        content_type="application/json",
    )
    assert other.status_code == 201
    assert client.patch(url, {"kind": "hospital"}, content_type="application/json").status_code == 400
    taken = client.patch(url, {"name": "harbour counselling"}, content_type="application/json")
    assert taken.status_code == 409 and taken.json()["detail"]
    assert client.patch(url, {"name": ""}, content_type="application/json").status_code in (400, 422)
    assert client.delete(f"{API}/referrals/999999").status_code == 404
    fresh = Referral.objects.get(pk=world.referral.pk)
    assert (fresh.name, fresh.kind) == ("Eastfield Health Centre", "clinic")
