"""The rapid response API: a report, its verification and an answer; bad input refused with a
sentence (400, nothing written); an incident not yours is not found."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.defence.models.response import EvictionCase, Incident, Response
from dualpower.defence.tests.factories_response import DefenceWorld

pytestmark = pytest.mark.django_db


def _as(client: Any, membership: Any) -> Any:
    client.logout()
    client.force_login(membership.user)
    return client


def _api(world: DefenceWorld, tail: str) -> str:
    return f"/api/v1/communities/{world.community.slug}/defence{tail}"


def test_report_verify_and_answer(client: Any, world: DefenceWorld) -> None:
    made = _as(client, world.member).post(
        _api(world, "/incidents"),
        {"kind": "attack", "area": "North", "seen": "three men"},
        content_type="application/json",
    )
    assert made.status_code == 201
    code = made.json()["code"]
    assert made.json()["responses"] is None  # the reporter does not see who is alerted
    verified = _as(client, world.verifier).post(_api(world, f"/incidents/{code}/verify"))
    assert verified.status_code == 200
    assert {r["name"] for r in verified.json()["responses"]} == {"Rafa", "Lola"}
    answer = _as(client, world.responder).post(
        _api(world, f"/incidents/{code}/respond"), {"state": "on_the_way"}, content_type="application/json"
    )
    assert answer.status_code == 200
    assert Response.objects.get(membership=world.responder).state == "on_the_way"


@pytest.mark.parametrize(
    "body",
    [
        {"kind": "riot", "area": "North"},
        {"kind": "raid", "area": "12 Calle Mayor"},
        {"kind": "raid", "area": "North", "seen_at": "yesterday-ish"},
        {"kind": "raid", "area": "North", "seen": "x" * 2001},
    ],
)
def test_bad_reports_are_refused(client: Any, world: DefenceWorld, body: dict[str, Any]) -> None:
    answer = _as(client, world.member).post(_api(world, "/incidents"), body, content_type="application/json")
    assert answer.status_code == 400
    assert answer.json()["detail"]
    assert not Incident.objects.exists()


def test_an_incident_not_yours_is_not_found(client: Any, world: DefenceWorld) -> None:
    code = (
        _as(client, world.member)
        .post(_api(world, "/incidents"), {"kind": "raid", "area": "North"}, content_type="application/json")
        .json()["code"]
    )
    for who in (world.coordinator, world.responder):
        assert _as(client, who).get(_api(world, f"/incidents/{code}")).status_code == 404


def test_a_member_may_not_verify_their_own_report(client: Any, world: DefenceWorld) -> None:
    code = (
        _as(client, world.member)
        .post(_api(world, "/incidents"), {"kind": "raid", "area": "North"}, content_type="application/json")
        .json()["code"]
    )
    assert client.post(_api(world, f"/incidents/{code}/verify")).status_code == 403
    assert Incident.objects.get().status == "reported"


def test_eviction_cases(client: Any, world: DefenceWorld) -> None:
    made = _as(client, world.coordinator).post(
        _api(world, "/evictions"),
        {"household": "HH-7", "landlord": "Crestline"},
        content_type="application/json",
    )
    assert made.status_code == 201
    bad = client.post(
        _api(world, f"/evictions/{made.json()['id']}/dates"),
        {"at": "next tuesday"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert _as(client, world.member).get(_api(world, "/evictions")).json()[0]["household"] == "HH-7"
    refused = client.post(
        _api(world, "/evictions"), {"household": "HH-8", "landlord": "X"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert EvictionCase.objects.count() == 1
