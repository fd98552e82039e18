"""The circle pages and API over every role: who sees the circle, its calendar, a need's details
and the notes (the privacy matrix of issue 16), bad input answered with a sentence, and list pages
whose queries do not grow with the circles."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from dualpower.care.models.circles import Circle, Need
from dualpower.care.services.circles import need_take
from dualpower.care.tests.factories_circles import (
    CIRCLE_ROLES,
    SECRET_DETAILS,
    SECRET_NOTE,
    TEST_KEY,
    CircleWorld,
    circle_for,
    helper_in,
    make_world,
    member,
    need_in,
)
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def circle_world(community: Any, people: dict[str, Any], settings: Any) -> CircleWorld:
    return make_world(community, people, settings)


ALL_ROLES = (*ROLES, *CIRCLE_ROLES)
SEES_CIRCLE = {"member", "keeper", "helper", "notes_helper", "invited"}
SEES_DETAILS = {"member", "keeper", "helper"}  # of the need Hana ("helper") took
SEES_NOTES = {"member", "keeper", "notes_helper"}
RUNS_OR_HELPS = {"member", "keeper", "helper", "notes_helper"}  # who may export (what differs)


def client_as(world: CircleWorld, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def page(world: CircleWorld) -> str:
    return f"/c/{world.community.slug}/care/circles/{world.circle.pk}/"


def api(world: CircleWorld) -> str:
    return f"/api/v1/communities/{world.community.slug}/care/circles/{world.circle.pk}"


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_circle_page_shows_each_role_exactly_what_it_may(circle_world: CircleWorld, role: str) -> None:
    response = client_as(circle_world, role).get(page(circle_world))
    if role == "anonymous":
        assert response.status_code in {302, 401}
        return
    if role not in SEES_CIRCLE:
        # Not even that it exists: the same answer as a circle that does not exist.
        assert response.status_code in {403, 404}
        assert circle_world.circle.title not in response.content.decode()
        return
    assert response.status_code == 200
    body = response.content.decode()
    assert (SECRET_DETAILS.split(",")[0] in body) == (role in SEES_DETAILS)
    assert (SECRET_NOTE.split(";")[0] in body) == (role in SEES_NOTES)
    # The person is named only to those who run the circle.
    assert ("For Mara" in body) == (role in {"member", "keeper"})


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_api_shows_each_role_exactly_what_it_may(circle_world: CircleWorld, role: str) -> None:
    response = client_as(circle_world, role).get(api(circle_world))
    if role == "anonymous":
        assert response.status_code == 401
        return
    if role not in SEES_CIRCLE:
        assert response.status_code in {403, 404}
        assert circle_world.circle.title not in response.content.decode()
        return
    assert response.status_code == 200
    data = response.json()
    details = {n["id"]: n["details"] for n in data["needs"] or []}
    assert (details.get(circle_world.need.pk) == SECRET_DETAILS) == (role in SEES_DETAILS)
    assert details.get(circle_world.open_need.pk) in (None, "Pick up at the clinic door")
    assert (details.get(circle_world.open_need.pk) is not None) == (role in {"member", "keeper"})
    notes = [n["body"] for n in data["notes"] or []]
    assert (SECRET_NOTE in notes) == (role in SEES_NOTES)


def test_another_communitys_member_finds_nothing_in_the_list_nor_the_overview(
    circle_world: CircleWorld,
) -> None:
    client = client_as(circle_world, "outsider")
    slug = circle_world.community.slug
    assert client.get(f"/c/{slug}/care/circles/").status_code == 403
    assert client.get(f"/c/{slug}/care/circles/overview/").status_code == 403
    assert client.get(f"/api/v1/communities/{slug}/care/circles").status_code == 403


def test_the_health_group_sees_counts_and_no_title_nor_person(circle_world: CircleWorld) -> None:
    client = client_as(circle_world, "health_coordinator")
    body = client.get(f"/c/{circle_world.community.slug}/care/circles/overview/").content.decode()
    assert "Open circles" in body
    assert circle_world.circle.title not in body and "Mara" not in body
    data = client.get(f"/api/v1/communities/{circle_world.community.slug}/care/circles/overview").json()
    assert data["open_circles"] == 2 and data["needs_taken"] == 1


def test_taking_a_slot_someone_else_took_is_refused_with_a_sentence(circle_world: CircleWorld) -> None:
    world = circle_world
    url = f"{page(world)}needs/{world.open_need.pk}/take/"
    assert client_as(world, "notes_helper").post(url).status_code == 302
    refused = client_as(world, "helper").post(url, follow=True)
    assert "Someone else took this need" in refused.content.decode()
    assert Need.objects.get(pk=world.open_need.pk).taken_by_id == world.notes_helper.pk
    api_refused = client_as(world, "helper").post(f"{api(world)}/needs/{world.open_need.pk}/take")
    assert api_refused.status_code == 409 and "Someone else took" in api_refused.json()["detail"]


def test_bad_input_is_answered_with_a_sentence_and_nothing_is_written(circle_world: CircleWorld) -> None:
    world = circle_world
    client = client_as(world, "member")
    before = Need.objects.count()
    response = client.post(f"{page(world)}needs/", {"kind": "meal", "starts_at": "", "label": "x" * 500})
    assert response.status_code == 400
    bad = client.post(
        f"{api(world)}/needs",
        {"kind": "spaceship", "starts_at": "2026-12-08T18:00:00+00:00"},
        "application/json",
    )
    assert bad.status_code == 400 and bad.json()["detail"]
    assert Need.objects.count() == before
    assert client.get(f"/c/{world.community.slug}/care/circles/999999/").status_code == 404


def test_the_person_closes_her_circle_and_helpers_no_longer_see_it(circle_world: CircleWorld) -> None:
    world = circle_world
    assert client_as(world, "member").post(f"{page(world)}close/").status_code == 302
    assert Circle.objects.get(pk=world.circle.pk).status == Circle.Status.CLOSED
    assert client_as(world, "helper").get(page(world)).status_code == 404
    assert client_as(world, "member").get(page(world)).status_code == 200


def _queries(client: Client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_list_page_and_the_circle_page_do_not_grow_with_rows(community: Any, settings: Any) -> None:
    settings.DP_AID_KEY = TEST_KEY
    person = member(community, "Mara")
    client = Client()
    assert person.user is not None
    client.force_login(person.user)

    def grow(n: int) -> Circle:
        last = None
        for i in range(n):
            last = circle_for(person, title=f"Circle {i}")
            helper = helper_in(last, member(community, f"Helper {i}-{Circle.objects.count()}"))
            need = need_in(last)
            need_take(need=need, helper=helper)
            need_in(last, kind="ride")
        assert last is not None
        return last

    first = grow(3)
    list_url = f"/c/{community.slug}/care/circles/"
    few = _queries(client, list_url)
    few_detail = _queries(client, f"/c/{community.slug}/care/circles/{first.pk}/")
    grow(27)
    for _ in range(27):
        need_in(first)
    assert _queries(client, list_url) == few
    assert _queries(client, f"/c/{community.slug}/care/circles/{first.pk}/") == few_detail


@pytest.mark.parametrize("role", ALL_ROLES)
def test_the_export_gives_each_role_exactly_what_it_may_take_away(
    circle_world: CircleWorld, role: str
) -> None:
    world = circle_world
    client = client_as(world, role)
    answers = [
        client.get(f"{page(world)}export.json"),
        client.get(f"{page(world)}export.csv"),
        client.get(f"{api(world)}/export"),
    ]
    codes = [a.status_code for a in answers]
    if role == "anonymous":
        assert codes[:2] == [302, 302] and codes[2] == 401
        return
    if role not in RUNS_OR_HELPS:
        assert all(code in (403, 404) for code in codes), codes
        assert not any(world.circle.title in a.content.decode() for a in answers)
        return
    assert codes == [200, 200, 200], codes
    assert answers[0]["Content-Disposition"].startswith("attachment")
    data, csv_text, by_api = answers[0].json(), answers[1].content.decode(), answers[2].json()
    assert data == by_api
    details = sorted(n["details"] for n in data["needs"])
    if role in {"member", "keeper"}:
        # The whole circle, notes and details unsealed for whom it belongs to.
        assert details == sorted([SECRET_DETAILS, "Pick up at the clinic door"])
        assert [n["body"] for n in data["notes"]] == [SECRET_NOTE]
        assert data["circle"]["for"] == "Mara"
        assert {h["name"] for h in data["helpers"]} == {"Hana", "Nico", "Ines"}
        assert "Pick up at the clinic door" in csv_text and SECRET_DETAILS.split(",")[0] in csv_text
        return
    # A helper takes away only the needs they hold: no notes, no pod, no person.
    assert set(data) == {"circle", "needs"} and "for" not in data["circle"]
    assert details == ([SECRET_DETAILS] if role == "helper" else [])
    assert "Pick up at the clinic door" not in csv_text
    assert (SECRET_DETAILS.split(",")[0] in csv_text) == (role == "helper")


def test_after_closing_only_who_runs_the_circle_exports_it(circle_world: CircleWorld) -> None:
    world = circle_world
    assert client_as(world, "member").post(f"{page(world)}close/").status_code == 302
    assert client_as(world, "helper").get(f"{page(world)}export.json").status_code == 404
    assert client_as(world, "keeper").get(f"{page(world)}export.json").json()["circle"]["status"] == "closed"
    assert client_as(world, "keeper").get(f"{page(world)}export.xml").status_code == 404
