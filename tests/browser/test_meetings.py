"""A coordinator schedules and starts a meeting; members check in and watch the quorum fill.

Real browser (Debian's chromium via Playwright), real server. The quorum box refreshes itself
with htmx: the member's page shows the second check-in without being reloaded.
"""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from dualpower.assemblies.services import general_assembly_for
from dualpower.meetings.models import Attendance, Meeting
from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


def test_a_meeting_is_scheduled_started_and_the_quorum_fills_live(
    live_server: Any, new_page: Any, screenshot: Any, assert_accessible: Any
) -> None:
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    assembly = general_assembly_for(community)
    assembly.policy.quorum = "0.5"
    assembly.policy.save()
    make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )
    make_membership(community, name="Mara", user=make_user("mara@example.org"))
    make_membership(community, name="Sol", user=make_user("sol@example.org"))
    make_membership(community, name="Ines", user=make_user("ines@example.org"))

    # 1. The coordinator schedules the meeting; the roles are suggested.
    coordinator = new_page()
    sign_in(coordinator, base, "cato@example.org")
    coordinator.goto(f"{base}/c/riverside/meetings/new/")
    if coordinator.get_by_text("Which assembly meets?").count():
        # More than one assembly: the first step chooses which one meets (its roles, its rotation).
        assert_accessible(coordinator, "meeting-new-assembly")
        coordinator.get_by_label("General assembly").check()
        coordinator.get_by_role("button", name="Next: time, place and roles").click()
        coordinator.wait_for_load_state()
    assert_accessible(coordinator, "meeting-new")
    assert "General assembly" in coordinator.locator("main").inner_text()
    start = timezone.localtime() + timedelta(days=1)
    coordinator.get_by_label("Title").fill("Winter assembly")
    coordinator.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    coordinator.get_by_label("Ends").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    coordinator.get_by_label("Place").fill("The hall")
    screenshot(coordinator, "meetings-01-schedule")
    coordinator.get_by_role("button", name="Schedule").click()
    coordinator.wait_for_load_state()
    meeting = Meeting.objects.get(title="Winter assembly")
    assert meeting.facilitator is not None  # the suggestion was kept
    assert_accessible(coordinator, "meeting-detail")
    coordinator.get_by_role("button", name="Start the meeting").click()
    coordinator.wait_for_load_state()

    # 2. Mara checks in from her phone; the quorum box says one of four, two needed.
    mara = new_page()
    sign_in(mara, base, "mara@example.org")
    mara.goto(f"{base}/c/riverside/meetings/{meeting.pk}/")
    mara.get_by_role("button", name="I am here: check in").click()
    mara.wait_for_load_state()
    quorum = mara.locator("#quorum")
    assert "1 voter present of 4" in quorum.inner_text()
    assert "No quorum yet" in quorum.inner_text()

    # 3. Sol checks in elsewhere; Mara's page shows it without a reload.
    sol = new_page()
    sign_in(sol, base, "sol@example.org")
    sol.goto(f"{base}/c/riverside/meetings/{meeting.pk}/")
    sol.get_by_role("button", name="I am here: check in").click()
    sol.wait_for_load_state()
    quorum.get_by_text("Quorum reached").wait_for(timeout=15_000)
    assert "2 voters present of 4" in mara.locator("#quorum").inner_text()
    screenshot(mara, "meetings-02-quorum")
    assert Attendance.objects.filter(meeting=meeting).count() == 2

    # 4. The list and the minutes pages are accessible too.
    mara.goto(f"{base}/c/riverside/meetings/")
    assert_accessible(mara, "meetings-list")
    mara.goto(f"{base}/c/riverside/meetings/{meeting.pk}/minutes/")
    assert_accessible(mara, "meeting-minutes")
    mara.goto(f"{base}/c/riverside/meetings/calendar/")
    assert_accessible(mara, "meetings-calendar")

    # 5. The coordinator ends the meeting: the step asks first and says what will happen.
    coordinator.goto(f"{base}/c/riverside/meetings/{meeting.pk}/")
    coordinator.locator("details.confirm > summary", has_text="End the meeting").click()
    confirm = coordinator.locator("details.confirm[open]")
    assert "cannot start again" in confirm.inner_text()
    assert_accessible(coordinator, "meeting-end-confirm")
    confirm.get_by_role("button", name="Yes, end the meeting").click()
    coordinator.wait_for_load_state()
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.ENDED
