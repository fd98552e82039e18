"""The aid pages without JavaScript: forms post, refusals come back as sentences, nothing half-done."""

from __future__ import annotations

import pytest
from django.test import Client

from dualpower.aid import services
from dualpower.aid.models import AidMatch, AidOffer, AidRequest, DispatcherRole
from dualpower.aid.tests.factories import AidWorld, make_request
from dualpower.community.dashboard import panels_for

pytestmark = pytest.mark.django_db


def client_as(world: AidWorld, role: str) -> Client:
    client = Client()
    client.force_login(world.users[role])
    return client


def url(world: AidWorld, rest: str = "") -> str:
    return f"/c/{world.community.slug}/aid/{rest}"


FORM = {
    "category": "food",
    "description": "Nappies and formula",
    "urgency": "2",
    "quantity": "2",
    "unit": "packs",
    "neighbourhood": "Old Market",
    "privacy": "volunteers",
    "address": "Flat 1, 3 Calle Luna",
    "health": "",
}


def test_a_member_asks_for_help_through_the_form(world: AidWorld) -> None:
    response = client_as(world, "member").post(url(world, "requests/new/"), FORM)
    request = AidRequest.objects.get(description="Nappies and formula")
    assert response.status_code == 302 and response["Location"].endswith(f"/requests/{request.code}/")
    assert request.requester == world.member and request.privacy == "volunteers" and request.sealed
    page = client_as(world, "member").get(response["Location"]).content.decode()
    assert "Flat 1, 3 Calle Luna" in page  # the requester sees their own details


def test_an_address_as_neighbourhood_comes_back_with_a_sentence_and_nothing_written(world: AidWorld) -> None:
    response = client_as(world, "member").post(
        url(world, "requests/new/"), {**FORM, "neighbourhood": "3 Calle Luna"}
    )
    assert response.status_code == 400
    assert "looks like an exact address" in response.content.decode()
    assert not AidRequest.objects.exists()


def test_a_dispatcher_takes_a_phone_request(world: AidWorld) -> None:
    form = {
        **FORM,
        "name": "Rosa",
        "contact_channel": "phone",
        "contact": "600 111",
        "contact_language": "Spanish",
    }
    response = client_as(world, "dispatcher").post(url(world, "dispatch/intake/"), form)
    request = AidRequest.objects.get()
    assert response["Location"].endswith(f"/dispatch/requests/{request.code}/")
    assert request.requester is None and request.taken_by == world.dispatcher
    page = client_as(world, "dispatcher").get(response["Location"]).content.decode()
    assert "Rosa" in page and "Suggested volunteers" in page and "Propose Vic" in page
    # A member cannot reach the intake form.
    assert client_as(world, "member").post(url(world, "dispatch/intake/"), form).status_code == 403


def test_the_intake_needs_a_way_to_reach_the_person(world: AidWorld) -> None:
    form = {**FORM, "name": "Rosa", "contact_channel": "phone", "contact": ""}
    response = client_as(world, "dispatcher").post(url(world, "dispatch/intake/"), form)
    assert response.status_code == 400 and "how to reach them" in response.content.decode()
    assert not AidRequest.objects.exists()


def test_the_steps_of_a_match_are_forms(world: AidWorld) -> None:
    request = make_request(world)
    vic, mara = client_as(world, "matched_volunteer"), client_as(world, "member")
    vic.post(url(world, f"requests/{request.code}/accept/"))
    match = AidMatch.objects.get()
    mara.post(url(world, f"matches/{match.pk}/confirm/"), {"side": "requester"})
    vic.post(url(world, f"matches/{match.pk}/start/"))
    vic.post(url(world, f"matches/{match.pk}/deliver/"), {"delivered": "1"})
    match.refresh_from_db()
    request.refresh_from_db()
    assert match.status == AidMatch.Status.FULFILLED and match.delivered == 1
    assert request.status == AidRequest.Status.OPEN and request.quantity_committed == 1  # one still needed


def test_a_refused_step_says_why_on_the_page(world: AidWorld) -> None:
    request = make_request(world)
    services.match_accept(request=request, volunteer=world.volunteer)
    response = client_as(world, "other_volunteer").post(
        url(world, f"requests/{request.code}/accept/"), follow=True
    )
    assert "already taken" in response.content.decode()
    assert AidMatch.objects.count() == 1


