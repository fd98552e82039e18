"""Build the ledger's world for tests, through the services (factory_boy)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import factory
from django.db import connection
from factory.django import DjangoModelFactory

from dualpower.ledger import services
from dualpower.ledger.models import Account, Currency
from dualpower.members.tests.factories import CommunityFactory, MembershipFactory, membership_of


class CurrencyFactory(DjangoModelFactory[Currency]):
    """Roots (``currency_create``): 2 decimals; new members may go 100.00 below zero and hold up
    to 500.00. Other keyword arguments are policy fields."""

    class Meta:
        model = Currency

    community = factory.SubFactory(CommunityFactory)
    name = "Roots"
    symbol = "R"
    decimals = 2
    by = None
    default_lower_limit = -10_000
    default_upper_limit = 50_000
    lowest_lower_limit = -30_000
    highest_upper_limit = 100_000

    @classmethod
    def _create(cls, model_class: type[Currency], *args: Any, **kwargs: Any) -> Currency:
        return services.currency_create(**kwargs)


class AccountFactory(DjangoModelFactory[Account]):
    """A member's account in ``currency`` (``member_account`` opens it if need be)."""

    class Meta:
        model = Account

    currency = factory.SubFactory(CurrencyFactory)
    membership = factory.LazyAttribute(lambda o: MembershipFactory.create(community=o.currency.community))

    @classmethod
    def _create(cls, model_class: type[Account], *args: Any, **kwargs: Any) -> Account:
        return services.member_account(**kwargs)


def account_of(user: Any, currency: Currency) -> Account:
    return AccountFactory.create(currency=currency, membership=membership_of(user, currency.community))


def fresh(account: Account) -> Account:
    return Account.objects.get(pk=account.pk)


@contextmanager
def balances_set_by_hand() -> Iterator[None]:
    """Let the block UPDATE balances directly, as only a transfer may (migration ledger 0006): to
    fake a damaged database for ``ledger check``. It sets the mark the balance trigger sets."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('dualpower.moving_balances', 'on', true)")
        else:
            cursor.execute("INSERT INTO ledger_balance_move (moving) VALUES (1)")
        yield  # on an error, the caller's transaction rolls the mark back with the rest
        if connection.vendor == "postgresql":
            cursor.execute("SELECT set_config('dualpower.moving_balances', 'off', true)")
        else:
            cursor.execute("DELETE FROM ledger_balance_move")
