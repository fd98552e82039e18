"""The engine's reasons read in the dispatcher's language, on pages, in the API and on stored matches."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from dualpower.aid import services
from dualpower.aid.models import AidMatch
from dualpower.aid.reasons import explanation, from_json, render, to_json
from dualpower.aid.tests.factories import AidWorld, make_request
from dualpower.core.matching import Reason

TUESDAY_EVENING = {"day": 1, "start": 18 * 60, "end": 21 * 60}
FRIDAY_NIGHT = {"day": 4, "start": 22 * 60, "end": 26 * 60}

# Reasons whose English in the app is the engine's own English, word for word.
SAME_IN_ENGLISH = [
    Reason("same_neighbourhood"),
    Reason("distance", {"km": 1.5, "neighbourhood": "hillcrest"}),
    Reason("speaks", {"languages": ["English", "Spanish"]}),
    Reason("does_not_speak", {"languages": ["Somali"]}),
    Reason("skills_all", {"skills": ["driving"]}),
    Reason("skills_some", {"have": ["cooking"], "lack": ["driving", "lifting"]}),
    Reason("skills_none", {"skills": ["driving"]}),
    Reason("any_time"),
    Reason("free_windows", {"windows": [TUESDAY_EVENING], "more": 0, "share": None}),
    Reason("free_windows", {"windows": [FRIDAY_NIGHT], "more": 2, "share": 1 / 3}),
    Reason("inexhaustible"),
    Reason("capacity", {"count": 2}),
    Reason("none_category", {"category": "legal"}),
    Reason("none_language", {"count": 2, "category": "food", "languages": ["Somali", "Arabic"]}),
    Reason("none_capacity", {"count": 3}),
    Reason("none_time", {"count": 2}),
    Reason("none_distance", {"count": 4, "neighbourhood": "isle"}),
    Reason("none_assigned", {"count": 2}),
]


def client_as(world: AidWorld, role: str, *, language: str | None = None) -> Client:
    client = Client()
    client.force_login(world.users[role])
    if language:
        client.cookies["django_language"] = language
    return client


@pytest.mark.parametrize("reason", SAME_IN_ENGLISH, ids=lambda r: r.code)
def test_in_english_the_app_says_what_the_engine_says(reason: Reason) -> None:
    with translation.override("en"):
        assert render(reason) == reason.english()


def test_in_spanish_each_reason_reads_in_spanish() -> None:
    with translation.override("es"):
        assert render(Reason("same_neighbourhood")) == "mismo barrio"
        assert render(Reason("speaks", {"languages": ["Spanish"]})) == "habla español"
        assert render(Reason("distance", {"km": 1.5, "neighbourhood": "hillcrest"})) == "a 1,5 km (hillcrest)"
        assert (
            render(Reason("free_windows", {"windows": [TUESDAY_EVENING], "more": 0, "share": None}))
            == "libre el martes por la noche (18:00–21:00)"
        )
        assert (
            render(Reason("free_windows", {"windows": [FRIDAY_NIGHT], "more": 1, "share": 0.5}))
            == "libre el viernes tarde en la noche (22:00–sábado 02:00) y 1 horario más, "
            "50 % del tiempo pedido"
        )
        assert render(Reason("capacity", {"count": 2})) == "le queda capacidad para 2 más"
        assert render(Reason("none_category", {"category": "legal"})) == "nadie ofrece legal"


def test_a_language_name_django_does_not_know_is_shown_as_typed() -> None:
    with translation.override("es"):
        assert render(Reason("speaks", {"languages": ["Kichwa"]})).endswith(" Kichwa")
        # A name Django knows is translated, in lower case as Spanish writes it in a sentence.
        assert render(Reason("speaks", {"languages": ["Spanish"]})).endswith(" español")


def test_a_reason_this_version_cannot_word_shows_its_code_instead_of_breaking_the_page() -> None:
    assert render(Reason("from_a_newer_release", {"x": 1})) == "from_a_newer_release"
    assert render(Reason("capacity", {"count": "many"})) == "capacity"
    assert render(Reason("speaks", {})) == "speaks"
    assert from_json([{"code": "any_time"}, "junk", {"params": {}}, {"code": 3}]) == (Reason("any_time"),)
    assert from_json("not a list") == ()


def test_the_dispatcher_page_shows_the_suggestions_reasons_in_spanish(world: AidWorld) -> None:
    request = make_request(world, languages=["Spanish"])
    url = f"/c/{world.community.slug}/aid/dispatch/requests/{request.code}/"
    page = client_as(world, "dispatcher", language="es").get(url).content.decode()
    assert "mismo barrio; habla español" in page
    english = client_as(world, "dispatcher").get(url).content.decode()
    assert "same neighbourhood; speaks Spanish" in english


def test_the_api_gives_reasons_in_the_requests_language_and_codes_beside_them(world: AidWorld) -> None:
    request = make_request(world, languages=["Spanish"])
    url = f"/api/v1/communities/{world.community.slug}/aid/requests/{request.code}/suggestions"
    found = client_as(world, "dispatcher").get(url, HTTP_ACCEPT_LANGUAGE="es").json()
    assert found[0]["reasons"][:2] == ["mismo barrio", "habla español"]
    assert found[0]["reason_codes"][:2] == [
        {"code": "same_neighbourhood", "params": {}},
        {"code": "speaks", "params": {"languages": ["Spanish"]}},
    ]
    english = client_as(world, "dispatcher").get(url, HTTP_ACCEPT_LANGUAGE="en").json()
    assert english[0]["reasons"][:2] == ["same neighbourhood", "speaks Spanish"]


def test_a_proposed_match_stores_codes_and_reads_in_each_readers_language(world: AidWorld) -> None:
    request = make_request(world, languages=["Spanish"])
    url = f"/c/{world.community.slug}/aid/dispatch/requests/{request.code}/"
    english = client_as(world, "dispatcher", language="en")
    english.post(url, {"action": "propose", "offer": world.food_offer.pk})
    match = AidMatch.objects.get(request=request)
    assert [r["code"] for r in match.reasons][:2] == ["same_neighbourhood", "speaks"]
    assert match.explanation == ""  # no English sentence frozen into the row
    assert (
        "mismo barrio; habla español"
        in client_as(world, "dispatcher", language="es").get(url).content.decode()
    )
    api = f"/api/v1/communities/{world.community.slug}/aid/requests/{request.code}/matches"
    [shown] = client_as(world, "dispatcher").get(api, HTTP_ACCEPT_LANGUAGE="es").json()
    assert shown["explanation"].startswith("mismo barrio; habla español")
    assert shown["reason_codes"] == match.reasons


def test_a_match_saved_before_reasons_were_stored_still_shows_its_sentence(world: AidWorld) -> None:
    request = make_request(world)
    match = services.match_propose(
        request=request, volunteer=world.volunteer, by=world.dispatcher, explanation="same neighbourhood"
    )
    assert match.reasons == []
    with translation.override("es"):
        assert match.explanation_text == "same neighbourhood"
    page = client_as(world, "dispatcher", language="es").get(
        f"/c/{world.community.slug}/aid/dispatch/requests/{request.code}/"
    )
    assert "same neighbourhood" in page.content.decode()


def test_the_assign_all_page_and_api_word_reasons_and_why_a_request_stays_open(world: AidWorld) -> None:
    make_request(world, quantity=1)
    legal = make_request(world, category="legal", quantity=1, description="A letter")
    page = client_as(world, "dispatcher", language="es").get(
        f"/c/{world.community.slug}/aid/dispatch/assign/"
    )
    text = page.content.decode()
    assert "mismo barrio" in text and f"{legal.code}</a>: nadie ofrece legal" in text
    plan = (
        client_as(world, "dispatcher")
        .get(f"/api/v1/communities/{world.community.slug}/aid/assign", HTTP_ACCEPT_LANGUAGE="es")
        .json()
    )
    assert plan["unmatched"] == [
        {
            "request": legal.code,
            "reason": "nadie ofrece legal",
            "reason_code": {"code": "none_category", "params": {"category": "legal"}},
        }
    ]


def test_proposing_something_not_suggested_is_refused_as_before(world: AidWorld) -> None:
    request = make_request(world)
    url = f"/c/{world.community.slug}/aid/dispatch/requests/{request.code}/"
    response = client_as(world, "dispatcher").post(url, {"action": "propose", "offer": "nope"}, follow=True)
    assert "Choose one of the suggested offers." in response.content.decode()
    assert not AidMatch.objects.filter(request=request).exists()


def test_reasons_survive_a_round_trip_through_json() -> None:
    assert from_json(to_json(SAME_IN_ENGLISH)) == tuple(SAME_IN_ENGLISH)
    with translation.override("en"):
        assert explanation(SAME_IN_ENGLISH[:2]) == "same neighbourhood; 1.5 km away (hillcrest)"
