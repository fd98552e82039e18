"""Accounts: opening one (safe to call on first use), closing it, its limits and who sees its balance."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.clean import MAX_AMOUNT, clean_text
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.ledger.models import Account, Currency
from dualpower.ledger.services._common import whole_amount
from dualpower.ledger.services.posting import lock_accounts
from dualpower.members.models import Membership

# Currencies live in their own module; every write is still reachable here.


OwnerKind = Account.OwnerKind
# The community account collects demurrage and pays for common work; it may hold a lot.
COMMUNITY_UPPER = MAX_AMOUNT


# --- Accounts --------------------------------------------------------------------------


def _check_limits(lower: object, upper: object) -> tuple[int, int]:
    lower = whole_amount(lower, field="lower_limit", label=_("The lower limit"))
    upper = whole_amount(upper, field="upper_limit", label=_("The upper limit"))
    if lower > 0:
        raise InvalidInput(_("A lower limit is zero or below (the credit extended)."), field="lower_limit")
    if upper < 0:
        raise InvalidInput(_("An upper limit is zero or above."), field="upper_limit")
    return lower, upper


@transaction.atomic
def account_open(
    *,
    currency: Currency,
    owner_kind: str,
    owner_id: int | None = None,
    membership: Membership | None = None,
    name: str = "",
    lower_limit: int | None = None,
    upper_limit: int | None = None,
    by: Membership | None = None,
) -> Account:
    """Open an account for an owner, or return the one already open (so it is safe to call on
    first use, twice, or from two requests at once)."""
    if owner_kind not in OwnerKind.values:
        raise InvalidInput(_("Unknown kind of account holder."), field="owner_kind")
    if not currency.is_active:
        raise Conflict(_("%(name)s is no longer in use.") % {"name": currency.name})
    if owner_kind == OwnerKind.MEMBER:
        if membership is None:
            raise InvalidInput(_("Say which member the account is for."), field="membership")
        if membership.community_id != currency.community_id or not membership.is_active:
            raise PermissionDenied(_("Only members of this community hold its accounts."))
        if membership.role == Membership.Role.OBSERVER:
            raise PermissionDenied(_("Observers follow the community's economy but do not hold accounts."))
        owner_id = membership.pk
        name = name or membership.display_name
        default_lower, default_upper = currency.default_lower_limit, currency.default_upper_limit
    elif owner_kind == OwnerKind.COMMUNITY:
        owner_id = currency.community_id
        name = name or currency.community.name
        default_lower, default_upper = 0, COMMUNITY_UPPER
        membership = None
    else:
        if owner_id is None:
            raise InvalidInput(_("Say whose account this is."), field="owner_id")
        default_lower, default_upper = 0, 0
        membership = None
    name = clean_text(name, field="name", label=_("An account's name"), limit=120, required=True)
    lower, upper = _check_limits(
        default_lower if lower_limit is None else lower_limit,
        default_upper if upper_limit is None else upper_limit,
    )
    existing = Account.objects.filter(
        currency=currency, owner_kind=owner_kind, owner_id=owner_id, status=Account.Status.OPEN
    ).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            account = Account.objects.create(
                community_id=currency.community_id,
                currency=currency,
                owner_kind=owner_kind,
                owner_id=owner_id,
                membership=membership,
                name=name,
                lower_limit=lower,
                upper_limit=upper,
            )
    except IntegrityError:  # opened by a simultaneous request
        return Account.objects.get(
            currency=currency, owner_kind=owner_kind, owner_id=owner_id, status=Account.Status.OPEN
        )
    audit_record(
        community=currency.community,
        actor=by,
        action="ledger.account_open",
        target=account,
        summary=f"{currency.name}: {name}",
        data={"owner_kind": owner_kind, "owner_id": owner_id, "lower": lower, "upper": upper},
    )
    return account


def member_account(*, currency: Currency, membership: Membership) -> Account:
    """The member's account in this currency, opened on first use with the policy's limits."""
    return account_open(currency=currency, owner_kind=OwnerKind.MEMBER, membership=membership, by=membership)


@transaction.atomic
def account_close(*, account: Account, by: Membership | None) -> Account:
    """Close an account that holds nothing and owes nothing; its history stays."""
    account = lock_accounts([account.pk])[account.pk]
    if not account.is_open:
        raise Conflict(_("This account is already closed."))
    if account.owner_kind == OwnerKind.COMMUNITY:
        raise Conflict(_("The community's own account stays open while the currency exists."))
    if account.balance or account.pending_debits or account.pending_credits:
        raise Conflict(
            _("Bring the balance to zero and settle open payment requests before closing the account.")
        )
    account.status = Account.Status.CLOSED
    account.closed_at = timezone.now()
    account.save(update_fields=["status", "closed_at"])
    audit_record(
        community=account.community,
        actor=by,
        action="ledger.account_close",
        target=account,
        summary=account.name,
    )
    return account


@transaction.atomic
def account_visibility_set(*, account: Account, balance_public: bool, by: Membership) -> Account:
    if not isinstance(balance_public, bool):
        raise InvalidInput(_("Say true or false."), field="balance_public")
    if account.balance_public != balance_public:
        account.balance_public = balance_public
        account.save(update_fields=["balance_public"])
        audit_record(
            community=account.community,
            actor=by,
            action="ledger.balance_visibility",
            target=account,
            summary=account.name,
            data={"balance_public": balance_public},
        )
    return account


@transaction.atomic
def account_limits_set(
    *,
    account: Account,
    lower_limit: int,
    upper_limit: int,
    by: Membership | None,
    decision_ref: str = "",
) -> Account:
    """Change an account's limits.

    A coordinator acts within the bounds of the currency's policy; a decision of the assembly
    (``decision_ref``) may go beyond them. Either way the new limits must hold the account as it
    stands: a limit is never set that the balance (with pending requests) already passes.
    """
    lower, upper = _check_limits(lower_limit, upper_limit)
    account = lock_accounts([account.pk])[account.pk]
    currency = account.currency
    if not account.is_open:
        raise Conflict(_("The account %(name)s is closed.") % {"name": account.name})
    outside = lower < currency.lowest_lower_limit or upper > currency.highest_upper_limit
    if not decision_ref and account.owner_kind == OwnerKind.MEMBER and outside:
        raise PermissionDenied(
            _(
                "Coordinators may set limits between %(low)s and %(high)s; beyond that, "
                "the assembly decides (the “set a credit limit” action)."
            )
            % {
                "low": currency.format(currency.lowest_lower_limit),
                "high": currency.format(currency.highest_upper_limit),
            }
        )
    if account.balance - account.pending_debits < lower:
        raise Conflict(
            _("%(name)s already uses more credit than this lower limit allows; choose %(min)s or less.")
            % {"name": account.name, "min": currency.format(account.balance - account.pending_debits)}
        )
    if account.balance + account.pending_credits > upper:
        raise Conflict(
            _("%(name)s already holds more than this upper limit; choose %(max)s or more.")
            % {"name": account.name, "max": currency.format(account.balance + account.pending_credits)}
        )
    before = {"lower": account.lower_limit, "upper": account.upper_limit}
    if (before["lower"], before["upper"]) == (lower, upper):
        return account
    account.lower_limit, account.upper_limit = lower, upper
    account.save(update_fields=["lower_limit", "upper_limit"])
    audit_record(
        community=account.community,
        actor=by,
        action="ledger.set_credit_limit",
        target=account,
        summary=f"{account.name}: {currency.format(lower)} … {currency.format(upper)}",
        data={"before": before, "after": {"lower": lower, "upper": upper}},
        decision_ref=decision_ref,
    )
    return account
