"""Currencies and their policy: starting one (with the community's own account), changing it."""

from __future__ import annotations

from typing import Any, TypedDict, Unpack

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from dualpower.clean import clean_text
from dualpower.community.models import Community
from dualpower.community.services import audit_record, changes_save
from dualpower.errors import Conflict, InvalidInput
from dualpower.ledger.models import Account, Currency
from dualpower.ledger.services._common import whole_amount
from dualpower.ledger.services.accounts import account_open
from dualpower.members.models import Membership

RESERVED_CODES = frozenset({"new", "accounts", "invoices", "transfers"})
POLICY_FIELDS = (
    "default_lower_limit",
    "default_upper_limit",
    "lowest_lower_limit",
    "highest_upper_limit",
    "demurrage_basis_points",
    "invoice_days",
)
EDITABLE = ("name", "symbol", "description", "is_active", *POLICY_FIELDS)


class CurrencyPolicy(TypedDict, total=False):
    """A currency's policy (``POLICY_FIELDS``), in the smallest unit; ``currency_create`` takes the
    bounds left out (or ``None``) as the defaults."""

    default_lower_limit: int
    default_upper_limit: int
    lowest_lower_limit: int | None
    highest_upper_limit: int | None
    demurrage_basis_points: int
    invoice_days: int


class CurrencyChanges(TypedDict, total=False):
    """What ``currency_update`` may change (``EDITABLE``)."""

    name: str
    symbol: str
    description: str
    is_active: bool
    default_lower_limit: int
    default_upper_limit: int
    lowest_lower_limit: int
    highest_upper_limit: int
    demurrage_basis_points: int
    invoice_days: int


def _policy_labels() -> dict[str, str]:
    return {
        "default_lower_limit": _("The credit for new members"),
        "default_upper_limit": _("The upper limit for new members"),
        "lowest_lower_limit": _("The most credit a coordinator may give"),
        "highest_upper_limit": _("The highest upper limit a coordinator may set"),
        "demurrage_basis_points": _("The demurrage"),
        "invoice_days": _("The days a payment request stays open"),
    }


def _check_policy(values: dict[str, Any]) -> None:
    """Read each policy value as a whole number (in place), then check that they fit together."""
    labels = _policy_labels()
    for key in POLICY_FIELDS:
        values[key] = whole_amount(values[key], field=key, label=labels[key])
    if values["default_lower_limit"] > 0:
        raise InvalidInput(
            _("Credit for new members is zero or a negative limit (how far they may go below zero)."),
            field="default_lower_limit",
        )
    if values["default_upper_limit"] < 0:
        raise InvalidInput(_("The upper limit cannot be below zero."), field="default_upper_limit")
    if values["lowest_lower_limit"] > values["default_lower_limit"]:
        raise InvalidInput(
            _("The most credit a coordinator may give must be at least the credit new members get."),
            field="lowest_lower_limit",
        )
    if values["highest_upper_limit"] < values["default_upper_limit"]:
        raise InvalidInput(
            _("The highest upper limit a coordinator may set must be at least the default."),
            field="highest_upper_limit",
        )
    if not 0 <= values["demurrage_basis_points"] <= 1000:
        raise InvalidInput(
            _("Demurrage is between 0 and 1000 basis points (10%) a month."), field="demurrage_basis_points"
        )
    if not 1 <= values["invoice_days"] <= 365:
        raise InvalidInput(_("A payment request stays open 1 to 365 days."), field="invoice_days")


@transaction.atomic
def currency_create(
    *,
    community: Community,
    name: str,
    kind: str = Currency.Kind.MUTUAL_CREDIT,
    code: str = "",
    symbol: str = "",
    decimals: int = 2,
    description: str = "",
    by: Membership | None,
    **policy: Unpack[CurrencyPolicy],
) -> Currency:
    """Start a currency (or a time bank), with the community's own account in it."""
    unknown = set(policy) - set(POLICY_FIELDS)
    if unknown:
        raise InvalidInput(_("Unknown settings: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    name = clean_text(name, field="name", label=_("A currency's name"), limit=80, required=True)
    if kind not in Currency.Kind.values:
        raise InvalidInput(_("A currency is mutual credit or a time bank."), field="kind")
    if kind == Currency.Kind.TIME_BANK:
        decimals = 0
        symbol = symbol or "h"
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 4:
        raise InvalidInput(_("A currency has 0 to 4 decimal places."), field="decimals")
    code = slugify(code or name)[:30]
    if not code or code in RESERVED_CODES:
        raise InvalidInput(_("Choose another short name."), field="code")
    if Currency.objects.filter(community=community, code=code).exists():
        raise Conflict(
            _("This community already has a currency called “%(code)s”.") % {"code": code}, field="code"
        )
    values: dict[str, Any] = {  # the policy as given, then read by _check_policy
        "default_lower_limit": 0,
        "default_upper_limit": 0,
        "lowest_lower_limit": None,
        "highest_upper_limit": None,
        "demurrage_basis_points": 0,
        "invoice_days": 14,
        **policy,
    }
    if values["lowest_lower_limit"] is None:
        values["lowest_lower_limit"] = values["default_lower_limit"]
    if values["highest_upper_limit"] is None:
        values["highest_upper_limit"] = values["default_upper_limit"]
    _check_policy(values)
    currency = Currency.objects.create(
        community=community,
        name=name,
        code=code,
        kind=kind,
        symbol=clean_text(symbol, field="symbol", label=_("A symbol"), limit=12),
        decimals=decimals,
        description=clean_text(description, field="description", label=_("A description"), limit=2000),
        **values,
    )
    audit_record(
        community=community,
        actor=by,
        action="ledger.currency_create",
        target=currency,
        summary=name,
        data={"kind": kind, "decimals": decimals, **values},
    )
    account_open(currency=currency, owner_kind=Account.OwnerKind.COMMUNITY, owner_id=community.pk, by=by)
    return currency


@transaction.atomic
def currency_update(
    *, currency: Currency, by: Membership | None, **changes: Unpack[CurrencyChanges]
) -> Currency:
    """Rename a currency or change its policy. Existing accounts keep their limits."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise InvalidInput(_("These cannot be changed: %(f)s.") % {"f": ", ".join(sorted(unknown))})
    currency = Currency.objects.select_for_update().get(pk=currency.pk)
    if "name" in changes:
        changes["name"] = clean_text(
            changes["name"], field="name", label=_("A currency's name"), limit=80, required=True
        )
    if "symbol" in changes:
        changes["symbol"] = clean_text(changes["symbol"], field="symbol", label=_("A symbol"), limit=12)
    if "description" in changes:
        changes["description"] = clean_text(
            changes["description"], field="description", label=_("A description"), limit=2000
        )
    if "is_active" in changes and not isinstance(changes["is_active"], bool):
        raise InvalidInput(_("Say whether the currency is in use: true or false."), field="is_active")
    values = {key: changes.get(key, getattr(currency, key)) for key in POLICY_FIELDS}
    _check_policy(values)
    # The policy values as read (whole numbers), the rest as checked above.
    saved: dict[str, Any] = {**changes, **{key: values[key] for key in POLICY_FIELDS if key in changes}}
    changes_save(
        target=currency,
        changes=saved,
        community=currency.community,
        actor=by,
        action="ledger.currency_update",
        summary=str(changes.get("name", currency.name)),
    )
    return currency
