"""The clinics' pages: what each role gets, the queue moved from a phone without JavaScript, the
board for a shared screen, and list pages whose queries do not grow with their rows."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from dualpower.care.models.clinics import ClinicWeek, CrisisCall, QueueEntry, WarmLineCall
from dualpower.care.selectors import clinics as selectors
from dualpower.care.services import clinics as services
from dualpower.care.services import clinics_directory as directory
from dualpower.care.tests.factories_clinics import CLINIC_ROLES, ClinicWorld, make_clinic_world
from dualpower.inventory import services as inventory
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db
BASE = "/c/riverside/care"
ALL_ROLES = (*ROLES, *CLINIC_ROLES)
READ = {role: 200 for role in ALL_ROLES} | {"anonymous": 302, "applicant": 403, "outsider": 403}
HEALTH = {role: 403 for role in ALL_ROLES} | {
    "anonymous": 302,
    "coordinator": 200,
    "health_coordinator": 200,
}
SENDERS = HEALTH | {"dispatcher": 200, "medic": 200, "crisis_peer": 200}
# A call is not shown to exist to an admitted member who neither sends pairs nor is in its pair.
CALL = SENDERS | {role: 404 for role in ("observer", "member", "volunteer", "credentialed", "peer")}


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


@pytest.mark.parametrize("role", ALL_ROLES)
def test_pages_answer_each_role(as_role: Any, world: ClinicWorld, role: str) -> None:
    client = as_role(role)
    for url, expected in [
        (f"{BASE}/clinics/", READ),
        (f"{BASE}/clinics/{world.day.pk}/", READ),
        (f"{BASE}/clinics/{world.day.pk}/board/", READ),
        (f"{BASE}/supplies/", READ),
        (f"{BASE}/referrals/", READ),
        (f"{BASE}/referrals/{world.referral.pk}/edit/", HEALTH),
        (f"{BASE}/warm-line/", READ),
        (f"{BASE}/crisis/", SENDERS),
        (f"{BASE}/crisis/{world.call.pk}/", CALL),
    ]:
        status = client.get(url).status_code
        assert status == expected[role], (url, role, status)


def test_a_volunteer_runs_the_queue_from_the_page(as_role: Any, world: ClinicWorld) -> None:
    client = as_role("volunteer")
    response = client.post(f"{BASE}/clinics/{world.day.pk}/join/")
    assert response.status_code == 302
    entry = QueueEntry.objects.get(day=world.day)
    assert f"?code={entry.code}" in response["Location"]
    html = client.get(response["Location"]).content.decode()
    assert entry.code in html and "On to Triage" in html
    triage = selectors.stations_of(day=world.day)[1]
    client.post(f"{BASE}/clinics/{world.day.pk}/move/", {"code": entry.code, "station": triage.pk})
    entry.refresh_from_db()
    assert entry.station == triage


def test_a_move_out_of_order_is_explained_on_the_page(as_role: Any, world: ClinicWorld) -> None:
    entry = services.queue_join(day=world.day, by=None)
    pharmacy = selectors.stations_of(day=world.day)[3]
    client = as_role("volunteer")
    response = client.post(
        f"{BASE}/clinics/{world.day.pk}/move/", {"code": entry.code, "station": pharmacy.pk}, follow=True
    )
    assert "Stations are passed in order" in response.content.decode()
    entry.refresh_from_db()
    assert entry.station.kind == "welcome"


def test_a_member_sees_the_queue_but_cannot_move_it(as_role: Any, world: ClinicWorld) -> None:
    entry = services.queue_join(day=world.day, by=None)
    client = as_role("member")
    html = client.get(f"{BASE}/clinics/{world.day.pk}/").content.decode()
    assert entry.code in html and "On to Triage" not in html
    triage = selectors.stations_of(day=world.day)[1]
    assert (
        client.post(
            f"{BASE}/clinics/{world.day.pk}/move/", {"code": entry.code, "station": triage.pk}
        ).status_code
        == 403
    )


def test_the_board_refreshes_itself_and_shows_only_codes(as_role: Any, world: ClinicWorld) -> None:
    entry = services.queue_join(day=world.day, by=None)
    html = as_role("member").get(f"{BASE}/clinics/{world.day.pk}/board/").content.decode()
    # The codes are fetched again every 15 seconds (htmx), never by reloading the whole page.
    assert 'hx-trigger="every 15s"' in html and 'hx-select="#board"' in html
    assert 'http-equiv="refresh"' not in html
    assert entry.code in html
    assert "<script" not in html.split("</head>")[1]


def test_closing_the_day_from_the_page(as_role: Any, world: ClinicWorld) -> None:
    services.queue_join(day=world.day, by=None)
    assert as_role("volunteer").post(f"{BASE}/clinics/{world.day.pk}/close/").status_code == 403
    as_role("health_coordinator").post(f"{BASE}/clinics/{world.day.pk}/close/")
    assert not QueueEntry.objects.filter(day=world.day).exists()
    assert ClinicWeek.objects.get(community=world.community).people_seen == 1


def test_the_pair_steps_through_its_call(as_role: Any, world: ClinicWorld) -> None:
    client = as_role("medic")
    url = f"{BASE}/crisis/{world.call.pk}/"
    client.post(url + "acknowledge/")
    client.post(url + "arrive/")
    client.post(url + "close/", {"outcome": "resolved"})
    world.call.refresh_from_db()
    assert (world.call.status, world.call.outcome) == (CrisisCall.Status.CLOSED, "resolved")
    assert as_role("dispatcher").post(url + "arrive/").status_code == 403


def test_logging_a_call_from_the_page(as_role: Any, world: ClinicWorld) -> None:
    when = timezone.localtime() - dt.timedelta(minutes=20)
    as_role("peer").post(
        f"{BASE}/warm-line/",
        {"started_at": when.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": "15", "topic": "loneliness"},
    )
    assert WarmLineCall.objects.filter(community=world.community, topic="loneliness").count() == 1
    assert as_role("member").post(f"{BASE}/warm-line/", {}).status_code == 403


def _more_rows(world: ClinicWorld, start: int, n: int) -> None:
    for i in range(start, start + n):
        services.clinic_day_create(
            community=world.community,
            by=None,
            site=f"Site {i}",
            day=timezone.localdate() + dt.timedelta(days=1),
        )
        directory.referral_create(community=world.community, by=None, name=f"Service {i}", kind="other")
        services.queue_join(day=world.day, by=None)
        WarmLineCall.objects.create(
            community=world.community, started_at=timezone.now(), duration_minutes=5, topic="other"
        )
        CrisisCall.objects.create(
            community=world.community,
            code=f"X{i:03d}",
            situation="other",
            area="Somewhere",
            dispatched_at=timezone.now(),
        )
        item = inventory.item_create(community=world.community, by=None, name=f"Test kit {i}", unit="kits")
        inventory.stock_in(
            item=item,
            quantity=1,
            by=None,
            lot=f"L{i}",
            expires_on=timezone.localdate() + dt.timedelta(days=5),
        )


def _count(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_list_pages_do_not_grow_with_their_rows(as_role: Any, world: ClinicWorld) -> None:
    client = as_role("coordinator")
    urls = [
        f"{BASE}/clinics/",
        f"{BASE}/clinics/{world.day.pk}/",
        f"{BASE}/clinics/{world.day.pk}/board/",
        f"{BASE}/referrals/",
        f"{BASE}/warm-line/",
        f"{BASE}/crisis/",
        f"{BASE}/supplies/",
    ]
    _more_rows(world, 0, 3)
    few = {url: _count(client, url) for url in urls}
    _more_rows(world, 100, 27)
    many = {url: _count(client, url) for url in urls}
    assert many == few


def test_the_health_group_sets_the_warm_line_rota(as_role: Any, world: ClinicWorld) -> None:
    from dualpower.care.models.clinics import CareRota

    body = {"kind": "warm_line", "series": str(world.crisis.pk)}
    assert as_role("member").post(f"{BASE}/rota/", body).status_code == 403
    page = as_role("health_coordinator").get(f"{BASE}/warm-line/").content.decode()
    assert "Choose the rota" in page
    as_role("health_coordinator").post(f"{BASE}/rota/", body)
    assert CareRota.objects.get(community=world.community, kind="warm_line").series == world.crisis


def test_the_pair_finds_its_call_on_the_dashboard(rf: Any, world: ClinicWorld) -> None:
    from dualpower.care.widgets import crisis_calls_panel

    request = rf.get("/")
    request.user = world.users["medic"]
    panel = crisis_calls_panel(request, world.community)
    assert panel is not None and panel.context["calls"] == [world.call]
    request.user = world.users["dispatcher"]
    assert crisis_calls_panel(request, world.community) is None
