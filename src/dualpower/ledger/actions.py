"""The ledger's decisions (registered with the assembly in registrations.py).

"Set a credit limit" (``ledger.set_credit_limit``): the assembly sets an account's lower and
upper limits, beyond the bounds coordinators may use on their own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies.actions import Result, result
from dualpower.community.models import Community
from dualpower.errors import InvalidInput
from dualpower.ledger.models import Account
from dualpower.ledger.services import account_limits_set
from dualpower.notifications.text import Money


def _account(community: Community, params: Mapping[str, Any]) -> Account:
    pk = params.get("account")
    if isinstance(pk, bool) or not isinstance(pk, int):
        raise InvalidInput(_("Choose the account whose limits change."), field="account")
    account = Account.objects.filter(community=community, pk=pk).select_related("currency").first()
    if account is None:
        raise InvalidInput(_("There is no account %(id)s in this community.") % {"id": pk}, field="account")
    if not account.is_open:
        raise InvalidInput(_("The account %(name)s is closed.") % {"name": account.name}, field="account")
    return account


def account_choices(community: Community) -> list[tuple[int, str]]:
    """The open accounts of the community, by holder and currency: what the proposal form offers."""
    accounts = Account.objects.filter(community=community, status=Account.Status.OPEN).select_related(
        "currency"
    )
    return [
        (a.pk, _("%(name)s (%(currency)s)") % {"name": a.name, "currency": a.currency.name})
        for a in accounts.order_by("name", "currency__name", "pk")
    ]


def _units_to_smallest(account: Account, value: Any) -> int:
    """Whole units of the account's currency (hours for a time bank) in its smallest unit."""
    currency = account.currency
    return int(value) * (60 if currency.is_time_bank else 10**currency.decimals)


def validate_credit_limit(community: Community, params: Mapping[str, Any]) -> dict[str, Any]:
    """Params: ``account`` and ``lower``/``upper`` in the smallest unit (the API), or ``credit``/
    ``ceiling`` in whole units of the currency (the proposal form's pickers); stored as the first."""
    account = _account(community, params)
    lower, upper = params.get("lower"), params.get("upper")
    for name, whole, sign in (("credit", "lower", -1), ("ceiling", "upper", 1)):
        value = params.get(name)
        if value is not None and not isinstance(value, bool) and isinstance(value, int) and value >= 0:
            if whole == "lower":
                lower = sign * _units_to_smallest(account, value)
            else:
                upper = sign * _units_to_smallest(account, value)
    for name, value in (("lower", lower), ("upper", upper)):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(_("Limits are whole numbers in the smallest unit."), field=name)
    assert isinstance(lower, int) and isinstance(upper, int)
    if lower > 0 or upper < 0:
        raise InvalidInput(
            _("A lower limit is zero or below and an upper limit zero or above."), field="lower"
        )
    return {"account": account.pk, "lower": lower, "upper": upper}


def run_credit_limit(*, community: Community, params: Mapping[str, Any], decision: Any) -> Result:
    account = _account(community, params)
    account = account_limits_set(
        account=account,
        lower_limit=params["lower"],
        upper_limit=params["upper"],
        by=None,
        decision_ref=decision.ref,
    )
    return _limits_sentence(community, params)


def describe_credit_limit(community: Community, params: Mapping[str, Any]) -> str:
    return str(_limits_sentence(community, params))


def _limits_sentence(community: Community, params: Mapping[str, Any]) -> Result:
    """What the action does (or did), read in the reader's language with amounts in their format."""
    pk = params.get("account")
    account = (
        Account.objects.filter(community=community, pk=pk).select_related("currency").first()
        if isinstance(pk, int)
        else None
    )
    if account is None:
        return result(gettext_lazy("Set the credit limit of an account that no longer exists."))
    c = account.currency
    return result(
        gettext_lazy(
            "Set the limits of %(name)s's %(currency)s account to %(lower)s (lowest) and %(upper)s (highest)."
        ),
        name=account.name,
        currency=c.name,
        lower=Money.of(params.get("lower", 0), c),
        upper=Money.of(params.get("upper", 0), c),
    )
