"""The API for the intake ban list and for sharing know-your-rights pages with peers: every role
against every endpoint (the same rules as the pages: defence/rules.py), bad input refused with a
sentence and nothing written, and the ban list never giving back a caller's number."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.commons.models import Kind, Licence
from dualpower.commons.tests.factories import make_received
from dualpower.defence.models.response import ReporterBan, RightsPage
from dualpower.defence.services import response_bans as bans
from dualpower.defence.services import response_cases as cases
from dualpower.defence.tests.factories_response import DefenceWorld, report
from dualpower.defence.tests.test_response_rules import DEFENCE_ROLES, EXPECTED

pytestmark = pytest.mark.django_db

NUMBER = "+34 612 345 678"
DIGITS = "34612345678"


def _as(client: Any, world: DefenceWorld, role: str) -> Any:
    client.logout()
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _api(world: DefenceWorld, tail: str) -> str:
    return f"/api/v1/communities/{world.community.slug}/defence{tail}"


def _page(world: DefenceWorld) -> RightsPage:
    return cases.rights_page_save(
        community=world.community,
        by=world.coordinator,
        title="If the police knock",
        body="Do not open the door.",
        language="en",
    )


def _allowed(perm: str, role: str) -> bool:
    return role in EXPECTED[perm][1]


def _refused(status: int) -> bool:
    return status in (401, 403)


@pytest.mark.parametrize("role", DEFENCE_ROLES)
def test_every_role_against_the_ban_list(client: Any, world: DefenceWorld, role: str) -> None:
    caller_ban = bans.reporter_ban(community=world.community, by=world.coordinator, number=NUMBER)
    allowed = _allowed("defence.ban_reporters", role)
    http = _as(client, world, role)

    listed = http.get(_api(world, "/bans"))
    assert listed.status_code == 200 if allowed else _refused(listed.status_code)

    made = http.post(_api(world, "/bans"), {"member": world.responder.pk}, content_type="application/json")
    assert made.status_code == 201 if allowed else _refused(made.status_code)
    assert ReporterBan.objects.filter(membership=world.responder).exists() == allowed

    lifted = http.delete(_api(world, f"/bans/{caller_ban.pk}"))
    assert lifted.status_code == 204 if allowed else _refused(lifted.status_code)
    assert ReporterBan.objects.filter(pk=caller_ban.pk).exists() != allowed


@pytest.mark.parametrize("role", DEFENCE_ROLES)
def test_every_role_against_the_know_your_rights_api(client: Any, world: DefenceWorld, role: str) -> None:
    page = _page(world)
    received = make_received(world.community, 1, kind=Kind.RIGHTS, title="If ICE knocks")
    http = _as(client, world, role)

    for tail in ("/rights", "/rights/from-peers"):
        seen = http.get(_api(world, tail))
        assert (
            seen.status_code == 200 if _allowed("defence.view_rights", role) else _refused(seen.status_code)
        )

    shared = http.post(
        _api(world, f"/rights/{page.slug}/share"),
        {"language": "en", "shared": True},
        content_type="application/json",
    )
    allowed = _allowed("defence.share_rights", role)
    assert shared.status_code == 200 if allowed else _refused(shared.status_code)
    page.refresh_from_db()
    assert page.shared == allowed and (page.guide_id is not None) == allowed

    adopted = http.post(_api(world, f"/rights/from-peers/{received.pk}/adopt"))
    allowed = _allowed("defence.edit_rights", role)
    assert adopted.status_code == 201 if allowed else _refused(adopted.status_code)
    assert RightsPage.objects.filter(origin_uri=received.uri).exists() == allowed


def test_the_ban_list_never_gives_back_a_callers_number(client: Any, world: DefenceWorld) -> None:
    http = _as(client, world, "coordinator")
    made = http.post(_api(world, "/bans"), {"number": NUMBER}, content_type="application/json")
    assert made.status_code == 201
    spam = report(world, caller="+34 699 000 111")
    by_code = http.post(_api(world, "/bans"), {"code": spam.code}, content_type="application/json")
    assert by_code.status_code == 201
    # Stored as a keyed hash only; shown as "a caller's number", without the number or its hash.
    stored = list(ReporterBan.objects.values_list("caller_hash", flat=True))
    assert len(stored) == 2 and all(h and DIGITS not in h for h in stored)
    listing = http.get(_api(world, "/bans"))
    text = made.content.decode() + by_code.content.decode() + listing.content.decode()
    for secret in (DIGITS, "612345678", "699000111", *stored):
        assert secret not in text
    assert [b["reporter"] for b in listing.json()] == ["caller", "caller"]
    assert all(b["member"] is None and b["member_name"] is None for b in listing.json())
    # A member's ban names the member, whom coordinators chose.
    member = http.post(_api(world, "/bans"), {"member": world.member.pk}, content_type="application/json")
    assert (member.json()["reporter"], member.json()["member_name"]) == ("member", world.member.display_name)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({}, "Choose one"),
        ({"number": NUMBER, "code": "ABC123"}, "Choose one"),
        ({"number": "12"}, "6 to 15 digits"),
        ({"number": "call me maybe"}, "6 to 15 digits"),
        ({"code": "NOPE99"}, "No report has that code"),
        ({"member": 999999}, "Choose a member of this community"),
        ({"member": "me"}, ""),
    ],
)
def test_a_bad_ban_is_refused_with_a_sentence_and_nothing_written(
    client: Any, world: DefenceWorld, body: dict[str, Any], words: str
) -> None:
    answer = _as(client, world, "coordinator").post(
        _api(world, "/bans"), body, content_type="application/json"
    )
    assert 400 <= answer.status_code < 500
    assert answer.json()["detail"] and words in str(answer.json()["detail"])
    assert not ReporterBan.objects.exists()


def test_a_ban_twice_or_of_oneself_is_refused_and_an_unknown_ban_is_not_found(
    client: Any, world: DefenceWorld
) -> None:
    http = _as(client, world, "coordinator")
    assert (
        http.post(_api(world, "/bans"), {"number": NUMBER}, content_type="application/json").status_code
        == 201
    )
    again = http.post(_api(world, "/bans"), {"number": "+34-612-345-678"}, content_type="application/json")
    assert again.status_code == 409 and "banned already" in again.json()["detail"]
    myself = http.post(
        _api(world, "/bans"), {"member": world.coordinator.pk}, content_type="application/json"
    )
    assert myself.status_code == 400 and "yourself" in myself.json()["detail"]
    assert ReporterBan.objects.count() == 1
    assert http.delete(_api(world, "/bans/999999")).status_code == 404
    assert ReporterBan.objects.count() == 1


def test_bad_sharing_and_adopting_are_refused_and_nothing_written(client: Any, world: DefenceWorld) -> None:
    page = _page(world)
    http = _as(client, world, "coordinator")
    share = _api(world, f"/rights/{page.slug}/share")
    for body, status in (
        ({"language": "xx", "shared": True}, 400),
        ({"language": "es", "shared": True}, 404),  # no Spanish version of this page
        ({"language": "en"}, 422),
        ({"language": "en", "shared": "sometimes"}, 422),
    ):
        answer = http.post(share, body, content_type="application/json")
        assert answer.status_code == status and answer.json()["detail"], body
    missing = http.post(
        _api(world, "/rights/no-such-page/share"),
        {"language": "en", "shared": True},
        content_type="application/json",
    )
    assert missing.status_code == 404
    page.refresh_from_db()
    assert not page.shared and page.guide_id is None
    reserved = make_received(world.community, 1, kind=Kind.RIGHTS, licence=Licence.RESERVED)
    policy = make_received(world.community, 2, kind=Kind.POLICY)
    refused = http.post(_api(world, f"/rights/from-peers/{reserved.pk}/adopt"))
    assert 400 <= refused.status_code < 500 and "does not allow copies" in refused.json()["detail"]
    assert http.post(_api(world, f"/rights/from-peers/{policy.pk}/adopt")).status_code == 404
    assert RightsPage.objects.count() == 1


def test_sharing_and_adopting_by_api(client: Any, world: DefenceWorld) -> None:
    page = _page(world)
    received = make_received(world.community, 1, kind=Kind.RIGHTS, title="If ICE knocks")
    http = _as(client, world, "coordinator")
    shared = http.post(
        _api(world, f"/rights/{page.slug}/share"),
        {"language": "en", "shared": True},
        content_type="application/json",
    )
    assert shared.json()["shared"] is True
    assert [p["title"] for p in http.get(_api(world, "/rights")).json()] == ["If the police knock"]
    [peer] = http.get(_api(world, "/rights/from-peers")).json()
    assert (peer["id"], peer["adopted_version"]) == (received.pk, None)
    adopted = http.post(_api(world, f"/rights/from-peers/{received.pk}/adopt"))
    assert adopted.status_code == 201
    assert (adopted.json()["origin_name"], adopted.json()["origin_version"]) == ("Garden Collective", 3)
    assert http.get(_api(world, "/rights/from-peers")).json()[0]["adopted_version"] == 3
    again = http.post(_api(world, f"/rights/from-peers/{received.pk}/adopt"))
    assert again.status_code == 409 and "adopted already" in again.json()["detail"]
    stopped = http.post(
        _api(world, f"/rights/{page.slug}/share"),
        {"language": "en", "shared": False},
        content_type="application/json",
    )
    assert stopped.json()["shared"] is False
