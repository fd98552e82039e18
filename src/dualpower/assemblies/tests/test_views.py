"""Pages work without JavaScript: forms post, the page answers, refusals say why."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.assemblies import services
from dualpower.assemblies.models import Comment, Proposal, Vote
from dualpower.assemblies.tests.factories import after_close, general, open_proposal
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db
BASE = "/c/riverside/assemblies"


def test_a_member_puts_a_proposal_forward_with_an_action(
    client_for: Any, community: Any, people: Any
) -> None:
    general(community)
    client = client_for("member")
    start = client.get(f"{BASE}/general/propose/").content.decode()
    assert 'method="get"' in start and "Step 1 of 2" in start
    cato = membership_of(people["coordinator"], community)
    url = f"{BASE}/general/propose/?process=consent&action=members.role"
    form = client.get(url).content.decode()
    # Only what consent uses, and the people picked by name: no options, no places, no ids to type.
    assert 'name="options"' not in form and 'name="seats"' not in form
    assert f'<option value="{cato.pk}">Cato' in form
    response = client.post(
        url,
        {
            "title": "Cato steps down",
            "body": "Thanks Cato.",
            "voting_mode": "online",
            "a_membership": cato.pk,
            "a_role": "member",
        },
    )
    proposal = Proposal.objects.get()
    assert response.status_code == 302 and response.url == proposal.get_absolute_url()
    assert proposal.process == "consent"
    assert proposal.actions.get().params == {"membership": cato.pk, "role": "member"}
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert "If it passes, this happens" in page and "Give Cato" in page


def test_a_policy_change_is_proposed_from_the_policy_page(client_for: Any, community: Any) -> None:
    ga = general(community)
    client = client_for("member")
    page = client.get(f"{BASE}/general/policy/").content.decode()
    assert "only by a decision" in page and "<caption>" in page
    start = client.get(f"{BASE}/general/propose/?policy=1")
    assert start.status_code == 302 and "action=assemblies.change_policy" in start.url
    form = client.get(start.url).content.decode()
    assert "Change how General assembly decides" in form
    response = client.post(
        start.url,
        {
            "title": "Shorter votes",
            "voting_mode": "online",
            "a_assembly": ga.pk,
            "a_voting_days": 3,
            "a_quorum": "20",
        },
    )
    assert response.status_code == 302
    params = Proposal.objects.get().actions.get().params
    assert params == {"assembly": ga.pk, "changes": {"voting_days": 3, "quorum": "0.2000"}}
    shown = client.get(response.url).content.decode()
    assert "quorum" in shown and "20%" in shown and "0.2000" not in shown


def test_a_bad_proposal_form_says_why_and_writes_nothing(client_for: Any, community: Any) -> None:
    general(community)
    response = client_for("member").post(
        f"{BASE}/general/propose/?process=approval",
        {"title": "Where?", "body": "Somewhere green", "seats": 1, "options": "Park"},
    )
    page = response.content.decode()
    assert response.status_code == 400 and "at least two options" in page
    # Everything typed is kept, and the summary at the top links to the field.
    assert 'value="Where?"' in page and "Somewhere green" in page and 'class="error-summary"' in page
    assert not Proposal.objects.exists()


def test_voting_by_form_then_changing_it(client_for: Any, community: Any, people: Any) -> None:
    p = open_proposal(
        general(community), membership_of(people["coordinator"], community), process="consensus"
    )
    client = client_for("member")
    url = f"{BASE}/general/p/{p.pk}/vote/"
    # A refused vote shows the proposal's page again: the sentence at the top, the choice kept.
    response = client.post(url, {"position": "block"})
    page = response.content.decode()
    assert response.status_code == 400 and "needs a reason" in page and 'class="error-summary"' in page
    assert 'value="block" checked' in page
    assert not Vote.objects.exists()
    assert client.post(url, {"position": "agree"}).status_code == 302
    assert client.post(url, {"position": "stand_aside"}).status_code == 302
    assert list(Vote.objects.values_list("position", flat=True)) == ["stand_aside"]
    assert "Change your vote" in client.get(p.get_absolute_url()).content.decode()


def test_an_observer_cannot_vote_by_form(client_for: Any, community: Any, people: Any) -> None:
    p = open_proposal(general(community), membership_of(people["coordinator"], community), process="majority")
    page = client_for("observer").get(p.get_absolute_url()).content.decode()
    assert "Your position" not in page
    response = client_for("observer").post(f"{BASE}/general/p/{p.pk}/vote/", {"position": "agree"})
    assert response.status_code == 403 and not Vote.objects.exists()


def test_a_ranked_ballot_by_form(client_for: Any, community: Any, people: Any) -> None:
    p = open_proposal(
        general(community),
        membership_of(people["coordinator"], community),
        process="ranked",
        options=["A", "B"],
    )
    a, b = p.options.all()
    client = client_for("member")
    assert (
        client.post(f"{BASE}/general/p/{p.pk}/vote/", {f"rank_{a.pk}": "2", f"rank_{b.pk}": "1"}).status_code
        == 302
    )
    assert Vote.objects.get().choices == [str(b.pk), str(a.pk)]
    response = client.post(f"{BASE}/general/p/{p.pk}/vote/", {f"rank_{a.pk}": "1", f"rank_{b.pk}": "1"})
    assert response.status_code == 400 and "Give each option a different rank" in response.content.decode()


def test_a_secret_vote_shows_the_receipt_once_and_checks_it(
    client_for: Any, community: Any, people: Any
) -> None:
    p = open_proposal(
        general(community, secret_ballots=True),
        membership_of(people["coordinator"], community),
        process="majority",
    )
    client = client_for("member")
    page = client.post(f"{BASE}/general/p/{p.pk}/vote/", {"position": "agree"}).content.decode()
    assert "Your receipt code" in page
    import re

    found = re.search(r"<code>([A-Z0-9-]{19})</code>", page)
    assert found is not None
    code = found.group(1)
    assert code not in client.get(p.get_absolute_url()).content.decode()
    services.proposal_close(proposal=p, now=after_close(p))
    checked = client.post(f"{BASE}/general/p/{p.pk}/receipt/", {"receipt": code}).content.decode()
    assert "Your ballot is in the count" in checked


def test_comment_and_amendment_by_form(client_for: Any, community: Any, people: Any) -> None:
    p = services.proposal_create(
        assembly=general(community), by=membership_of(people["member"], community), title="T", body="Old"
    )
    client = client_for("coordinator")
    assert client.post(f"{BASE}/general/p/{p.pk}/comment/", {"body": "Good idea"}).status_code == 302
    assert (
        client.post(f"{BASE}/general/p/{p.pk}/amend/", {"body": "New", "reason": "clearer"}).status_code
        == 302
    )
    amendment = p.amendments.get()
    # Only the author answers.
    assert (
        client.post(f"{BASE}/general/p/{p.pk}/amendments/{amendment.pk}/", {"answer": "accept"}).status_code
        == 403
    )
    author = client_for("member")
    assert (
        author.post(f"{BASE}/general/p/{p.pk}/amendments/{amendment.pk}/", {"answer": "accept"}).status_code
        == 302
    )
    p.refresh_from_db()
    assert p.body == "New" and Comment.objects.count() == 1


def test_the_assembly_page_shows_what_is_open_and_what_was_decided(
    client_for: Any, community: Any, people: Any
) -> None:
    ga = general(community)
    cato = membership_of(people["coordinator"], community)
    open_p = open_proposal(ga, cato, title="Open one", process="majority")
    done = open_proposal(ga, cato, title="Done one", process="majority")
    services.proposal_close(proposal=done, now=after_close(done))
    page = client_for("member").get(f"{BASE}/general/").content.decode()
    assert "Open one" in page and "Done one" in page and "did not pass" in page
    assert open_p.get_absolute_url() in page
    listing = client_for("member").get(f"{BASE}/").content.decode()
    assert "Votes waiting for you" in listing


def test_the_dashboard_panel_lists_votes_waiting(client_for: Any, community: Any, people: Any) -> None:
    from django.test import RequestFactory

    from dualpower.assemblies.widgets import votes_waiting_panel

    p = open_proposal(general(community), membership_of(people["coordinator"], community), process="majority")
    request = RequestFactory().get("/")
    request.user = people["member"]
    panel = votes_waiting_panel(request, community)
    assert panel is not None and panel.context["waiting"] == [p]
    request.user = people["outsider"]
    assert votes_waiting_panel(request, community) is None


def test_pages_of_another_community_are_not_shown(client_for: Any, community: Any) -> None:
    general(community)
    assert client_for("outsider").get(f"{BASE}/general/").status_code == 403
    assert client_for("anonymous").get(f"{BASE}/").status_code in (302, 401)


def test_the_dashboard_panel_renders_votes_waiting(community: Any, people: Any) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory

    from dualpower.assemblies.widgets import votes_waiting_panel

    p = open_proposal(general(community), membership_of(people["coordinator"], community), process="majority")
    request = RequestFactory().get("/")
    request.user = people["member"]
    panel = votes_waiting_panel(request, community)
    assert panel is not None
    html = render_to_string(panel.template, {"panel": panel, "community": community})
    assert p.title in html and p.get_absolute_url() in html


def test_a_draft_is_seen_only_by_its_author_until_put_forward(
    client_for: Any, community: Any, people: Any
) -> None:
    mara = membership_of(people["member"], community)
    p = services.proposal_create(assembly=general(community), by=mara, title="Rough idea", draft=True)
    assert client_for("member").get(p.get_absolute_url()).status_code == 200
    assert client_for("observer").get(p.get_absolute_url()).status_code == 404
    assert (
        client_for("observer").post(f"{BASE}/general/p/{p.pk}/step/", {"step": "discuss"}).status_code == 404
    )
    assert client_for("member").post(f"{BASE}/general/p/{p.pk}/step/", {"step": "discuss"}).status_code == 302
    p.refresh_from_db()
    assert p.state == Proposal.State.DISCUSSION
    assert client_for("observer").get(p.get_absolute_url()).status_code == 200


def test_withdrawing_skips_the_actions(client_for: Any, community: Any, people: Any) -> None:
    mara = membership_of(people["member"], community)
    p = services.proposal_create(
        assembly=general(community),
        by=mara,
        title="Make me coordinator",
        actions=[{"kind": "members.role", "params": {"membership": mara.pk, "role": "coordinator"}}],
    )
    assert (
        client_for("member").post(f"{BASE}/general/p/{p.pk}/step/", {"step": "withdraw"}).status_code == 302
    )
    p.refresh_from_db()
    assert p.state == Proposal.State.WITHDRAWN and p.actions.get().status == "skipped"
    response = client_for("member").post(f"{BASE}/general/p/{p.pk}/step/", {"step": "withdraw"}, follow=True)
    assert "already decided or withdrawn" in response.content.decode()


def test_an_election_by_form_links_candidates_to_members(client_for: Any, community: Any) -> None:
    general(community)
    response = client_for("member").post(
        f"{BASE}/general/propose/?process=stv",
        {
            "title": "Delegates",
            "seats": 2,
            "options": "Mara\nCato\nSomeone new",
        },
    )
    assert response.status_code == 302
    linked = {o.label: o.membership_id for o in Proposal.objects.get().options.all()}
    assert linked["Mara"] and linked["Cato"] and linked["Someone new"] is None


def test_a_long_list_of_names_is_searched_then_chosen_keeping_what_was_typed(
    client_for: Any, community: Any, people: Any
) -> None:
    general(community)
    for i in range(35):
        make_membership(community, name=f"Neighbour {i}")
    cato = membership_of(people["coordinator"], community)
    client = client_for("member")
    url = f"{BASE}/general/propose/?process=consent&action=members.role"
    assert 'name="find_a_membership"' in client.get(url).content.decode()
    found = client.post(
        url,
        {
            "title": "Cato steps down",
            "a_membership": "",
            "search": "a_membership",
            "find_a_membership": "cat",
        },
    )
    page = found.content.decode()
    assert found.status_code == 200 and not Proposal.objects.exists()
    assert 'value="Cato steps down"' in page and f'<option value="{cato.pk}">Cato' in page
    assert "Neighbour 1" not in page
    chosen = client.post(
        url,
        {
            "title": "Cato steps down",
            "voting_mode": "online",
            "a_membership": cato.pk,
            "a_role": "member",
            "find_a_membership": "cat",
        },
    )
    assert chosen.status_code == 302
    assert Proposal.objects.get().actions.get().params == {"membership": cato.pk, "role": "member"}
