"""A clinic day on a volunteer's phone: a nurse on the day's shift gives an arrival a code, sends
them on to triage, is refused (with a sentence) nothing in between, and the shared board shows the
code at triage (issue 16).

Real browser (Debian's chromium via Playwright), real server, 360 px wide. Every step is a form
that posts: no JavaScript is needed.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from tests.browser.conftest import assert_fits

from dualpower.care.models.clinics import QueueEntry
from dualpower.care.tests.factories_clinics import make_clinic_world
from dualpower.members.tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, email: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


def test_a_nurse_on_shift_moves_a_code_to_triage_and_the_board_shows_it(
    live_server: Any, phone: Any, screenshot: Any, community: Any, people: dict[str, Any]
) -> None:
    world = make_clinic_world(community, people)
    base = live_server.url
    nurse = phone()
    sign_in(nurse, base, world.users["volunteer"].email)
    nurse.goto(f"{base}/c/riverside/care/clinics/")
    nurse.get_by_role("link", name=re.compile("Mon|Tue|Wed|Thu|Fri|Sat|Sun|20")).first.click()
    nurse.get_by_role("button", name="Someone arrived: give a code").click()
    nurse.wait_for_load_state()
    entry = QueueEntry.objects.get(day=world.day)
    assert entry.code in nurse.locator(".message").first.inner_text()
    assert_fits(nurse, "clinic day")
    nurse.get_by_role("button", name="On to Triage").click()
    nurse.wait_for_load_state()
    entry.refresh_from_db()
    assert entry.station.kind == "triage"
    assert f"{entry.code} moved on to Triage" in nurse.content()
    screenshot(nurse, "care-clinic-day")

    board = phone()
    sign_in(board, base, people["member"].email)
    board.goto(f"{base}/c/riverside/care/clinics/{world.day.pk}/board/")
    triage = board.locator("section", has=board.get_by_role("heading", name="Triage"))
    assert entry.code in triage.inner_text()
    # The codes are fetched again every 15 seconds (htmx), never by reloading the whole page.
    assert board.locator('#board[hx-trigger="every 15s"]').count() == 1
    assert_fits(board, "clinic board")
