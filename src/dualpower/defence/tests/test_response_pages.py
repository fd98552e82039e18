"""The rapid response and eviction defence pages: a report from the phone form to the verifier's
button to the responder's answer; refusals; and every list page reads the same number of queries
with 3 rows as with 30."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from dualpower.defence.models.response import EvictionCase, Incident, Response
from dualpower.defence.selectors import response as response_selectors
from dualpower.defence.services import response_bans as bans
from dualpower.defence.services import response_cases as cases
from dualpower.defence.services import response_incidents as incidents
from dualpower.defence.tests.factories_response import SECRET_SEEN, DefenceWorld, report

pytestmark = pytest.mark.django_db


def _as(client: Any, membership: Any) -> Any:
    client.logout()
    client.force_login(membership.user)
    return client


def _url(world: DefenceWorld, name: str, *args: Any) -> str:
    return reverse(f"defence:{name}", args=[world.community.slug, *args])


def test_from_report_to_an_acknowledged_response(client: Any, world: DefenceWorld) -> None:
    answer = _as(client, world.member).post(
        _url(world, "report"), {"kind": "raid", "area": "North", "when": "0", "seen": SECRET_SEEN}
    )
    assert answer.status_code == 302
    incident = Incident.objects.get()
    assert not Response.objects.exists()
    page = _as(client, world.verifier).get(_url(world, "incident", incident.code))
    assert SECRET_SEEN in page.content.decode()
    assert client.post(_url(world, "step", incident.code, "verify")).status_code == 302
    assert Response.objects.filter(incident=incident).count() == 2
    page = _as(client, world.responder).get(_url(world, "incident", incident.code))
    assert "Acknowledged" in page.content.decode()
    client.post(_url(world, "step", incident.code, "respond"), {"state": "acknowledged"})
    assert Response.objects.get(incident=incident, membership=world.responder).state == "acknowledged"
    page = _as(client, world.verifier).get(_url(world, "incident", incident.code)).content.decode()
    assert world.responder.display_name in page and "Acknowledged" in page


def test_a_bad_report_is_refused_with_a_sentence(client: Any, world: DefenceWorld) -> None:
    answer = _as(client, world.member).post(_url(world, "report"), {"kind": "raid", "area": "Main St 14"})
    assert answer.status_code == 400
    assert "Select a valid choice" in answer.content.decode() or "area" in answer.content.decode()
    assert not Incident.objects.exists()


def test_an_incident_is_not_found_to_who_may_not_see_it(client: Any, world: DefenceWorld) -> None:
    incident = report(world)
    for who in (world.coordinator, world.far_responder):
        assert _as(client, who).get(_url(world, "incident", incident.code)).status_code == 404
    assert _as(client, world.member).get(_url(world, "incident", incident.code)).status_code == 200


def test_a_member_cannot_verify(client: Any, world: DefenceWorld) -> None:
    incident = report(world)
    answer = _as(client, world.member).post(_url(world, "step", incident.code, "verify"))
    assert answer.status_code == 403
    assert Incident.objects.get(pk=incident.pk).status == "reported"


def test_phone_numbers_only_for_the_rota_coordinators(client: Any, world: DefenceWorld) -> None:
    page = _as(client, world.coordinator).get(_url(world, "phones"))
    assert "+34 600 111 222" in page.content.decode()
    assert _as(client, world.responder).get(_url(world, "phones")).status_code == 403


def test_the_eviction_board_and_a_court_date_with_its_vigil(client: Any, world: DefenceWorld) -> None:
    _as(client, world.coordinator).post(
        _url(world, "case_new"), {"household": "hh-9", "landlord": "Crestline"}
    )
    case = EvictionCase.objects.get()
    soon = timezone.localtime(timezone.now() + dt.timedelta(days=5))
    answer = client.post(
        _url(world, "case", case.pk),
        {
            "kind": "hearing",
            "day": soon.date().isoformat(),
            "time": "10:30",
            "place": "Room 3",
            "vigil_places": "4",
            "support_places": "2",
        },
    )
    assert answer.status_code == 302
    date = case.court_dates.get()
    assert date.support is not None
    assert {s.label for s in date.support.slot_templates.all()} == {"Vigil", "Court support"}
    page = _as(client, world.member).get(_url(world, "cases")).content.decode()
    assert "HH-9" in page and "Crestline" in page


def _counted(client: Any, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def _incidents(world: DefenceWorld, n: int) -> None:
    for i in range(n):
        made = report(world, area=["North", "Riverside"][i % 2])
        if i % 3 == 0:
            incidents.incident_verify(incident=made, by=world.verifier)


def _cases(world: DefenceWorld, n: int, start: int) -> None:
    for i in range(start, start + n):
        case = cases.case_open(
            community=world.community, by=world.coordinator, household=f"HH-{i}", landlord="L"
        )
        cases.court_date_add(case=case, by=world.coordinator, at=timezone.now() - dt.timedelta(days=3))


def _pages(world: DefenceWorld, n: int, start: int) -> None:
    for i in range(start, start + n):
        cases.rights_page_save(
            community=world.community, by=world.coordinator, title=f"Page {i}", body="Text", language="en"
        )


@pytest.mark.parametrize(
    ("who", "page", "fill"),
    [
        ("verifier", "hub", lambda w, n, s: _incidents(w, n)),
        ("member", "cases", _cases),
        ("member", "rights", _pages),
        ("coordinator", "phones", None),
    ],
)
def test_list_pages_do_not_grow_with_rows(
    client: Any, world: DefenceWorld, who: str, page: str, fill: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(bans, "MEMBER_PER_HOUR", 100)  # thirty reports by one member in a minute
    _as(client, getattr(world, who))
    url = _url(world, page)
    if fill is None:  # the phone list: the world's people on call, then 27 more
        from dualpower.defence.services.response_settings import on_call_profile_set
        from dualpower.members.tests.factories import make_membership

        few = _counted(client, url)
        for i in range(27):
            on_call_profile_set(
                membership=make_membership(world.community, name=f"P{i}"), areas=["North"], phone="1"
            )
        assert _counted(client, url) == few
        return
    fill(world, 3, 0)
    client.get(url)  # warm the per-process caches (menu, frame)
    few = _counted(client, url)
    fill(world, 27, 100)
    assert _counted(client, url) == few


def test_the_dashboard_shows_an_alert_and_a_report_to_verify(client: Any, world: DefenceWorld) -> None:
    incident = report(world, area="North")
    home = f"/c/{world.community.slug}/"
    assert "1 report waits for verification" in _as(client, world.verifier).get(home).content.decode()
    incidents.incident_verify(incident=incident, by=world.verifier)
    page = _as(client, world.responder).get(home).content.decode()
    assert "1 alert for you" in page and incident.code in page
    assert "alert for you" not in _as(client, world.far_responder).get(home).content.decode()


def test_the_eviction_board_shows_open_cases_first_then_the_latest(world: DefenceWorld) -> None:
    for household, status in (("hh-1", "open"), ("hh-2", "evicted"), ("hh-3", "stayed"), ("hh-4", "open")):
        closed = None if status == "open" else timezone.now()
        EvictionCase.objects.create(
            community=world.community,
            household=household,
            landlord="Crestline",
            status=status,
            closed_at=closed,
        )
    shown = [c.household for c in response_selectors.cases_page(community=world.community, limit=20)]
    # "evicted" sorts before "open" by its code: the board orders by whether a case is still open.
    assert shown == ["hh-4", "hh-1", "hh-3", "hh-2"]
