"""A coordinator publishes a public announcement from the Network page and schedules a public
meeting, on a phone (360 px) and a wide screen (1280 px): no sideways scrolling, no serious
accessibility problem, screenshots under test-results/ (fediverse-*.png)."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from tests.browser.conftest import assert_fits

from dualpower.assemblies.services import general_assembly_for
from dualpower.federation.models import EventAnswer, PublicEvent, RemoteActor
from dualpower.meetings.models import Meeting
from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [360, 1280])
def test_announcement_form_and_public_meeting_page(
    live_server: Any, browser: Any, screenshot: Any, assert_accessible: Any, settings: Any, width: int
) -> None:
    settings.SITE_URL = live_server.url
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    general_assembly_for(community)
    make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="en")
    page = context.new_page()
    sign_in(page, base, "cato@example.org")

    page.goto(f"{base}/c/riverside/network/")
    page.get_by_role("link", name="Public announcements").click()
    page.wait_for_load_state()
    page.get_by_label("Announcement").fill("Food share this Saturday at 10 in the community hall.")
    page.get_by_role("button", name="Publish to the fediverse").click()
    page.wait_for_load_state()
    assert "Published" in page.locator("main").inner_text()
    assert_fits(page, f"announcements at {width}")
    assert_accessible(page, "fediverse-announcements")
    screenshot(page, f"fediverse-announcements-{width}")

    page.goto(f"{base}/c/riverside/meetings/new/")
    start = timezone.localtime() + timedelta(days=2)
    page.get_by_label("Title").fill("Open assembly on rents")
    page.get_by_label("Starts").fill(start.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Ends").fill((start + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("Place").fill("Community hall, 3 Elm St")
    page.get_by_label("Public: announce this meeting on the fediverse").check()
    assert_fits(page, f"meeting form at {width}")
    screenshot(page, f"fediverse-meeting-form-{width}")
    page.get_by_role("button", name="Schedule").click()
    page.wait_for_load_state()
    meeting = Meeting.objects.get(title="Open assembly on rents")
    assert meeting.is_public
    event = PublicEvent.objects.get()
    for i in range(3):
        actor = RemoteActor.objects.create(
            uri=f"https://mobilizon.example/@p{i}",
            host="mobilizon.example",
            kind=RemoteActor.Kind.PERSON,
            inbox="https://mobilizon.example/inbox",
            fetched_at=timezone.now(),
        )
        EventAnswer.objects.create(event=event, actor=actor, kind="going", activity_id=f"{actor.uri}#j")
    page.goto(f"{base}/c/riverside/meetings/{meeting.pk}/")
    assert "3 people from the fediverse said they are going." in page.locator("main").inner_text()
    assert_fits(page, f"meeting page at {width}")
    assert_accessible(page, "fediverse-meeting")
    screenshot(page, f"fediverse-meeting-{width}")
    context.close()
