"""Deliberating, finished on a 360 px phone: from the first statement to a proposal started from
what every opinion group agreed on.

A member opens a deliberation in the general assembly, adds the first statement of her own and
votes one statement at a time; the rest of the assembly has voted (two camps that agree on two
statements); the map shows two groups and the consensus; she starts a proposal from a consensus
statement and lands on the proposal's page, which links back. Every page fits the phone and passes
axe-core. Real browser, real server.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.conftest import assert_fits

from dualpower.assemblies.models import Proposal
from dualpower.assemblies.services import general_assembly_for
from dualpower.deliberation import mapping
from dualpower.deliberation.models import Deliberation, StartedProposal
from dualpower.deliberation.tests.factories import two_camps
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


def test_from_first_statement_to_a_proposal_started_from_consensus_on_a_phone(
    live_server: Any, phone: Any, screenshot: Any, assert_accessible: Any
) -> None:
    from django.urls import reverse

    reverse("home")
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(community, name="Mara", user=make_user("mara@example.org"))
    general_assembly_for(community)
    page = phone()

    def checked(name: str) -> None:
        page.wait_for_load_state()
        assert_fits(page, name)
        assert_accessible(page, name)

    _sign_in(page, base, "mara@example.org")
    page.goto(f"{base}/c/riverside/deliberations/")
    checked("deliberations")
    page.get_by_role("link", name="Open a deliberation").click()
    checked("open a deliberation")
    page.get_by_label("The question").fill("What should we do with the empty lot?")
    page.get_by_label("Seed statements").fill("The lot should grow food.\nFamilies need homes first.")
    page.get_by_role("button", name="Open it").click()
    checked("the deliberation")
    deliberation = Deliberation.objects.get()

    page.get_by_label("Your statement").fill("The city must not sell the lot.")
    page.get_by_role("button", name="Add it").click()
    page.wait_for_load_state()
    assert deliberation.statements.count() == 3

    # One statement at a time: her vote on the first brings up the second.
    card = page.locator("#vote")
    assert "The lot should grow food." in card.inner_text()
    card.get_by_role("button", name="Agree", exact=True).click()
    page.wait_for_load_state()
    assert "Families need homes first." in page.locator("#vote").inner_text()
    screenshot(page, "deliberation-vote-phone")

    # The rest of the assembly votes: two camps, who all agree the city must not sell the lot.
    two_camps(deliberation, people=20, statements=3)
    mapping.map_refresh(deliberation_id=deliberation.pk)
    page.reload()
    checked("the map")
    assert "2 opinion groups" in page.content()
    consensus = page.locator("section", has=page.get_by_role("heading", name="The opinion map"))
    assert "The city must not sell the lot." in consensus.inner_text()
    screenshot(page, "deliberation-map-phone")

    page.get_by_role("link", name="Start a proposal from what the groups agree on").click()
    checked("start a proposal")
    page.get_by_label("The city must not sell the lot.").check()
    page.get_by_role("button", name="Use these statements").click()
    page.wait_for_load_state()
    assert "The city must not sell the lot." in page.get_by_label("Text").input_value()
    page.get_by_role("button", name="Put the proposal to the assembly").click()
    checked("the proposal")
    proposal = Proposal.objects.get()
    assert page.url.endswith(f"/p/{proposal.pk}/")
    assert StartedProposal.objects.get(proposal=proposal).deliberation == deliberation
    page.get_by_role("link", name="What should we do with the empty lot?").click()
    page.wait_for_load_state()
    assert "/deliberations/" in page.url
