"""A payment from one member to another on a 360 px phone (issue 13), ending in its effect.

Mara asks to pay more than her credit allows: the form says why beside the amount, keeps what she
typed and offers no button that cannot work. She lowers the amount, checks the review, changes it
once (everything stays typed), confirms, and her statement shows the payment first; Nia's page shows
her new balance. Every page fits the screen and axe finds nothing serious on it.
"""

from __future__ import annotations

from typing import Any

import pytest
from tests.browser.conftest import assert_fits
from tests.browser.test_ledger import sign_in

from dualpower.ledger import services
from dualpower.ledger.models import Transfer
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def _ledger_cleanup() -> Any:
    yield
    from dualpower.ledger.tests.conftest import empty_ledger

    empty_ledger()


def _fits(page: Any, assert_accessible: Any, name: str) -> None:
    assert_fits(page, name)
    assert_accessible(page, name)


@pytest.mark.usefixtures("_ledger_cleanup")
def test_a_member_pays_another_on_a_phone(
    live_server: Any, phone: Any, screenshot: Any, assert_accessible: Any
) -> None:
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    mara_m = make_membership(community, name="Mara", user=make_user("mara@example.org"))
    nia_m = make_membership(community, name="Nia", user=make_user("nia@example.org"))
    roots = services.currency_create(
        community=community, name="Roots", symbol="R", decimals=2, by=None,
        default_lower_limit=-10_000, default_upper_limit=50_000,
    )  # fmt: skip
    services.member_account(currency=roots, membership=mara_m)
    nia_account = services.member_account(currency=roots, membership=nia_m)
    assert Membership.objects.count() >= 2

    mara = phone()
    sign_in(mara, base, "mara@example.org")
    mara.goto(f"{base}/c/riverside/money/roots/pay/")
    _fits(mara, assert_accessible, "pay-phone-form")
    mara.get_by_label("Pay to").select_option(label="Nia")
    mara.get_by_label("Amount").fill("250")
    mara.get_by_label("What for").fill("bike repair")
    mara.get_by_role("button", name="Continue").click()
    mara.wait_for_load_state()

    # Over the credit: said beside the amount, everything kept, no "Confirm payment".
    main = mara.locator("main").inner_text()
    assert "you can pay up to 100.00 R" in main
    assert mara.get_by_role("button", name="Confirm payment").count() == 0
    assert mara.get_by_label("Amount").input_value() == "250"
    assert mara.get_by_label("What for").input_value() == "bike repair"
    _fits(mara, assert_accessible, "pay-phone-over-credit")
    screenshot(mara, "pay-phone-01-over-credit")

    mara.get_by_label("Amount").fill("12.50")
    mara.get_by_role("button", name="Continue").click()
    mara.wait_for_load_state()
    review = mara.locator("main").inner_text()
    assert "Nia" in review and "12.50 R" in review and "87.50 R" in review
    _fits(mara, assert_accessible, "pay-phone-review")

    # Change, then back to the review: nothing typed is lost.
    mara.locator("main").get_by_role("button", name="Change the payment").click()
    mara.wait_for_load_state()
    assert mara.get_by_label("Amount").input_value() == "12.50"
    assert mara.get_by_label("What for").input_value() == "bike repair"
    mara.get_by_role("button", name="Continue").click()
    mara.wait_for_load_state()
    screenshot(mara, "pay-phone-02-review")
    mara.get_by_role("button", name="Confirm payment").click()
    mara.wait_for_load_state()

    # The payer's statement shows it, newest first.
    assert "/money/accounts/" in mara.url
    body = mara.locator("body").inner_text()
    assert "You paid 12.50 R to Nia" in body
    first_row = mara.locator("main table tbody tr").first.inner_text()
    assert "Nia" in first_row and "bike repair" in first_row and "-12.50 R" in first_row
    _fits(mara, assert_accessible, "pay-phone-statement")
    screenshot(mara, "pay-phone-03-statement")
    assert Transfer.objects.count() == 1

    # The receiver's balance.
    nia = phone()
    sign_in(nia, base, "nia@example.org")
    nia.goto(f"{base}/c/riverside/money/accounts/{nia_account.pk}/")
    balance = nia.locator("main dl").inner_text()
    assert "12.50 R" in balance
    assert "Mara" in nia.locator("main table").inner_text()
    _fits(nia, assert_accessible, "pay-phone-receiver")
