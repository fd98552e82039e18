"""A member proposes a role change, others vote, the clock closes the vote, the outcome and its effect appear.

Real browser (Debian's chromium via Playwright), real server (pytest-django's live_server). The
other members vote through the services; the decision closes when the clock job runs.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from dualpower.assemblies import services
from dualpower.assemblies.jobs import windows
from dualpower.assemblies.models import Proposal
from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


def test_a_member_proposes_others_vote_and_the_decision_takes_effect(
    live_server: Any, new_page: Any, screenshot: Any, assert_accessible: Any
) -> None:
    from django.urls import reverse

    reverse("home")  # load every app's URLs before the first page, so it is not timed out
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )
    mara = make_membership(community, name="Mara", user=make_user("mara@example.org"))
    others = [make_membership(community, name=name) for name in ("Ade", "Bea", "Chen")]
    ga = services.general_assembly_for(community)
    ga.policy.discussion_days = 0  # straight to the vote
    ga.policy.save()

    page = new_page()
    sign_in(page, base, "mara@example.org", PASSWORD)
    page.goto(f"{base}/c/riverside/assemblies/")
    assert_accessible(page, "assemblies")
    page.get_by_role("link", name="General assembly").click()
    page.get_by_role("link", name="Put a proposal forward").click()
    assert_accessible(page, "propose")
    page.get_by_role("radio", name=re.compile(r"^Majority vote")).check()
    page.get_by_label("If it passes, do this").select_option("members.role")
    page.get_by_role("button", name="Next").click()
    page.wait_for_load_state()
    assert_accessible(page, "propose, step 2")
    page.get_by_label("Title").fill("Ade becomes a coordinator")
    page.get_by_label("The proposal").fill("Ade has run the pantry for a year.")
    page.get_by_label("Whose role").select_option(label="Ade")
    page.get_by_label("The role they will have").select_option(label="Coordinator")
    screenshot(page, "assemblies-01-propose")
    page.locator("main form").get_by_role("button", name="Put it forward").click()
    page.wait_for_load_state()
    assert "If it passes, this happens" in page.locator("main").inner_text()
    assert_accessible(page, "proposal")

    # Mara votes in the page; the others vote through the services.
    page.get_by_label("Agree", exact=True).check()
    page.locator("main form").get_by_role("button", name="Vote").click()
    page.wait_for_load_state()
    proposal = Proposal.objects.get()
    for member in others:
        services.vote_cast(proposal=proposal, by=member, position="agree")
    screenshot(page, "assemblies-02-voted")

    # The clock closes the vote when its time is up.
    proposal.refresh_from_db()
    windows(proposal.voting_closes_at + timedelta(minutes=1))
    page.reload()
    main = page.locator("main").inner_text()
    assert "Passed by a vote." in main and "Its actions were carried out." in main
    assert_accessible(page, "outcome")
    screenshot(page, "assemblies-03-outcome")
    others[0].refresh_from_db()
    assert others[0].role == Membership.Role.COORDINATOR
    assert mara.pk  # Mara remains the author
