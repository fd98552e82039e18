"""The API: cycles, proposals, own ballot, results and implementation, for each role."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.budgeting import services
from dualpower.budgeting.models import Ballot, BallotEntry, Cycle, Phase
from dualpower.budgeting.tests.factories import make_cycle
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db


def base(cycle: Cycle) -> str:
    return f"/api/v1/communities/{cycle.community.slug}/budgets/{cycle.slug}"


@pytest.mark.parametrize("role", ROLES)
def test_casting_a_ballot_by_role(client_for: Any, community: Any, role: str) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    response = client_for(role).put(
        base(cycle) + "/ballots/mine",
        {"choices": [{"project": "1"}, {"project": "3"}]},
        content_type="application/json",
    )
    if role in {"member", "coordinator"}:
        assert response.status_code == 200
        assert [c["project"] for c in response.json()["choices"]] == ["1", "3"]
    else:
        assert response.status_code in {401, 403}
        assert Ballot.objects.count() == 0


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"choices": [{"project": "99"}]}, 400),
        ({"choices": [{"project": "1", "points": 0}]}, 422),
        ({"choices": [{"project": "1"}], "district": 12345}, 400),
        ({"choices": "1"}, 422),
        ({}, 422),
    ],
)
def test_a_bad_ballot_is_refused_and_nothing_written(
    client_for: Any, community: Any, body: Any, status: int
) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    response = client_for("member").put(base(cycle) + "/ballots/mine", body, content_type="application/json")
    assert response.status_code in {status, 400}
    assert "detail" in response.json()
    assert Ballot.objects.count() == 0 and BallotEntry.objects.count() == 0


def test_a_voter_sees_only_their_own_ballot_and_may_withdraw_it(client_for: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    client_for("coordinator").put(
        base(cycle) + "/ballots/mine", {"choices": [{"project": "2"}]}, content_type="application/json"
    )
    client = client_for("member")
    client.put(
        base(cycle) + "/ballots/mine", {"choices": [{"project": "1"}]}, content_type="application/json"
    )
    mine = client.get(base(cycle) + "/ballots/mine").json()
    assert [b["choices"] for b in mine] == [[{"project": "1", "points": 1}]]
    assert client.delete(base(cycle) + "/ballots/mine").status_code == 204
    assert client.get(base(cycle) + "/ballots/mine").json() == []
    assert Ballot.objects.count() == 1


def test_voting_on_a_closed_cycle_is_a_conflict(client_for: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    services.cycle_advance(cycle=cycle, by=None)
    response = client_for("member").put(
        base(cycle) + "/ballots/mine", {"choices": [{"project": "1"}]}, content_type="application/json"
    )
    assert response.status_code == 403  # the rule already says no voting in this phase
    assert Ballot.objects.count() == 0


def test_results_appear_once_counted_with_the_recount_hash(client_for: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    client = client_for("member")
    client.put(
        base(cycle) + "/ballots/mine", {"choices": [{"project": "3"}]}, content_type="application/json"
    )
    assert client.get(base(cycle) + "/results").status_code == 403
    services.cycle_advance(cycle=cycle, by=None)
    [result] = client.get(base(cycle) + "/results").json()
    assert result["selected"] == ["3"] and len(result["ballot_file_sha256"]) == 64
    assert result["votes"]["3"]["online"] == 1
    download = client.get(result["ballot_file_url"])
    assert download.status_code == 200 and download["X-Content-SHA256"] == result["ballot_file_sha256"]


def test_a_coordinator_creates_a_cycle_and_bad_input_is_400(client_for: Any, community: Any) -> None:
    client = client_for("coordinator")
    url = f"/api/v1/communities/{community.slug}/budgets"
    ok = client.post(
        url,
        {"title": "Parks", "budget": 500000, "districts": [{"name": "North", "budget": 1000}]},
        content_type="application/json",
    )
    assert ok.status_code == 201 and ok.json()["districts"][0]["budget"] == 1000
    bad = client.post(url, {"title": "Parks", "budget": 5.5}, content_type="application/json")
    assert bad.status_code in {400, 422}
    bad = client.post(url, {"title": "Parks", "budget": 1, "rule": "nope"}, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["field"] == "rule"
    assert Cycle.objects.count() == 1
    assert (
        client_for("member")
        .post(url, {"title": "X", "budget": 1}, content_type="application/json")
        .status_code
        == 403
    )


def test_ideas_proposals_and_feasibility_through_the_api(client_for: Any, community: Any) -> None:
    cycle = make_cycle(community)
    member = client_for("member")
    idea = member.post(base(cycle) + "/ideas", {"title": "Benches"}, content_type="application/json")
    assert idea.status_code == 201
    proposal = member.post(
        base(cycle) + "/proposals",
        {"title": "Benches", "cost": 90000, "ideas": [idea.json()["id"]]},
        content_type="application/json",
    )
    assert proposal.status_code == 201
    code = proposal.json()["code"]
    cycle.phase = Phase.FEASIBILITY
    cycle.save()
    coordinator = client_for("coordinator")
    refused = coordinator.post(
        base(cycle) + f"/proposals/{code}/feasibility", {"feasible": False}, content_type="application/json"
    )
    assert refused.status_code == 400
    done = coordinator.post(
        base(cycle) + f"/proposals/{code}/feasibility", {"feasible": True}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["feasibility"] == "feasible"
    assert (
        member.post(base(cycle) + "/ideas", {"title": "Late"}, content_type="application/json").status_code
        == 403
    )


def test_implementation_through_the_api(client_for: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, count_is_binding=True)
    coordinator = client_for("coordinator")
    coordinator.put(
        base(cycle) + "/ballots/mine", {"choices": [{"project": "2"}]}, content_type="application/json"
    )
    services.cycle_advance(cycle=cycle, by=None)
    services.cycle_advance(cycle=cycle, by=None)
    patched = coordinator.patch(
        base(cycle) + "/proposals/2/implementation",
        {"status": "in_progress", "spent": 500},
        content_type="application/json",
    )
    assert patched.status_code == 200 and patched.json()["spent"] == 500
    update = coordinator.post(
        base(cycle) + "/proposals/2/updates", {"text": "Shelves built"}, content_type="application/json"
    )
    assert update.status_code == 201 and update.json()["updates"][0]["text"] == "Shelves built"
    bad = coordinator.patch(
        base(cycle) + "/proposals/2/implementation", {"status": "abandoned"}, content_type="application/json"
    )
    assert bad.status_code == 400
    listed = client_for("anonymous").get(base(cycle) + "/implementation").json()  # a public community
    assert [(p["code"], p["status"]) for p in listed] == [("2", "in_progress")]
