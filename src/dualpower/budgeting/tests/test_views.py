"""The pages: each phase's page for each role, the ballot with and without JavaScript, results."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from dualpower.budgeting import services
from dualpower.budgeting.models import Ballot, Cycle, Phase, ProgressUpdate, Proposal
from dualpower.budgeting.tests.factories import EUR, make_cycle
from dualpower.members.tests.factories import ROLES, make_membership, membership_of

pytestmark = pytest.mark.django_db

READERS = {"observer", "member", "coordinator"}


def url(cycle: Cycle, page: str = "") -> str:
    return f"/c/{cycle.community.slug}/budgets/{cycle.slug}/{page}"


@pytest.mark.parametrize("role", ROLES)
def test_the_cycle_pages_are_for_the_communitys_people(client_for: Any, community: Any, role: str) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    client = client_for(role)
    for page in ("", "ideas/", "proposals/", f"proposals/{cycle.proposals.all()[0].code}/"):
        response = client.get(url(cycle, page))
        expected = 200 if role in READERS else (302 if role == "anonymous" else 403)
        assert response.status_code in ({expected, 401} if role == "anonymous" else {expected}), page


@pytest.mark.parametrize("role", ROLES)
def test_only_members_open_the_ballot(client_for: Any, community: Any, role: str) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    response = client_for(role).get(url(cycle, "vote/"))
    if role in {"member", "coordinator"}:
        assert response.status_code == 200
        assert "Cast my ballot" in response.content.decode()
    else:
        assert response.status_code in {302, 401, 403}


def test_a_ballot_outside_the_limits_comes_back_with_the_reason_without_javascript(
    client_for: Any, community: Any
) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, max_choices=2)
    client = client_for("member")
    response = client.post(url(cycle, "vote/"), {"district": "citywide", "p": ["1", "2", "3"]})
    assert response.status_code == 400
    assert "Choose at most 2 projects." in response.content.decode()
    assert Ballot.objects.count() == 0
    response = client.post(url(cycle, "vote/"), {"district": "citywide", "p": ["1", "2"]})
    assert response.status_code == 302
    assert Ballot.objects.get().entries.count() == 2
    page = client.get(url(cycle, "vote/")).content.decode()
    assert 'value="1" id="p-1" checked' in page and "Save my changed ballot" in page


def test_the_running_total_answers_htmx(client_for: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, max_total_cost=50_000 * EUR)
    response = client_for("member").post(url(cycle, "vote/check/"), {"p": ["1", "2"]}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert "70,000 EUR" in body and "the most allowed is 50,000 EUR" in body
    assert Ballot.objects.count() == 0


def _counted(community: Any) -> tuple[Cycle, Any]:
    cycle = make_cycle(community, phase=Phase.VOTING)
    voter = None
    for i, codes in enumerate([["1", "4"]] * 6 + [["2", "3"]] * 4):
        voter = make_membership(community, name=f"Voter {i}")
        services.ballot_submit(cycle=cycle, voter=voter, district=None, choices=[(c, 1) for c in codes])
    return cycle, voter


@pytest.mark.parametrize("where", ["results/", "results/citywide.pb", "implementation/"])
def test_no_result_leaks_through_pages_or_exports_while_voting_is_open(
    client_for: Any, community: Any, where: str
) -> None:
    cycle, _voter = _counted(community)
    response = client_for("coordinator").get(url(cycle, where))
    assert response.status_code == 403
    assert "Playground" not in response.content.decode()


def test_no_result_leaks_through_the_api_while_voting_is_open(client_for: Any, community: Any) -> None:
    cycle, _voter = _counted(community)
    client = client_for("coordinator")
    base = f"/api/v1/communities/{community.slug}/budgets/{cycle.slug}"
    assert client.get(base + "/results").status_code == 403
    assert client.get(base + "/implementation").status_code == 403
    for path in ("", "/proposals"):
        body = client.get(base + path).content.decode()
        assert "votes" not in body and "selected" not in body


def test_the_results_page_shows_funded_projects_the_recount_and_my_share(client: Any, community: Any) -> None:
    cycle, voter = _counted(community)
    services.cycle_advance(cycle=cycle, by=None)
    client.force_login(voter.user)
    body = client.get(url(cycle, "results/")).content.decode()
    for text in (
        "Food bank",
        "Bike repair",
        "What your share paid for",
        "dualpower tally",
        "Compared with greedy",
    ):
        assert text in body
    result = cycle.results.get()
    assert result.ballot_file_sha256 in body
    download = client.get(url(cycle, "results/citywide.pb"))
    assert download.status_code == 200
    assert download.content == result.ballot_file.encode()


def test_a_coordinator_imports_a_pabulib_file_and_a_bad_one_is_refused(
    client_for: Any, community: Any, pabulib: Path
) -> None:
    client = client_for("coordinator")
    bad = SimpleUploadedFile("bad.pb", b"not a pabulib file")
    response = client.post(f"/c/{community.slug}/budgets/import/", {"file": bad})
    assert response.status_code == 400 and "cannot be read" in response.content.decode()
    assert Cycle.objects.count() == 0
    data = (pabulib / "Netherlands_Assen_2024.pb").read_bytes()
    response = client.post(
        f"/c/{community.slug}/budgets/import/", {"file": SimpleUploadedFile("Assen.pb", data)}
    )
    assert response.status_code == 302
    cycle = Cycle.objects.get()
    assert cycle.phase == Phase.RESULTS and cycle.results.count() == 1
    assert (
        client_for("member")
        .post(f"/c/{community.slug}/budgets/import/", {"file": SimpleUploadedFile("Assen.pb", data)})
        .status_code
        == 403
    )


def test_the_import_api_refuses_a_bad_file_with_a_sentence(client_for: Any, community: Any) -> None:
    client = client_for("coordinator")
    response = client.post(
        f"/api/v1/communities/{community.slug}/budgets/import",
        {"file": SimpleUploadedFile("x.pb", b"META\n")},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert Cycle.objects.count() == 0


def test_a_coordinator_sets_up_a_cycle_on_the_page(client_for: Any, community: Any) -> None:
    client = client_for("coordinator")
    form = {
        "title": "Parks 2027",
        "budget": "50,000",
        "currency": "EUR",
        "rule": "mes",
        "tie_break_seed": "3",
        "ballot_type": "approval",
        "min_choices": "1",
        "points": "10",
        "eligibility": "members",
        "districts": "North, 10000\nSouth, 12000.50",
        "categories": "Sport, 30",
    }
    response = client.post(f"/c/{community.slug}/budgets/new/", form)
    assert response.status_code == 302
    cycle = Cycle.objects.get()
    assert cycle.budget == 5_000_000 and cycle.tie_break_seed == 3
    assert sorted(cycle.districts.values_list("budget", flat=True)) == [1_000_000, 1_200_050]
    response = client.post(f"/c/{community.slug}/budgets/new/", {**form, "budget": "12.345"})
    assert response.status_code == 400 and Cycle.objects.count() == 1


def test_tellers_enter_and_confirm_paper_ballots_on_the_page(
    client_for: Any, people: Any, community: Any
) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    client = client_for("coordinator")
    response = client.post(url(cycle, "paper/"), {"action": "enter", "ballots": "1, 2\n3\n"})
    assert response.status_code == 302
    batch = Ballot.objects.all()[0].batch
    response = client.post(url(cycle, "paper/"), {"action": "confirm", "batch": batch})
    assert response.status_code == 409  # the same teller cannot confirm
    assert not Ballot.objects.filter(confirmed=True).exists()
    assert client_for("member").get(url(cycle, "paper/")).status_code == 403  # not in the working group


def test_voting_codes_come_as_a_pdf_and_work_at_the_booth(
    client_for: Any, client: Any, community: Any
) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING, eligibility="codes")
    response = client_for("coordinator").post(url(cycle, "codes/"), {"count": "3"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    [code] = services.voting_codes_issue(cycle=cycle, count=1, by=None)
    client.logout()
    response = client.post(url(cycle, "booth/"), {"code": code, "district": "citywide", "p": ["1"]})
    assert response.status_code == 200 and "Thank you for voting" in response.content.decode()
    response = client.post(url(cycle, "booth/"), {"code": code, "district": "citywide", "p": ["1"]})
    assert response.status_code == 400 and "already been used" in response.content.decode()
    # The booth's running total answers without an account; a members-only cycle's does not.
    assert client.post(url(cycle, "vote/check/"), {"p": ["1"]}, HTTP_HX_REQUEST="true").status_code == 200
    members_only = make_cycle(community, phase=Phase.VOTING, title="Members only")
    assert client.post(url(members_only, "vote/check/"), {"p": ["1"]}).status_code in {302, 401}
    assert Ballot.objects.count() == 1


def _implementing(community: Any) -> tuple[Cycle, Proposal]:
    cycle, _voter = _counted(community)
    services.cycle_advance(cycle=cycle, by=None)
    services.result_adopt(cycle=cycle, decision_ref="proposal:1")
    cycle.refresh_from_db()
    return cycle, cycle.proposals.get(code=cycle.results.get().selected[0])


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_progress_updates_take_photos_but_not_other_files(client_for: Any, community: Any) -> None:
    cycle, project = _implementing(community)
    client = client_for("coordinator")
    page = url(cycle, f"proposals/{project.code}/")
    fake = SimpleUploadedFile("x.png", b"<html>not an image</html>", content_type="image/png")
    response = client.post(page, {"form": "update", "text": "Started", "photo": fake})
    assert response.status_code == 400 and "JPEG, PNG or WebP" in response.content.decode()
    assert ProgressUpdate.objects.count() == 0
    photo = SimpleUploadedFile("site.png", PNG, content_type="image/png")
    assert client.post(page, {"form": "update", "text": "Started", "photo": photo}).status_code == 302
    assert (
        client.post(page, {"form": "status", "status": "abandoned", "reason": "", "spent": "10"}).status_code
        == 400
    )
    assert (
        client.post(page, {"form": "status", "status": "in_progress", "spent": "1200.50"}).status_code == 302
    )
    project.refresh_from_db()
    assert project.status == "in_progress" and project.spent == 120_050
    body = client_for("anonymous").get(url(cycle, "implementation/")).content.decode()  # public community
    assert project.title in body and "1,200.50 EUR" in body


def test_a_project_that_was_not_funded_is_not_tracked(client_for: Any, community: Any) -> None:
    cycle, _project = _implementing(community)
    unfunded = cycle.proposals.exclude(code__in=cycle.results.get().selected)[0]
    response = client_for("coordinator").post(
        url(cycle, f"proposals/{unfunded.code}/"), {"form": "status", "status": "done", "spent": "5"}
    )
    assert response.status_code == 409
    assert "Only funded projects" in response.content.decode()
    unfunded.refresh_from_db()
    assert unfunded.status == "planned" and unfunded.spent == 0


def test_the_map_is_drawn_only_with_coordinates(client_for: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    client = client_for("member")
    assert "<svg" not in client.get(url(cycle, "proposals/")).content.decode()
    Proposal.objects.filter(cycle=cycle, code="1").update(latitude_e6=52_990_000, longitude_e6=6_560_000)
    Proposal.objects.filter(cycle=cycle, code="2").update(latitude_e6=53_000_000, longitude_e6=6_570_000)
    body = client.get(url(cycle, "proposals/")).content.decode()
    assert "Where the projects are" in body and body.count("<circle") == 2
    assert "tile" not in body.lower()


def test_members_share_ideas_and_develop_proposals_in_their_phases(
    client_for: Any, community: Any, people: Any
) -> None:
    cycle = make_cycle(community)
    client = client_for("member")
    assert client.post(url(cycle, "ideas/"), {"title": "A bench by the river"}).status_code == 302
    assert client.post(url(cycle, "ideas/"), {"title": ""}).status_code == 400
    idea = cycle.ideas.get()
    response = client.post(
        url(cycle, "proposals/"), {"title": "Riverside benches", "cost": "1500", "ideas": [str(idea.pk)]}
    )
    assert response.status_code == 302
    idea.refresh_from_db()
    assert idea.merged_into is not None and idea.merged_into.cost == 150_000
    services.cycle_advance(cycle=cycle, by=membership_of(people["coordinator"], community))  # → development
    services.cycle_advance(cycle=cycle, by=None)  # → feasibility
    assert client.post(url(cycle, "ideas/"), {"title": "Too late"}).status_code == 403


def test_the_dashboard_panel_invites_members_to_vote(client_for: Any, community: Any) -> None:
    cycle = make_cycle(community, phase=Phase.VOTING)
    client = client_for("member")
    body = client.get(f"/c/{community.slug}/").content.decode()
    assert cycle.title in body and "Vote now" in body
    client.post(url(cycle, "vote/"), {"district": "citywide", "p": ["1"]})
    assert "you voted" in client.get(f"/c/{community.slug}/").content.decode()
