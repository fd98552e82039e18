"""Sign-in limits count per account and address, with a ceiling per account (issue 14).

allauth alone counts wrong passwords per account: five guesses from anywhere locked the account's
owner out everywhere. Counted per account and address, a guesser elsewhere cannot lock the
coordinator out of their own phone; a higher per-account ceiling stops a guess spread over many
addresses. The counts live in the database cache, shared by every process
(tests/test_two_serve_processes.py checks that across two real servers).
"""

from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from dualpower.members.tests.factories import PASSWORD, make_user

pytestmark = [pytest.mark.django_db]
TOO_MANY = "Too many failed login attempts"


@pytest.fixture(autouse=True)
def limits_on() -> Any:
    cache.clear()
    with override_settings(ACCOUNT_RATE_LIMITS={}):  # the defaults, whatever the test run disabled
        yield
    cache.clear()


def _try(email: str, address: str, typed: str = "not the password") -> tuple[bool, int]:
    answer = Client().post("/accounts/login/", {"login": email, "password": typed}, REMOTE_ADDR=address)
    return TOO_MANY in answer.content.decode(), answer.status_code


def test_five_wrong_passwords_from_one_address_stop_that_address_only() -> None:
    rosa = make_user("rosa@example.org")
    assert [_try(rosa.email, "203.0.113.9")[0] for _ in range(6)] == [False] * 5 + [True]
    # Rosa, on her own phone, still signs in.
    refused, status = _try(rosa.email, "198.51.100.7", PASSWORD)
    assert not refused and status == 302


def test_a_guess_spread_over_many_addresses_meets_the_ceiling_per_account() -> None:
    rosa = make_user("rosa@example.org")
    refused = [_try(rosa.email, f"203.0.113.{n}")[0] for n in range(31)]
    assert refused.index(True) == 30
    # Other accounts are not touched by it.
    lee = make_user("lee@example.org")
    assert _try(lee.email, "203.0.113.200", PASSWORD) == (False, 302)


def test_a_successful_sign_in_does_not_use_up_the_ceiling() -> None:
    rosa = make_user("rosa@example.org")
    for n in range(40):
        assert _try(rosa.email, f"198.51.100.{n}", PASSWORD) == (False, 302)
