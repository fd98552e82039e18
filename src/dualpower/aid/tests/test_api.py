"""The aid API: who may do what (a role matrix per action), and bad input refused with a sentence
and nothing written."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dualpower.aid import services
from dualpower.aid.models import AidMatch, AidOffer, AidRequest
from dualpower.aid.tests.factories import AidWorld, make_request
from dualpower.community.models import AuditEntry

pytestmark = pytest.mark.django_db

ROLES = (
    "anonymous",
    "applicant",
    "observer",
    "member",
    "other_volunteer",
    "matched_volunteer",
    "dispatcher",
    "coordinator",
    "outsider",
)
ADMITTED = {"observer", "member", "other_volunteer", "matched_volunteer", "dispatcher", "coordinator"}


def client_as(world: AidWorld, role: str) -> Client:
    client = Client()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def base(world: AidWorld) -> str:
    return f"/api/v1/communities/{world.community.slug}/aid"


NEW_REQUEST: dict[str, Any] = {
    "category": "food",
    "description": "Groceries for the week",
    "neighbourhood": "Old Market",
    "quantity": 1,
    "details": {"contact": "+34 600 000 000"},
}


@pytest.mark.parametrize("role", ROLES)
def test_anyone_admitted_can_ask_for_help(world: AidWorld, role: str) -> None:
    response = client_as(world, role).post(
        f"{base(world)}/requests", NEW_REQUEST, content_type="application/json"
    )
    expected = 201 if role in ADMITTED else (401 if role == "anonymous" else 403)
    assert response.status_code == expected, response.content
    assert AidRequest.objects.filter(description="Groceries for the week").exists() is (role in ADMITTED)
    if expected == 201:
        assert response.json()["details"]["contact"] == "+34 600 000 000"  # the requester sees their own


@pytest.mark.parametrize("role", ROLES)
def test_only_dispatchers_take_requests_by_phone(world: AidWorld, role: str) -> None:
    payload = {**NEW_REQUEST, "contact_channel": "phone", "details": {"name": "Ana", "contact": "600 1"}}
    response = client_as(world, role).post(f"{base(world)}/intake", payload, content_type="application/json")
    assert (response.status_code == 201) is (role == "dispatcher"), response.content
    if role == "dispatcher":
        body = response.json()
        assert body["details"]["name"] == "Ana" and body["contact_channel"] == "phone"
        assert "Ana" not in body["code"]


@pytest.mark.parametrize("role", ROLES)
def test_members_who_see_a_request_can_take_it_on(world: AidWorld, role: str) -> None:
    request = make_request(world)
    response = client_as(world, role).post(
        f"{base(world)}/requests/{request.code}/accept", {}, content_type="application/json"
    )
    # Observers see the request but do not take part; the requester cannot take their own.
    may = role in {"other_volunteer", "matched_volunteer", "dispatcher", "coordinator"}
    assert (response.status_code == 201) is may, (role, response.content)
    assert AidMatch.objects.filter(request=request).exists() is may


def test_a_match_walks_through_the_api_to_fulfilment_and_feedback(world: AidWorld) -> None:
    request = make_request(world)
    volunteer, requester = client_as(world, "matched_volunteer"), client_as(world, "member")
    accepted = volunteer.post(
        f"{base(world)}/requests/{request.code}/accept",
        {"offer": world.food_offer.pk},
        content_type="application/json",
    )
    assert accepted.status_code == 201
    mid = accepted.json()["id"]
    assert volunteer.get(f"{base(world)}/requests/{request.code}").json()["details"] is None
    confirmed = requester.post(f"{base(world)}/matches/{mid}/confirm", {}, content_type="application/json")
    assert confirmed.json()["status"] == "confirmed"
    assert volunteer.get(f"{base(world)}/requests/{request.code}").json()["details"]["address"]
    assert volunteer.post(f"{base(world)}/matches/{mid}/start").json()["status"] == "in_progress"
    done = volunteer.post(
        f"{base(world)}/matches/{mid}/deliver", {"delivered": 2}, content_type="application/json"
    )
    assert done.json()["status"] == "fulfilled"
    fb = requester.post(
        f"{base(world)}/matches/{mid}/feedback", {"text": "Thanks"}, content_type="application/json"
    )
    assert fb.json()["requester_feedback"] == "Thanks"
    assert requester.get(f"{base(world)}/requests/{request.code}").json()["status"] == "fulfilled"


def test_the_second_volunteer_gets_a_409_with_a_sentence(world: AidWorld) -> None:
    request = make_request(world)
    url = f"{base(world)}/requests/{request.code}/accept"
    first = client_as(world, "matched_volunteer").post(url, {}, content_type="application/json")
    assert first.status_code == 201
    second = client_as(world, "other_volunteer").post(url, {}, content_type="application/json")
    assert second.status_code == 409
    assert second.json()["code"] == "conflict" and "already taken" in second.json()["detail"]
    assert AidMatch.objects.filter(request=request).count() == 1


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({**NEW_REQUEST, "neighbourhood": "22 Acacia Avenue"}, "neighbourhood"),
        ({**NEW_REQUEST, "category": "spaceships"}, "category"),
        ({**NEW_REQUEST, "quantity": 0}, None),
        ({**NEW_REQUEST, "quantity": "3"}, None),
        ({**NEW_REQUEST, "description": "   "}, "description"),
        ({**NEW_REQUEST, "privacy": "everyone"}, "privacy"),
        ({**NEW_REQUEST, "details": {"passport": "X123"}}, "details"),
        (
            {**NEW_REQUEST, "window_start": "2026-12-02T10:00:00Z", "window_end": "2026-12-01T10:00:00Z"},
            "window_end",
        ),
    ],
)
def test_bad_requests_are_refused_with_a_sentence_and_nothing_written(
    world: AidWorld, payload: dict[str, Any], field: str | None
) -> None:
    before = (AidRequest.objects.count(), AuditEntry.objects.count())
    response = client_as(world, "member").post(
        f"{base(world)}/requests", payload, content_type="application/json"
    )
    assert response.status_code in (400, 422), response.content
    assert response.json()["detail"]
    if field:
        assert response.json().get("field") == field
    assert (AidRequest.objects.count(), AuditEntry.objects.count()) == before


def test_a_quantity_over_what_is_requested_is_refused_and_nothing_written(world: AidWorld) -> None:
    request = make_request(world, quantity=2)
    before = AuditEntry.objects.count()
    response = client_as(world, "matched_volunteer").post(
        f"{base(world)}/requests/{request.code}/accept", {"quantity": 5}, content_type="application/json"
    )
    assert response.status_code == 400 and "asks for 2" in response.json()["detail"]
    request.refresh_from_db()
    assert request.quantity_committed == 0 and AuditEntry.objects.count() == before


def test_a_match_on_a_closed_request_is_a_409_and_nothing_written(world: AidWorld) -> None:
    request = make_request(world)
    cancel = f"{base(world)}/requests/{request.code}/cancel"
    assert client_as(world, "member").post(cancel, {}, content_type="application/json").status_code == 200
    before = AuditEntry.objects.count()
    dispatcher = client_as(world, "dispatcher")
    for url, payload in (
        (f"{base(world)}/requests/{request.code}/accept", {}),
        (f"{base(world)}/requests/{request.code}/matches", {"offer": world.food_offer.pk}),
    ):
        response = dispatcher.post(url, payload, content_type="application/json")
        assert response.status_code in (403, 409), response.content
    assert not AidMatch.objects.filter(request=request).exists()
    assert AuditEntry.objects.count() == before


def test_dispatchers_get_suggestions_and_propose(world: AidWorld) -> None:
    request = make_request(world)
    dispatcher = client_as(world, "dispatcher")
    found = dispatcher.get(f"{base(world)}/requests/{request.code}/suggestions").json()
    assert found[0]["offer"]["id"] == world.food_offer.pk and found[0]["reasons"]
    made = dispatcher.post(
        f"{base(world)}/requests/{request.code}/matches",
        {"offer": world.food_offer.pk},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["volunteer"] == "Vic"
    assert (
        client_as(world, "member").get(f"{base(world)}/requests/{request.code}/suggestions").status_code
        == 403
    )


def test_assign_all_is_reviewed_then_confirmed(world: AidWorld) -> None:
    request = make_request(world, quantity=1)
    dispatcher = client_as(world, "dispatcher")
    plan = dispatcher.get(f"{base(world)}/assign").json()
    assert plan["proposals"] == [
        {
            "request": request.code,
            "offer": world.food_offer.pk,
            "volunteer": "Vic",
            "reasons": ["same neighbourhood", "has capacity for 3 more"],
            "reason_codes": [
                {"code": "same_neighbourhood", "params": {}},
                {"code": "capacity", "params": {"count": 3}},
            ],
        }
    ]
    assert not AidMatch.objects.exists()
    done = dispatcher.post(
        f"{base(world)}/assign",
        {"pairs": [{"request": request.code, "offer": world.food_offer.pk}]},
        content_type="application/json",
    ).json()
    assert [m["request"] for m in done["proposed"]] == [request.code] and done["failed"] == []


@pytest.mark.parametrize("role", ROLES)
def test_offers_are_posted_by_members(world: AidWorld, role: str) -> None:
    payload = {
        "categories": ["transport"],
        "description": "Van on Sundays",
        "kind": "recurring",
        "capacity": 2,
        "period": "week",
        "neighbourhood": "Hillcrest",
        "availability": [[6, "10:00", "18:00"]],
    }
    response = client_as(world, role).post(f"{base(world)}/offers", payload, content_type="application/json")
    assert (response.status_code == 201) is (role in ADMITTED - {"observer"}), response.content
    if response.status_code == 201:
        assert response.json()["remaining"] == 2


@pytest.mark.parametrize(
    "change",
    [
        {"kind": "forever"},
        {"categories": []},
        {"neighbourhood": "Flat 2, 9 Rue Oberkampf"},
        {"availability": [[7, "10:00", "12:00"]]},
        {"availability": [[1, "12:00", "10:00"]]},
        {"kind": "recurring", "capacity": 2, "period": "year"},
    ],
)
def test_bad_offers_are_refused_and_nothing_written(world: AidWorld, change: dict[str, Any]) -> None:
    payload = {
        "categories": ["food"],
        "description": "Soup",
        "neighbourhood": "Riverside",
        "capacity": 1,
        **change,
    }
    before = AidOffer.objects.count()
    response = client_as(world, "member").post(
        f"{base(world)}/offers", payload, content_type="application/json"
    )
    assert response.status_code in (400, 422) and response.json()["detail"]
    assert AidOffer.objects.count() == before


def test_a_volunteer_releases_and_the_request_reopens(world: AidWorld) -> None:
    request = make_request(world)
    match = services.match_accept(request=request, volunteer=world.volunteer)
    other = client_as(world, "other_volunteer").post(
        f"{base(world)}/matches/{match.pk}/release", {}, content_type="application/json"
    )
    assert other.status_code == 404  # not their match: they do not even see it
    mine = client_as(world, "matched_volunteer").post(
        f"{base(world)}/matches/{match.pk}/release", {"reason": "ill"}, content_type="application/json"
    )
    assert mine.json()["status"] == "released"
    request.refresh_from_db()
    assert request.status == AidRequest.Status.OPEN


def test_the_dashboard_shows_load_and_times_to_dispatchers(world: AidWorld) -> None:
    request = make_request(world)
    services.match_accept(request=request, volunteer=world.volunteer)
    data = client_as(world, "dispatcher").get(f"{base(world)}/dashboard").json()
    assert data["open"] == 1 and data["by_neighbourhood"] == [{"label": "Riverside", "count": 1}]
    assert data["volunteer_load"] == [{"volunteer": "Vic", "live": 1, "done": 0}]
    assert data["median_first_response_hours"] is not None
