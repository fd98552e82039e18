"""The delegates' pages and API: status codes per role, the mandate table, drafting."""

from __future__ import annotations

import json
from typing import Any

import pytest

from dualpower.assemblies.services import proposal_open_voting, vote_cast
from dualpower.groups.models import GroupMembership
from dualpower.mandates import services
from dualpower.mandates.models import Mandate
from dualpower.mandates.tests.factories import World, council_proposal
from dualpower.members.models import Membership
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db
API = "/api/v1/communities/riverside/delegates"
READ = {
    "anonymous": 302,
    "applicant": 403,
    "outsider": 403,
    "observer": 200,
    "member": 200,
    "coordinator": 200,
}
API_READ = {**READ, "anonymous": 401}


def call(client: Any, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else None
    return getattr(client, method)(path, data=data, content_type="application/json")


@pytest.fixture
def seated(world: World) -> World:
    services.delegates_seat(sending=world.housing, receiving=world.council, memberships=[world.ana])
    services.delegates_seat(sending=world.general, receiving=world.council, memberships=[world.cai])
    return world


@pytest.mark.parametrize("role", ROLES)
def test_pages_answer_each_role(client_for: Any, seated: World, role: str) -> None:
    proposal = council_proposal(seated, seated.ana)
    seat = seated.ana.delegate_seats.get()
    client = client_for(role)
    for url in (
        "/c/riverside/delegates/",
        "/c/riverside/delegates/assemblies/spokescouncil/",
        "/c/riverside/delegates/assemblies/general/",
        f"/c/riverside/delegates/seats/{seat.pk}/",
        f"/c/riverside/delegates/proposals/{proposal.pk}/",
    ):
        assert client.get(url).status_code == READ[role], url


@pytest.mark.parametrize("role", ROLES)
def test_api_reads_per_role(client_for: Any, seated: World, role: str) -> None:
    proposal = council_proposal(seated, seated.ana)
    client = client_for(role)
    for url in (f"{API}/seats", f"{API}/mandates", f"{API}/breaches", f"{API}/proposals/{proposal.pk}"):
        assert client.get(url).status_code == API_READ[role], url


def test_the_spokescouncil_page_shows_each_delegate_with_their_mandate_and_vote(
    client_for: Any, seated: World
) -> None:
    proposal = council_proposal(seated, seated.ana)
    services.mandate_set(sending=seated.housing, proposal=proposal, position="for", decision_ref="proposal:4")
    proposal_open_voting(proposal=proposal, by=seated.ana)
    vote_cast(proposal=proposal, by=seated.ana, position="disagree")
    html = client_for("observer").get(f"/c/riverside/delegates/proposals/{proposal.pk}/").content.decode()
    assert "Yes: voted against the mandate" in html
    assert "Vote for" in html and "No mandate (free vote)" in html
    rows = client_for("member").get(f"{API}/proposals/{proposal.pk}").json()
    flags = {row["seat"]["delegate"]: row["against_mandate"] for row in rows}
    assert flags == {"Ana": True, "Cai": False}


def test_the_list_shows_the_council_and_its_delegates(client_for: Any, seated: World) -> None:
    html = client_for("member").get("/c/riverside/delegates/").content.decode()
    assert "Spokescouncil" in html and "Ana" in html and "Housing group" in html
    seats = client_for("member").get(f"{API}/seats?receiving=spokescouncil").json()
    assert {s["delegate"] for s in seats["items"]} == {"Ana", "Cai"}


@pytest.mark.parametrize(
    ("who", "sending", "status"),
    [
        ("coordinator", "housing-group", 201),
        ("coordinator", "general", 201),
        ("convener", "housing-group", 201),
        ("convener", "general", 403),
        ("member", "housing-group", 403),
        ("delegate", "housing-group", 403),
        ("observer", "housing-group", 403),
        ("outsider", "housing-group", 403),
        ("anonymous", "housing-group", 401),
    ],
)
def test_who_may_draft_a_mandate(
    client_for: Any, seated: World, people: Any, client: Any, who: str, sending: str, status: int
) -> None:
    proposal = council_proposal(seated, seated.ana)
    if who == "convener":
        GroupMembership.objects.filter(membership=seated.ben).update(is_convener=True)
        client.force_login(seated.ben.user)
    elif who == "delegate":
        client.force_login(seated.ana.user)
    else:
        client = client_for(who)
    body = {"sending": sending, "proposal": proposal.pk, "position": "against", "note": "Too costly"}
    response = call(client, "post", f"{API}/mandates", body)
    assert response.status_code == status
    assert Mandate.objects.count() == (1 if status == 201 else 0)
    if status == 201:
        assert response.json()["status"] == "draft"


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"position": "sideways"}, 400),
        ({"proposal": 99999}, 404),
        ({"sending": "nowhere"}, 404),
        ({"proposal": "x"}, 422),
        ({"note": "x" * 2001}, 400),
    ],
)
def test_bad_drafts_are_4xx_and_write_nothing(
    client_for: Any, seated: World, change: dict, status: int
) -> None:
    proposal = council_proposal(seated, seated.ana)
    body = {"sending": "housing-group", "proposal": proposal.pk, "position": "for", **change}
    response = call(client_for("coordinator"), "post", f"{API}/mandates", body)
    assert response.status_code == status
    assert "detail" in response.json()
    assert not Mandate.objects.exists()


def test_a_coordinator_drafts_on_the_page(client_for: Any, seated: World) -> None:
    proposal = council_proposal(seated, seated.ana)
    client = client_for("coordinator")
    url = "/c/riverside/delegates/assemblies/housing-group/mandates/new/"
    assert proposal.title in client.get(url).content.decode()
    bad = client.post(url, {"proposal": proposal.pk, "position": "maybe"})
    assert bad.status_code == 400 and not Mandate.objects.exists()
    done = client.post(
        url, {"proposal": proposal.pk, "position": "for", "note": "Yes if shared", "expires_on": ""}
    )
    assert done.status_code == 302
    assert Mandate.objects.get().status == "draft"
    assert client_for("member").get(url).status_code == 403


def test_the_dashboard_shows_my_seats(rf: Any, seated: World) -> None:
    from dualpower.mandates.widgets import delegate_panel

    request = rf.get("/")
    request.user = seated.ana.user
    panel = delegate_panel(request, seated.community)
    assert panel is not None and [seat for seat, _m in panel.context["seats"]] == list(
        seated.ana.delegate_seats.all()
    )
    request.user = Membership.objects.get(display_name="Mara").user
    assert delegate_panel(request, seated.community) is None


def test_unknown_things_are_not_found(client_for: Any, seated: World) -> None:
    client = client_for("member")
    assert client.get("/c/riverside/delegates/seats/99999/").status_code == 404
    assert client.get("/c/riverside/delegates/proposals/99999/").status_code == 404
    assert client.get("/c/riverside/delegates/assemblies/nowhere/").status_code == 404


def test_a_draft_with_an_expiry_without_time_zone_is_read_in_the_nodes_time_zone(
    client_for: Any, seated: World
) -> None:
    proposal = council_proposal(seated, seated.ana)
    body = {
        "sending": "housing-group",
        "proposal": proposal.pk,
        "position": "for",
        "expires_at": "2099-01-01T12:00:00",
    }
    response = call(client_for("coordinator"), "post", f"{API}/mandates", body)
    assert response.status_code == 201
    expires_at = Mandate.objects.get().expires_at
    assert expires_at is not None and expires_at.year == 2099
