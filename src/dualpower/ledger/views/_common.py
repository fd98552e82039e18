"""What the ledger's pages share: who is asking, and the currency in the address."""

from __future__ import annotations

from django.http import HttpRequest

from dualpower.community.models import Community
from dualpower.errors import PermissionDenied
from dualpower.ledger import selectors
from dualpower.ledger.models import Account, Currency
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web.permissions import check


def member_of(request: HttpRequest, community: Community) -> Membership | None:
    return membership_for(request.user, community)


def acting_member(request: HttpRequest, community: Community) -> Membership:
    """The member acting, asked for after a permission check that only members pass."""
    me = membership_for(request.user, community)
    if me is None:
        raise PermissionDenied()
    return me


def currency_of(request: HttpRequest, community: Community, code: str) -> Currency:
    check(request, "ledger.view_money", community)
    return selectors.currency_get(community=community, code=code)


def my_account(request: HttpRequest, currency: Currency) -> Account | None:
    me = member_of(request, currency.community)
    if me is None:
        return None
    return selectors.accounts_of(community=currency.community, membership=me, currency=currency).first()
