"""A member fills an approval ballot, sees the limits enforced as they tick, and submits; after the
vote closes, the results page shows the funded projects and what their share paid for.

Real browser (Debian's chromium via Playwright), real server. Screenshots land in test-results/.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.conftest import PHONE_WIDTH, assert_fits

from dualpower.budgeting import services
from dualpower.budgeting.models import Ballot, Cycle, Phase, Proposal
from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
EUR = 100


def sign_in(page: Any, base: str, email: str, password: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(password)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


def test_a_member_votes_within_the_limits_and_sees_what_their_share_paid_for(
    live_server: Any, new_page: Any, screenshot: Any, assert_accessible: Any
) -> None:
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    me = make_membership(
        community, role=Membership.Role.MEMBER, name="Mara", user=make_user("mara@example.org")
    )
    cycle = services.cycle_create(
        community=community, by=None, title="Parks 2026", budget=100_000 * EUR, min_choices=1, max_choices=2,
        max_total_cost=60_000 * EUR,
    )  # fmt: skip
    for title, cost in (
        ("Playground", 40_000),
        ("Food bank", 30_000),
        ("Bike repair", 20_000),
        ("Library", 50_000),
    ):
        services.proposal_create(cycle=cycle, by=None, title=title, cost=cost * EUR)
    cycle.proposals.update(feasibility=Proposal.Feasibility.FEASIBLE)
    Cycle.objects.filter(pk=cycle.pk).update(phase=Phase.VOTING)
    cycle.refresh_from_db()
    for choices in [[("1", 1), ("3", 1)]] * 6 + [[("2", 1), ("3", 1)]] * 2:
        services.ballot_submit(cycle=cycle, voter=make_membership(community), district=None, choices=choices)

    page = new_page()
    # The shared test machine can be slow to answer: wait longer than the default 15 s.
    page.set_default_timeout(90_000)
    sign_in(page, base, "mara@example.org", PASSWORD)
    page.goto(f"{base}/c/riverside/budgets/{cycle.slug}/vote/")
    assert_accessible(page, "budget-ballot")
    # Three projects: over the limit of two, and over the 60,000 EUR the ballot may cost.
    for label in ("2. Food bank", "3. Bike repair", "4. Library"):
        page.get_by_label(re.compile(re.escape(label))).check()
    problems = page.locator("#ballot-problems")
    problems.wait_for()
    assert "Choose at most 2 projects." in problems.inner_text()
    assert "the most allowed is 60,000 EUR" in problems.inner_text()
    screenshot(page, "budget-01-over-the-limits")
    # Submitting anyway is refused by the server with the same sentence (the no-JS path too).
    page.get_by_role("button", name="Cast my ballot").click()
    page.wait_for_load_state()
    assert "Choose at most 2 projects." in page.locator("main").inner_text()
    assert not Ballot.objects.filter(voter=me).exists()
    page.get_by_label(re.compile("4. Library")).uncheck()
    page.get_by_label(re.compile("3. Bike repair")).check()
    page.get_by_label(re.compile("2. Food bank")).check()
    page.locator("#ballot-ok").wait_for()
    page.get_by_role("button", name="Cast my ballot").click()
    page.wait_for_load_state()
    assert "Your ballot was saved" in page.locator("main").inner_text()
    assert sorted(e.proposal.code for e in Ballot.objects.get(voter=me).entries.all()) == ["2", "3"]

    services.cycle_advance(cycle=cycle, by=None)  # voting closes: the count
    page.goto(f"{base}/c/riverside/budgets/{cycle.slug}/results/")
    main = page.locator("main").inner_text()
    screenshot(page, "budget-02-results")
    assert_accessible(page, "budget-results")
    funded = cycle.results.get().selected
    assert "2" in funded or "3" in funded
    for code in funded:
        assert cycle.proposals.get(code=code).title in main
    assert "What your share paid for" in main
    assert "towards" in page.locator("#my-share").locator("..").inner_text()


def _phone(browser: Any) -> Any:
    """A page on a 360 px phone, its own cookies."""
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="en")
    context.set_default_timeout(90_000)  # the shared test machine can be slow to answer
    return context.new_page()


def test_a_budgeting_vote_runs_to_its_results_on_a_360_px_phone(
    live_server: Any, browser: Any, screenshot: Any, assert_accessible: Any
) -> None:
    """Members vote on their phones, the coordinator moves the phase forward through its
    confirmation, and the results name each funded project and explain the count in sight."""
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )
    voters = {
        email: make_membership(community, name=name, user=make_user(email))
        for name, email in (("Mara", "mara@example.org"), ("Sol", "sol@example.org"))
    }
    cycle = services.cycle_create(
        community=community, by=None, title="Parks 2026", budget=60_000 * EUR, min_choices=1
    )
    for title, cost in (("Playground", 40_000), ("Community fridge", 15_000), ("Bike repair", 20_000)):
        services.proposal_create(cycle=cycle, by=None, title=title, cost=cost * EUR)
    cycle.proposals.update(feasibility=Proposal.Feasibility.FEASIBLE)
    Cycle.objects.filter(pk=cycle.pk).update(phase=Phase.VOTING)
    cycle.refresh_from_db()
    for choices in [[("1", 1)]] * 3 + [[("2", 1), ("3", 1)]] * 2:
        services.ballot_submit(cycle=cycle, voter=make_membership(community), district=None, choices=choices)

    # 1. Two members vote on their phones.
    for email, ticks in (
        ("mara@example.org", ["2. Community fridge"]),
        ("sol@example.org", ["1. Playground"]),
    ):
        page = _phone(browser)
        sign_in(page, base, email, PASSWORD)
        page.goto(f"{base}/c/riverside/budgets/{cycle.slug}/vote/")
        assert_fits(page)
        assert_accessible(page, "budget-phone-ballot")
        for label in ticks:
            page.get_by_label(re.compile(re.escape(label))).check()
        page.get_by_role("button", name="Cast my ballot").click()
        page.wait_for_load_state()
        assert "Your ballot was saved" in page.locator("main").inner_text()
        assert Ballot.objects.filter(voter=voters[email]).exists()
        page.context.close()

    # 2. The coordinator moves the phase forward: the step asks first and says phases never go back.
    page = _phone(browser)
    sign_in(page, base, "cato@example.org", PASSWORD)
    page.goto(f"{base}/c/riverside/budgets/{cycle.slug}/")
    assert_fits(page)
    assert_accessible(page, "budget-phone-cycle")
    page.locator("details.confirm > summary", has_text="Move to the next phase: Results").click()
    confirm = page.locator("details.confirm[open]")
    assert "Phases never go back" in confirm.inner_text()
    assert "the ballots are counted" in confirm.inner_text()
    assert_fits(page)
    assert_accessible(page, "budget-phone-confirm")
    screenshot(page, "budget-phone-01-confirm")
    confirm.get_by_role("button", name="Yes, move to Results").click()
    page.wait_for_load_state()
    cycle.refresh_from_db()
    assert cycle.phase == Phase.RESULTS

    # 3. The results name each funded project and explain the count in sight, not collapsed.
    page.goto(f"{base}/c/riverside/budgets/{cycle.slug}/results/")
    assert_fits(page)
    assert_accessible(page, "budget-phone-results")
    screenshot(page, "budget-phone-02-results")
    funded = cycle.results.get().selected
    assert funded
    table = page.locator("main table").first
    steps = page.locator("ol.count-steps")
    assert steps.is_visible()
    assert page.locator("details ol.count-steps").count() == 0
    for code in funded:
        title = cycle.proposals.get(code=code).title
        assert table.get_by_role("rowheader", name=title).is_visible()
        assert title in steps.inner_text()
    # On a phone each cell says which column it is.
    assert table.locator("td[data-label='Cost']").first.is_visible()
    page.context.close()