def test_a_volunteer_posts_an_offer_with_weekly_times(world: AidWorld) -> None:
    form = {
        "categories": ["transport", "goods"],
        "description": "Van for moving furniture",
        "kind": "recurring",
        "capacity": "2",
        "period": "month",
        "neighbourhood": "Hillcrest",
        "days": ["5", "6"],
        "free_from": "10:00",
        "free_until": "16:00",
        "privacy": "members",
    }
    response = client_as(world, "member").post(url(world, "offers/new/"), form)
    assert response.status_code == 302
    offer = AidOffer.objects.get(description="Van for moving furniture")
    assert offer.availability == [[5, "10:00", "16:00"], [6, "10:00", "16:00"]]
    assert offer.categories == ["goods", "transport"]
    page = client_as(world, "observer").get(url(world, "offers/")).content.decode()
    assert "Van for moving furniture" in page


def test_the_owner_pauses_an_offer_others_cannot(world: AidWorld) -> None:
    offer = world.food_offer
    assert (
        client_as(world, "other_volunteer")
        .post(url(world, f"offers/{offer.pk}/status/"), {"status": "paused"})
        .status_code
        == 403
    )
    client_as(world, "matched_volunteer").post(url(world, f"offers/{offer.pk}/status/"), {"status": "paused"})
    offer.refresh_from_db()
    assert offer.status == AidOffer.Status.PAUSED


def test_assign_all_page_proposes_only_the_ticked_pairs(world: AidWorld) -> None:
    food = make_request(world, quantity=1)
    lift = make_request(world, category="transport", quantity=1, description="A lift")
    client = client_as(world, "dispatcher")
    page = client.get(url(world, "dispatch/assign/")).content.decode()
    assert f"{food.code}:{world.food_offer.pk}" in page and f"{lift.code}:{world.transport_offer.pk}" in page
    client.post(url(world, "dispatch/assign/"), {"pair": [f"{food.code}:{world.food_offer.pk}"]})
    assert [m.request for m in AidMatch.objects.all()] == [food]


def test_coordinators_grant_the_dispatcher_role(world: AidWorld) -> None:
    client = client_as(world, "coordinator")
    client.post(url(world, "dispatch/settings/"), {"action": "grant", "membership": str(world.member.pk)})
    assert DispatcherRole.objects.filter(membership=world.member).exists()
    denied = client_as(world, "dispatcher").post(
        url(world, "dispatch/settings/"), {"action": "revoke", "membership": str(world.member.pk)}
    )
    assert denied.status_code == 403


def test_settings_take_distances_retention_and_a_new_category(world: AidWorld) -> None:
    client = client_as(world, "dispatcher")
    response = client.post(
        url(world, "dispatch/settings/"),
        {
            "retention_days": "14",
            "stale_days": "3",
            "distances": "Riverside; Eastfield; 2.5",
            "new_category": "Pets",
        },
    )
    assert response.status_code == 302
    s = world.community.aid_settings
    s.refresh_from_db()
    assert (s.retention_days, s.stale_days, s.distances) == (14, 3, [["Riverside", "Eastfield", 2.5]])
    assert "Pets" in client.get(url(world, "requests/new/")).content.decode()


def test_distances_are_read_and_written_the_readers_way(world: AidWorld) -> None:
    client = client_as(world, "dispatcher")
    client.cookies["django_language"] = "es"
    response = client.post(
        url(world, "dispatch/settings/"),
        {"retention_days": "14", "stale_days": "3", "distances": "Riverside; Eastfield; 2,5"},
    )
    assert response.status_code == 302
    s = world.community.aid_settings
    s.refresh_from_db()
    assert s.distances == [["Riverside", "Eastfield", 2.5]]
    page = client.get(url(world, "dispatch/settings/")).content.decode()
    assert "Riverside; Eastfield; 2,5" in page and "1,5 (km)" in page


def test_the_dashboard_and_summary_pages_render_with_charts(world: AidWorld) -> None:
    make_request(world)
    dash = client_as(world, "dispatcher").get(url(world, "dispatch/dashboard/")).content.decode()
    assert "<svg" in dash and "Volunteers" in dash and "Riverside" in dash
    summary = client_as(world, "observer").get(url(world, "summary/")).content.decode()
    assert "<svg" in summary and "Riverside</" not in summary


def test_the_home_panel_shows_what_waits_for_a_dispatcher(world: AidWorld, rf: object) -> None:
    make_request(world)
    request = rf.get("/")  # type: ignore[attr-defined]
    request.user = world.users["dispatcher"]
    panels = [p for p in panels_for(request=request, community=world.community) if p.key == "aid"]
    assert panels and panels[0].context["dispatcher"] and panels[0].context["open_count"] == 1
    request.user = world.users["applicant"]
    assert not [p for p in panels_for(request=request, community=world.community) if p.key == "aid"]


def test_the_csv_export_defuses_formulas(world: AidWorld) -> None:
    make_request(world, description='=HYPERLINK("http://evil")')
    body = client_as(world, "member").get(url(world, "export.csv")).content.decode()
    assert "'=HYPERLINK" in body
