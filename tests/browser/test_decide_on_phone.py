"""Deciding, finished on a 360 px phone: each test ends in the decision's effect.

(a) A coordinator puts a proposal forward through the two-step form (the process first, then only
    its fields), choosing the applicant to admit by name; a mistake keeps what was typed; the vote
    is closed after the confirmation step and the applicant is a member.
(b) A vote in the room: the teller enters the show of hands, a second member witnesses it, and
    the proposal is decided at once, its action carried out.

Every page visited passes axe-core and is no wider than the screen. Real browser, real server.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.conftest import PHONE_WIDTH, assert_fits

from dualpower.assemblies import services
from dualpower.assemblies.models import Proposal
from dualpower.members.models import Application, Membership
from dualpower.members.tests.factories import (
    PASSWORD,
    ApplicationFactory,
    make_community,
    make_membership,
    make_user,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _phone(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": PHONE_WIDTH, "height": 740}, locale="en")
    context.set_default_timeout(15_000)
    return context


def _sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


def _checked(page: Any, name: str, assert_accessible: Any) -> None:
    """Every page visited: no wider than the phone, and no serious accessibility problem."""
    page.wait_for_load_state()
    assert_fits(page, name)
    assert_accessible(page, name)


def test_a_proposal_admits_an_applicant_chosen_by_name_on_a_phone(
    live_server: Any, browser: Any, screenshot: Any, assert_accessible: Any
) -> None:
    from django.urls import reverse

    reverse("home")  # load every app's URLs before the first page, so it is not timed out
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )
    others = [make_membership(community, name=name) for name in ("Ade", "Bea")]
    lee = ApplicationFactory.create(community=community, display_name="Lee", answers=[])
    ga = services.general_assembly_for(community)
    ga.policy.discussion_days = 0  # straight to the vote
    ga.policy.save()

    context = _phone(browser)
    page = context.new_page()
    try:
        _sign_in(page, base, "cato@example.org")
        page.goto(f"{base}/c/riverside/assemblies/")
        _checked(page, "assemblies", assert_accessible)
        page.get_by_role("link", name="General assembly").first.click()
        _checked(page, "general assembly", assert_accessible)
        page.get_by_role("link", name="Put a proposal forward").click()

        # Step 1: how we decide, and what the decision does. No JavaScript: a GET form.
        _checked(page, "propose, step 1", assert_accessible)
        screenshot(page, "decide-phone-01-step1-360")
        page.get_by_role("radio", name=re.compile(r"^Majority vote")).check()
        page.get_by_label("If it passes, do this").select_option(label="Admit an applicant")
        page.get_by_role("button", name="Next").click()

        # Step 2: only the fields a majority vote uses; the applicant is picked by name.
        _checked(page, "propose, step 2", assert_accessible)
        main = page.locator("main")
        assert main.get_by_label("Options (one per line)").count() == 0
        assert main.get_by_label("How many are chosen").count() == 0
        page.get_by_label("Who is admitted").select_option(label="Lee")
        page.get_by_label("The proposal").fill("Lee has helped at the pantry since spring.")
        # A mistake (no title) comes back with the summary at the top and everything kept.
        page.locator("main form").get_by_role("button", name="Put it forward").click()
        _checked(page, "propose, error", assert_accessible)
        summary = page.locator(".error-summary")
        assert summary.is_visible() and "Give the proposal a title." in summary.inner_text()
        assert summary.get_by_role("link").first.get_attribute("href") == "#id_title"
        assert page.get_by_label("The proposal").input_value().startswith("Lee has helped")
        assert page.get_by_label("Who is admitted").input_value() == str(lee.pk)
        screenshot(page, "decide-phone-02-step2-error-360")
        page.get_by_label("Title").fill("Welcome Lee")
        page.locator("main form").get_by_role("button", name="Put it forward").click()

        _checked(page, "proposal", assert_accessible)
        assert "Admit Lee as a member" in page.locator("main").inner_text()
        proposal = Proposal.objects.get()
        assert proposal.process == "majority"
        assert proposal.actions.get().params == {"application": lee.pk}

        # Cato votes here; Ade and Bea vote on their own phones.
        page.get_by_label("Agree", exact=True).check()
        page.locator("main form").get_by_role("button", name="Vote").click()
        page.wait_for_load_state()
        for member in others:
            services.vote_cast(proposal=proposal, by=member, position="agree")
        page.reload()
        _checked(page, "proposal, everyone voted", assert_accessible)
        assert "Everyone who can vote has voted" in page.locator("main").inner_text()

        # Closing asks first, saying what will happen, then the outcome shows at once.
        page.get_by_text("Close the vote now…").click()
        assert "Admit Lee as a member" in page.locator("details.confirm[open]").inner_text()
        screenshot(page, "decide-phone-03-confirm-360")
        page.get_by_role("button", name="Yes, close the vote").click()
        _checked(page, "outcome", assert_accessible)
        main_text = page.locator("main").inner_text()
        assert "Passed by a vote." in main_text and "Its actions were carried out." in main_text
        assert "3 agreed and 0 disagreed" in main_text
        screenshot(page, "decide-phone-04-outcome-360")
    finally:
        context.close()

    # The effect: Lee is a member of the community.
    lee.refresh_from_db()
    assert lee.status == Application.Status.ADMITTED
    assert Membership.objects.filter(
        community=community, display_name="Lee", status=Membership.Status.ACTIVE
    ).exists()


def test_a_witnessed_show_of_hands_decides_at_once_on_a_phone(
    live_server: Any, browser: Any, screenshot: Any, assert_accessible: Any
) -> None:
    from django.urls import reverse

    from dualpower.meetings import services as meetings
    from dualpower.meetings.models import Meeting
    from dualpower.meetings.tests.factories import make_meeting

    reverse("home")
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    cato = make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )
    mara = make_membership(community, name="Mara", user=make_user("mara@example.org"))
    ade, bea = (make_membership(community, name=name) for name in ("Ade", "Bea"))
    ga = services.general_assembly_for(community)
    proposal = services.proposal_create(
        assembly=ga,
        by=cato,
        title="Ade keeps the pantry keys",
        process="majority",
        voting_mode="room",
        actions=[{"kind": "members.role", "params": {"membership": ade.pk, "role": "coordinator"}}],
    )
    meeting = make_meeting(
        community, status=Meeting.Status.IN_PROGRESS, agenda=[{"title": "Keys", "proposal": proposal}]
    )
    for person in (cato, mara, ade, bea):
        meetings.attendance_check_in(meeting=meeting, membership=person)

    teller_context, witness_context = _phone(browser), _phone(browser)
    try:
        # The teller counts the hands and enters them.
        teller = teller_context.new_page()
        _sign_in(teller, base, "cato@example.org")
        teller.goto(f"{base}{meeting.get_absolute_url()}")
        _checked(teller, "meeting, teller", assert_accessible)
        count = teller.locator("fieldset", has_text="Enter the count")
        count.get_by_label("Agree", exact=True).fill("3")
        count.get_by_label("Disagree", exact=True).fill("1")
        count.get_by_label("People present").fill("4")
        count.get_by_role("button", name="Enter the count").click()
        _checked(teller, "meeting, count entered", assert_accessible)
        proposal.refresh_from_db()
        assert proposal.state != Proposal.State.CLOSED  # not witnessed yet: nothing decided

        # A second member who saw it witnesses it: the proposal is decided there and then.
        witness = witness_context.new_page()
        _sign_in(witness, base, "mara@example.org")
        witness.goto(f"{base}{meeting.get_absolute_url()}")
        _checked(witness, "meeting, witness", assert_accessible)
        screenshot(witness, "decide-phone-05-witness-360")
        witness.get_by_role("button", name="I saw this count: witness it").click()
        _checked(witness, "meeting, witnessed", assert_accessible)
        witness.goto(f"{base}{proposal.get_absolute_url()}")
        _checked(witness, "proposal, decided in the room", assert_accessible)
        main_text = witness.locator("main").inner_text()
        assert "Passed by a vote." in main_text and "3 agreed and 1 disagreed" in main_text
        assert "Its actions were carried out." in main_text and "in the room" in main_text
        screenshot(witness, "decide-phone-06-room-outcome-360")
    finally:
        teller_context.close()
        witness_context.close()

    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.CLOSED
    ade.refresh_from_db()
    assert ade.role == Membership.Role.COORDINATOR
