"""Money between neighbours: a member pays another, who sees it; a member asks for a payment and
the payer approves it. Real browser, real server, real database."""

from __future__ import annotations

import re
from typing import Any

import pytest

from dualpower.ledger import services
from dualpower.ledger.models import Invoice, Transfer
from dualpower.members.models import Membership
from dualpower.members.tests.factories import PASSWORD, make_community, make_membership, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Any, base: str, email: str) -> None:
    # The live server's first answer (imports, templates) is slow on a busy machine.
    page.goto(f"{base}/accounts/login/", timeout=90_000)
    page.get_by_label("Email").fill(email)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.locator("main form").get_by_role("button", name=re.compile("Sign In", re.I)).click()
    page.wait_for_load_state()


@pytest.fixture
def _ledger_cleanup() -> Any:
    yield
    from dualpower.ledger.tests.conftest import empty_ledger

    empty_ledger()


@pytest.mark.usefixtures("_ledger_cleanup")
def test_members_pay_and_request_payments(
    live_server: Any, new_page: Any, screenshot: Any, assert_accessible: Any
) -> None:
    base = live_server.url
    community = make_community("Riverside Mutual Aid", slug="riverside")
    make_membership(community, role=Membership.Role.MEMBER, name="Mara", user=make_user("mara@example.org"))
    make_membership(community, role=Membership.Role.MEMBER, name="Nia", user=make_user("nia@example.org"))
    roots = services.currency_create(
        community=community, name="Roots", symbol="R", decimals=2, by=None,
        default_lower_limit=-10_000, default_upper_limit=50_000,
    )  # fmt: skip
    # Nia has used the money pages before: her account exists, so Mara can choose her.
    services.member_account(currency=roots, membership=Membership.objects.get(display_name="Nia"))

    # 1. Mara pays Nia 12.50 R, checking the confirmation and her remaining credit first.
    mara = new_page()
    sign_in(mara, base, "mara@example.org")
    mara.goto(f"{base}/c/riverside/money/roots/")
    assert_accessible(mara, "ledger-currency")
    mara.get_by_role("button", name="Open my account").click()
    mara.wait_for_load_state()
    mara.get_by_role("link", name="Pay someone").click()
    mara.get_by_label("Pay to").select_option(label="Nia")
    mara.get_by_label("Amount").fill("12.50")
    mara.get_by_label("What for").fill("bread for the pantry")
    assert_accessible(mara, "ledger-pay")
    mara.get_by_role("button", name="Continue").click()
    mara.wait_for_load_state()
    review = mara.locator("main").inner_text()
    assert "Nia" in review and "12.50 R" in review and "87.50 R" in review
    screenshot(mara, "ledger-01-confirm")
    mara.get_by_role("button", name="Confirm payment").click()
    mara.wait_for_load_state()
    assert "You paid 12.50 R to Nia" in mara.locator("body").inner_text()
    assert Transfer.objects.count() == 1

    # 2. Nia sees it on her statement.
    nia = new_page()
    sign_in(nia, base, "nia@example.org")
    nia.goto(f"{base}/c/riverside/money/")
    nia.get_by_role("link", name="Statement").click()
    statement = nia.locator("main").inner_text()
    assert "Mara" in statement and "bread for the pantry" in statement and "12.50 R" in statement
    assert_accessible(nia, "ledger-statement")
    screenshot(nia, "ledger-02-statement")

    # 3. Nia asks Mara for 5 R; Mara approves.
    nia.goto(f"{base}/c/riverside/money/roots/request/")
    nia.get_by_label("Ask whom to pay").select_option(label="Mara")
    nia.get_by_label("Amount").fill("5")
    nia.get_by_label("What for").fill("soup")
    nia.get_by_role("button", name="Send the request").click()
    nia.wait_for_load_state()
    assert Invoice.objects.get().status == "pending"

    mara.goto(f"{base}/c/riverside/money/")
    mara.get_by_role("link", name=re.compile("Nia asks you for 5.00 R")).click()
    assert_accessible(mara, "ledger-invoice")
    screenshot(mara, "ledger-03-request")
    mara.get_by_role("button", name="Pay 5.00 R").click()
    mara.wait_for_load_state()
    assert Invoice.objects.get().status == "accepted"
    nia.goto(f"{base}/c/riverside/money/")
    assert "17.50 R" in nia.locator("main").inner_text()
