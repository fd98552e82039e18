"""The panels' pages and API: status codes per role, the steps of a draw, bad input, privacy."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

import pytest

from dualpower.members.tests.factories import ROLES
from dualpower.panels.models import Panel, Volunteer
from dualpower.panels.tests.factories import QUOTAS, PanelFactory, drawn, fill

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/riverside/panels"
READ = {
    "anonymous": 302,
    "applicant": 403,
    "outsider": 403,
    "observer": 200,
    "member": 200,
    "coordinator": 200,
}
RUN = {**READ, "observer": 403, "member": 403}
API_READ = {**READ, "anonymous": 401}
API_RUN = {**RUN, "anonymous": 401}
ANSWERS = {"neighbourhood": "Riverside", "age band": "under 40"}


def call(client: Any, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(path, data=data, content_type="application/json")


@pytest.fixture
def panel(community: Any, people: Any) -> Panel:
    return PanelFactory.create(community=community)


@pytest.mark.parametrize(
    ("suffix", "expected"),
    [
        ("", READ),
        ("new/", RUN),
        ("{pk}/", READ),
        ("{pk}/edit/", RUN),
        ("{pk}/volunteers/", RUN),
        ("{pk}/reproduce/", READ),
        ("{pk}/export.json", READ),
        ("{pk}/pool.csv", READ),
    ],
)
@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_each_role(
    client_for: Any, panel: Panel, role: str, suffix: str, expected: dict
) -> None:
    response = client_for(role).get("/c/riverside/panels/" + suffix.format(pk=panel.pk))
    assert response.status_code == expected[role]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_volunteer_on_the_page(client_for: Any, panel: Panel, role: str) -> None:
    data = {"f0": "Riverside", "f1": "under 40"}
    response = client_for(role).post(f"/c/riverside/panels/{panel.pk}/volunteer/", data)
    allowed = role in {"member", "coordinator"}
    assert response.status_code == (302 if allowed else 401 if role == "anonymous" else 403)
    assert Volunteer.objects.count() == (1 if allowed else 0)


def test_a_volunteer_sees_their_pseudonym_not_others_answers(client_for: Any, panel: Panel) -> None:
    others = fill(panel)
    client = client_for("member")
    client.post(f"/c/riverside/panels/{panel.pk}/volunteer/", {"f0": "Hillcrest", "f1": "40 and over"})
    mine = Volunteer.objects.get(membership__display_name="Mara")
    html = client.get(f"/c/riverside/panels/{panel.pk}/").content.decode()
    assert mine.public_id in html
    assert others[0].display_name not in html
    assert client.get(f"/c/riverside/panels/{panel.pk}/volunteers/").status_code == 403
    coordinator_view = (
        client_for("coordinator").get(f"/c/riverside/panels/{panel.pk}/volunteers/").content.decode()
    )
    assert others[0].display_name in coordinator_view and "Mara" in coordinator_view


def test_a_bad_answer_on_the_page_is_a_400_with_the_form(client_for: Any, panel: Panel) -> None:
    response = client_for("member").post(f"/c/riverside/panels/{panel.pk}/volunteer/", {"f0": "Mars"})
    assert response.status_code == 400
    assert not Volunteer.objects.exists()


def test_a_coordinator_runs_the_whole_draw_on_the_pages(client_for: Any, panel: Panel) -> None:
    fill(panel)
    client = client_for("coordinator")
    base = f"/c/riverside/panels/{panel.pk}/"
    assert client.post(base + "draw/").status_code == 302  # refused with a message
    panel.refresh_from_db()
    assert panel.state == Panel.State.OPEN
    assert client.post(base + "close/", {"seed_source": ""}).status_code == 400
    assert client.post(base + "close/", {"seed_source": "The lottery of 5 December"}).status_code == 302
    html = client.get(base).content.decode()
    assert "Everyone&#x27;s chance of selection" in html or "Everyone's chance of selection" in html
    assert client.post(base + "seed/", {"seed": "4 17 23 31 42"}).status_code == 302
    assert client.post(base + "draw/").status_code == 302
    panel.refresh_from_db()
    assert panel.state == Panel.State.DRAWN
    html = client.get(base).content.decode()
    assert "4 17 23 31 42" in html
    rows = list(csv.reader(io.StringIO(client.get(base + "pool.csv").content.decode())))
    assert rows[0] == ["id", "neighbourhood", "age band", "probability", "selected"]
    assert sum(1 for row in rows[1:] if row[-1] == "yes") == 4


def test_a_coordinator_sets_up_a_panel_on_the_page(client_for: Any, community: Any, people: Any) -> None:
    data = {
        "title": "Budget jury",
        "size": "4",
        "objective": "maximin",
        "quotas": "gender: woman 1-3, man 1-3\nage band: young 1-3, older 1-3",
    }
    response = client_for("coordinator").post("/c/riverside/panels/new/", data)
    assert response.status_code == 302
    panel = Panel.objects.get()
    assert panel.features.count() == 2


@pytest.mark.parametrize(
    ("quotas", "message"),
    [
        ("gender woman 1-3", "colon"),
        ("gender: woman, man 1-3", "like “woman 4-6”"),
        ("gender: woman 3-4, man 3-4", "minimums for “gender”"),
    ],
)
def test_bad_quotas_on_the_page_are_explained(
    client_for: Any, people: Any, quotas: str, message: str
) -> None:
    data = {"title": "Jury", "size": "4", "objective": "maximin", "quotas": quotas}
    response = client_for("coordinator").post("/c/riverside/panels/new/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Panel.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_api_reads_per_role(client_for: Any, panel: Panel, role: str) -> None:
    client = client_for(role)
    assert client.get(API).status_code == API_READ[role]
    assert client.get(f"{API}/{panel.pk}").status_code == API_READ[role]
    assert client.get(f"{API}/{panel.pk}/export").status_code == API_READ[role]
    assert client.get(f"{API}/{panel.pk}/volunteers").status_code == API_RUN[role]


def test_the_api_list_shows_each_panels_quotas_as_its_page_does(
    client_for: Any, community: Any, panel: Panel
) -> None:
    other = PanelFactory.create(community=community, features={"street": {"Elm": (0, 2), "Oak": (1, 2)}})
    client = client_for("member")
    listed = {row["id"]: row["quotas"] for row in client.get(API).json()["items"]}
    assert listed == {p.pk: client.get(f"{API}/{p.pk}").json()["quotas"] for p in (panel, other)}
    assert list(listed[panel.pk]) == list(QUOTAS) and listed[other.pk] == {
        "street": {"Elm": [0, 2], "Oak": [1, 2]}
    }


@pytest.mark.parametrize("role", ROLES)
def test_api_who_may_create_a_panel(client_for: Any, people: Any, role: str) -> None:
    body = {"title": "Jury", "size": 4, "quotas": QUOTAS}
    response = call(client_for(role), "post", API, body)
    assert response.status_code == {**API_RUN, "coordinator": 201}[role]
    assert Panel.objects.count() == (1 if role == "coordinator" else 0)


@pytest.mark.parametrize(
    "body",
    [
        {"title": "Jury", "size": "four", "quotas": QUOTAS},
        {"title": "Jury", "size": 4, "quotas": {"gender": {"woman": [5, 1], "man": [0, 4]}}},
        {"title": "", "size": 4, "quotas": QUOTAS},
        {"title": "Jury", "size": 4, "objective": "random", "quotas": QUOTAS},
    ],
)
def test_api_bad_panels_are_4xx_and_write_nothing(client_for: Any, people: Any, body: dict) -> None:
    response = call(client_for("coordinator"), "post", API, body)
    assert 400 <= response.status_code < 500
    assert "detail" in response.json()
    assert not Panel.objects.exists()


@pytest.mark.parametrize("role", ROLES)
def test_api_who_may_volunteer(client_for: Any, panel: Panel, role: str) -> None:
    response = call(client_for(role), "post", f"{API}/{panel.pk}/volunteers", {"answers": ANSWERS})
    assert response.status_code == {**API_RUN, "member": 201, "coordinator": 201}[role]


def test_api_the_draw_in_order(client_for: Any, panel: Panel) -> None:
    fill(panel)
    client = client_for("coordinator")
    assert call(client, "post", f"{API}/{panel.pk}/draw").json()["code"] == "conflict"
    assert call(client, "post", f"{API}/{panel.pk}/seed", {"seed": "1 2 3"}).status_code == 409
    closed = call(client, "post", f"{API}/{panel.pk}/close", {"seed_source": "The lottery"})
    assert closed.status_code == 200 and len(closed.json()["lottery_fingerprint"]) == 64
    assert call(client, "post", f"{API}/{panel.pk}/seed", {"seed": "1 2 3"}).status_code == 200
    done = call(client, "post", f"{API}/{panel.pk}/draw")
    assert done.status_code == 200 and done.json()["state"] == "drawn"
    assert call(client, "post", f"{API}/{panel.pk}/draw").status_code == 409
    export = client_for("observer").get(f"{API}/{panel.pk}/export").json()
    assert len(export["selected"]) == 4 and export["seed"] == "1 2 3"


def test_a_member_sees_their_own_volunteering_in_the_api(client_for: Any, panel: Panel) -> None:
    client = client_for("member")
    assert client.get(f"{API}/{panel.pk}/volunteers/me").status_code == 403
    call(client, "post", f"{API}/{panel.pk}/volunteers", {"answers": ANSWERS})
    assert client.get(f"{API}/{panel.pk}/volunteers/me").json()["answers"] == ANSWERS
    assert call(client, "delete", f"{API}/{panel.pk}/volunteers/me").status_code == 204


def test_another_communitys_panel_is_not_found(client_for: Any, panel: Panel, other_community: Any) -> None:
    theirs = PanelFactory.create(community=other_community)
    assert client_for("coordinator").get(f"{API}/{theirs.pk}").status_code == 404
    assert client_for("coordinator").get(f"/c/riverside/panels/{theirs.pk}/").status_code == 404


def test_the_dashboard_offers_open_panels_to_members_who_have_not_volunteered(
    rf: Any, panel: Panel, people: Any
) -> None:
    from django.template.loader import render_to_string

    from dualpower.panels.widgets import open_panels_panel

    request = rf.get("/c/riverside/")
    request.user = people["member"]
    found = open_panels_panel(request, panel.community)
    assert found is not None and found.context["panels"] == [panel]
    html = render_to_string(found.template, {**found.context, "community": panel.community})
    assert panel.title in html and "4 seats" in html
    request.user = people["observer"]
    assert open_panels_panel(request, panel.community) is None
    fill(panel, [("Riverside", "under 40")])
    request.user = people["member"]
    Volunteer.objects.update(membership=panel.community.memberships.get(display_name="Mara"))
    assert open_panels_panel(request, panel.community) is None


def test_a_drawn_panel_lists_its_members(client_for: Any, panel: Panel) -> None:
    fill(panel)
    drawn(panel)
    selected = Volunteer.objects.filter(selected=True).select_related("membership")
    html = client_for("observer").get(f"/c/riverside/panels/{panel.pk}/").content.decode()
    assert all(v.membership.display_name in html for v in selected)
