"""Issue 6's privacy matrix: each privacy level × each role, over the page, the API (one request
and the list) and the CSV export — each shows exactly what that person may see.

The request is asked by a separate member (Rae) so that "member" is a bystander; the food volunteer
is matched and both sides have confirmed.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from dualpower.aid import services
from dualpower.aid.models import Privacy
from dualpower.aid.tests.factories import (
    SECRET_ADDRESS,
    SECRET_CONTACT,
    SECRET_HEALTH,
    AidWorld,
    confirmed_match,
)
from dualpower.members.tests.factories import make_membership

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
SEES_LISTING = {
    Privacy.MEMBERS: ADMITTED,
    # The matched volunteer offers food; the other volunteer offers transport only.
    Privacy.VOLUNTEERS: {"matched_volunteer", "dispatcher"},
    Privacy.DISPATCHERS: {"matched_volunteer", "dispatcher"},
}
SEES_DETAILS = {"matched_volunteer", "dispatcher"}
SECRETS = (SECRET_ADDRESS, SECRET_CONTACT, SECRET_HEALTH)


def _setup(world: AidWorld, privacy: str) -> Any:
    rae = make_membership(world.community, name="Rae")
    request = services.request_create(
        community=world.community,
        requester=rae,
        category="food",
        description="Two food boxes",
        neighbourhood="Riverside",
        quantity=2,
        privacy=privacy,
        details={"address": SECRET_ADDRESS, "contact": SECRET_CONTACT, "health": SECRET_HEALTH},
    )
    match = services.match_propose(request=request, volunteer=world.volunteer, by=world.dispatcher)
    services.match_confirm(match=match, by=world.volunteer)
    services.match_confirm(match=match, by=rae)
    return request


def _client(world: AidWorld, role: str) -> Client:
    client = Client()
    user = world.users[role]
    if role != "anonymous":
        client.force_login(user)
    return client


@pytest.mark.parametrize("privacy", Privacy.values)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_exactly_what_the_privacy_level_allows(
    world: AidWorld, privacy: str, role: str
) -> None:
    request = _setup(world, privacy)
    client = _client(world, role)
    base = f"/api/v1/communities/{world.community.slug}/aid"
    sees, details = role in SEES_LISTING[Privacy(privacy)], role in SEES_DETAILS

    page = client.get(f"/c/{world.community.slug}/aid/requests/{request.code}/")
    api = client.get(f"{base}/requests/{request.code}")
    listing = client.get(f"{base}/requests?status=")
    export = client.get(f"/c/{world.community.slug}/aid/export.csv")

    if sees:
        assert page.status_code == 200 and api.status_code == 200
        assert api.json()["code"] == request.code
        assert (api.json()["details"] is not None) is details
        assert request.code in [r["code"] for r in listing.json()["items"]]
        assert request.code in export.content.decode()
    else:
        assert page.status_code in (302, 403, 404) and api.status_code in (401, 403, 404)
        if listing.status_code == 200:
            assert request.code not in listing.content.decode()
        if export.status_code == 200:
            assert request.code not in export.content.decode()
    for response in (page, api, listing, export):
        body = response.content.decode()
        for secret in SECRETS:
            assert (secret in body) is (details and response.status_code == 200), (secret, response.request)


@pytest.mark.parametrize("privacy", Privacy.values)
def test_the_requester_sees_their_own_request_and_details(world: AidWorld, privacy: str) -> None:
    request = confirmed_match(world, _own(world, privacy)).request
    client = _client(world, "member")
    api = client.get(f"/api/v1/communities/{world.community.slug}/aid/requests/{request.code}")
    assert api.status_code == 200
    assert api.json()["details"]["address"] == SECRET_ADDRESS


def _own(world: AidWorld, privacy: str) -> Any:
    from dualpower.aid.tests.factories import make_request

    return make_request(world, privacy=privacy)


def test_a_matched_volunteer_sees_no_details_before_both_confirm(world: AidWorld) -> None:
    from dualpower.aid.tests.factories import make_request

    request = make_request(world)
    match = services.match_propose(request=request, volunteer=world.volunteer, by=world.dispatcher)
    client = _client(world, "matched_volunteer")
    url = f"/api/v1/communities/{world.community.slug}/aid/requests/{request.code}"
    assert client.get(url).json()["details"] is None
    services.match_confirm(match=match, by=world.volunteer)
    assert client.get(url).json()["details"] is None  # only one side so far
    services.match_confirm(match=match, by=world.member)
    assert client.get(url).json()["details"]["address"] == SECRET_ADDRESS
    services.match_deliver(match=match, delivered=2, by=world.volunteer)
    assert client.get(url).json()["details"] is None  # the match is over: the address closes again


def test_listings_never_show_the_requesters_name(world: AidWorld) -> None:
    from dualpower.aid.tests.factories import make_request

    request = make_request(world)
    for role in ("member", "other_volunteer", "observer"):
        body = _client(world, role).get(f"/c/{world.community.slug}/aid/").content.decode()
        assert request.code in body and "Mara" not in body


def test_public_summary_has_no_neighbourhoods_or_names(world: AidWorld) -> None:
    from dualpower.aid.tests.factories import make_request

    make_request(world, neighbourhood="Hillcrest")
    client = _client(world, "observer")
    for url in (
        f"/c/{world.community.slug}/aid/summary/",
        f"/api/v1/communities/{world.community.slug}/aid/summary",
    ):
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert "Hillcrest" not in body and "Mara" not in body


@pytest.mark.parametrize("role", ROLES)
def test_only_dispatchers_reach_dispatch_pages(world: AidWorld, role: str) -> None:
    client = _client(world, role)
    slug = world.community.slug
    for url in (
        f"/c/{slug}/aid/dispatch/",
        f"/c/{slug}/aid/dispatch/intake/",
        f"/c/{slug}/aid/dispatch/assign/",
        f"/c/{slug}/aid/dispatch/dashboard/",
        f"/api/v1/communities/{slug}/aid/dashboard",
        f"/api/v1/communities/{slug}/aid/assign",
    ):
        status = client.get(url).status_code
        assert (status == 200) is (role == "dispatcher"), (url, status)
