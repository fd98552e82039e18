"""A coordinator of a large community chooses a dispatcher by name on a 360 px phone: search, then
choose, without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from tests.browser.conftest import assert_fits
from tests.browser.test_aid import sign_in

from dualpower.aid.models import DispatcherRole
from dualpower.assemblies.forms import LONG_LIST
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_dispatcher_is_found_by_name_and_chosen_on_a_phone(
    live_server: Any, phone: Any, screenshot: Any, assert_accessible: Any
) -> None:
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(
        community, role=Membership.Role.COORDINATOR, name="Cato", user=make_user("cato@example.org")
    )
    for n in range(LONG_LIST + 5):
        make_membership(community, name=f"Neighbour {n:02d}")
    rosa = make_membership(community, name="Rosa Delgado")

    page = phone()
    sign_in(page, live_server.url, "cato@example.org")
    page.goto(f"{live_server.url}/c/riverside/aid/dispatch/settings/")
    assert_fits(page, "aid settings")
    page.get_by_label("Search the list above by name").fill("delg")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/settings/#id_membership")
    picker = page.get_by_label("Make a dispatcher")
    assert picker.locator("option").all_inner_texts()[1:] == ["Rosa Delgado"]
    assert_fits(page, "aid settings after a search")
    assert_accessible(page, "aid settings after a search")
    screenshot(page, "aid-settings-phone-search")
    picker.select_option(label="Rosa Delgado")
    page.get_by_role("button", name="Make dispatcher").click()
    page.wait_for_load_state()
    assert "Dispatchers updated." in page.locator("main").inner_text()
    assert DispatcherRole.objects.filter(membership=rosa).exists()
