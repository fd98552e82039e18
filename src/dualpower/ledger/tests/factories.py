"""Build the ledger's world for tests, through the services."""

from __future__ import annotations

from typing import Any

from dualpower.community.models import Community
from dualpower.ledger import services
from dualpower.ledger.models import Account, Currency
from dualpower.members.models import Membership


def make_roots(community: Community, **policy: Any) -> Currency:
    """Roots: 2 decimals; new members may go 100.00 below zero and hold up to 500.00."""
    values = {
        "default_lower_limit": -10_000,
        "default_upper_limit": 50_000,
        "lowest_lower_limit": -30_000,
        "highest_upper_limit": 100_000,
        **policy,
    }
    return services.currency_create(
        community=community, name="Roots", symbol="R", decimals=2, by=None, **values
    )


def membership_of(user: Any, community: Community) -> Membership:
    return Membership.objects.get(user=user, community=community)


def account_of(user: Any, currency: Currency) -> Account:
    return services.member_account(currency=currency, membership=membership_of(user, currency.community))


def fresh(account: Account) -> Account:
    return Account.objects.get(pk=account.pk)
