"""The ledger's decisions (registered with the assembly in registrations.py).

"Set a credit limit" (``ledger.set_credit_limit``): the assembly sets an account's lower and
upper limits, beyond the bounds coordinators may use on their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _

from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.ledger.models import Account
from dualpower.ledger.services import account_limits_set


def _account(community: Community, params: Mapping[str, Any]) -> Account:
    pk = params.get("account")
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise InvalidInput(_("Give the id of the account."), field="account")
    account = Account.objects.filter(community=community, pk=pk).select_related("currency").first()
    if account is None:
        raise InvalidInput(_("There is no account %(id)s in this community.") % {"id": pk}, field="account")
    if not account.is_open:
        raise InvalidInput(_("The account %(name)s is closed.") % {"name": account.name}, field="account")
    return account


def validate_credit_limit(community: Community, params: Mapping[str, Any]) -> dict[str, Any]:
    account = _account(community, params)
    lower, upper = params.get("lower"), params.get("upper")
    for name, value in (("lower", lower), ("upper", upper)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(_("Limits are whole numbers in the smallest unit."), field=name)
    assert isinstance(lower, int) and isinstance(upper, int)
    if lower > 0 or upper < 0:
        raise InvalidInput(
            _("A lower limit is zero or below and an upper limit zero or above."), field="lower"
        )
    return {"account": account.pk, "lower": lower, "upper": upper}


def run_credit_limit(*, community: Community, params: Mapping[str, Any], decision: Any) -> str:
    account = _account(community, params)
    account = account_limits_set(
        account=account,
        lower_limit=params["lower"],
        upper_limit=params["upper"],
        by=None,
        decision_ref=decision.ref,
    )
    return describe_credit_limit(community, params)


def describe_credit_limit(community: Community, params: Mapping[str, Any]) -> str:
    pk = params.get("account")
    account = (
        Account.objects.filter(community=community, pk=pk).select_related("currency").first()
        if isinstance(pk, int)
        else None
    )
    if account is None:
        return _("Set the credit limit of an account that no longer exists.")
    c = account.currency
    return _(
        "Set the limits of %(name)s's %(currency)s account to %(lower)s (lowest) and %(upper)s (highest)."
    ) % {
        "name": account.name,
        "currency": c.name,
        "lower": c.format(params.get("lower", 0)),
        "upper": c.format(params.get("upper", 0)),
    }
