"""Every write to the ledger: currencies, accounts and their limits, transfers, corrections.

Payment requests (invoices) and demurrage are in invoicing.py and demurrage.py; posting itself
(locks, limits, idempotency) in posting.py. Who may call each verb is decided in rules.py.

For other apps (cooperatives, land trust), the stable interface is:

    account_open(*, currency, owner_kind, owner_id=None, membership=None, name="",
                 lower_limit=None, upper_limit=None, by=None) -> Account
        Open (or return the already open) account of an owner. owner_kind is one of
        Account.OwnerKind: "member" (pass membership=), "cooperative", "working_group" (pass
        owner_id= the cooperative's / group's id and a name), "community". Limits default to the
        currency's policy for members and to 0/0 otherwise.
    transfer_make(*, debit, credit, amount, description="", idempotency_key=None, by=None,
                  decision_ref="") -> Transfer
    transfers_link(*, currency, legs=[Leg(debit_id, credit_id, amount, description)], ...) -> list
    selectors.accounts_of(*, community, owner_kind=None, owner_id=None, membership=None,
                          currency=None, include_closed=False) -> QuerySet[Account]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.ledger import posting
from dualpower.ledger.amounts import MAX_AMOUNT
from dualpower.ledger.checks import _clean_text, _int
from dualpower.ledger.models import Account, Currency, Transfer
from dualpower.ledger.posting import Leg
from dualpower.members.models import Membership

OwnerKind = Account.OwnerKind
# The community account collects demurrage and pays for common work; it may hold a lot.
COMMUNITY_UPPER = MAX_AMOUNT


# --- Accounts --------------------------------------------------------------------------


def _check_limits(lower: Any, upper: Any) -> tuple[int, int]:
    lower, upper = _int(lower, "lower_limit"), _int(upper, "upper_limit")
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
    name = _clean_text(name, "name", 120, required=True)
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
    account = posting.lock_accounts([account.pk])[account.pk]
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
    account = posting.lock_accounts([account.pk])[account.pk]
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


# --- Transfers -------------------------------------------------------------------------


def _notify_received(transfers: list[Transfer]) -> None:
    from dualpower.notifications.services import notification_send

    payees = {t.credit_id for t in transfers}
    accounts = Account.objects.filter(pk__in=payees, membership__isnull=False).select_related(
        "membership", "currency"
    )
    for account in accounts:
        notification_send(
            recipients=[account.membership],
            community=account.currency.community,
            kind="ledger.received",
            # No amount or payer here: notifications are emailed.
            title=_("You received a payment in %(currency)s") % {"currency": account.currency.name},
            url=f"/c/{account.currency.community.slug}/money/accounts/{account.pk}/",
        )


def transfer_make(
    *,
    debit: Account,
    credit: Account,
    amount: int,
    description: str = "",
    idempotency_key: str | None = None,
    by: Membership | None = None,
    kind: str = Transfer.Kind.PAYMENT,
    decision_ref: str = "",
    notify: bool = True,
) -> Transfer:
    """Pay ``amount`` (smallest unit) from ``debit`` to ``credit``, in one transaction."""
    if debit.currency_id != credit.currency_id:
        raise InvalidInput(_("Both accounts must hold the same currency."), field="credit")
    currency = debit.currency
    key = posting.clean_key(idempotency_key)

    def work() -> Transfer:
        (transfer,) = posting.post(
            currency=currency,
            legs=[Leg(debit=debit.pk, credit=credit.pk, amount=amount, description=description or "")],
            idempotency_key=key,
            kind=kind,
            by=by,
            decision_ref=decision_ref,
            inside=_notify_received if notify else None,
        )
        return transfer

    return posting.busy_retry(work)


def transfers_link(
    *,
    currency: Currency,
    legs: Sequence[Leg],
    idempotency_key: str | None = None,
    by: Membership | None = None,
    decision_ref: str = "",
    notify: bool = True,
) -> list[Transfer]:
    """Several transfers that happen together or not at all (e.g. a shared bill split three ways)."""
    key = posting.clean_key(idempotency_key)

    def work() -> list[Transfer]:
        return posting.post(
            currency=currency,
            legs=legs,
            idempotency_key=key,
            by=by,
            decision_ref=decision_ref,
            linked=True,
            inside=_notify_received if notify else None,
        )

    return posting.busy_retry(work)


@transaction.atomic
def transfer_correct(
    *, transfer: Transfer, by: Membership | None, reason: str = "", decision_ref: str = ""
) -> Transfer:
    """Undo a transfer by a correcting transfer the other way, which references it.

    A transfer is corrected at most once (the correction's idempotency key is derived from the
    original); limits still hold, so a payee who has already spent the money cannot be corrected
    below their credit limit: the community settles that by agreement.
    """
    if transfer.kind == Transfer.Kind.CORRECTION:
        raise Conflict(_("A correction is not corrected again: make a new payment instead."))
    key = f"correction-of-{transfer.pk}"
    existing = Transfer.objects.filter(currency_id=transfer.currency_id, idempotency_key=key).first()
    if existing is not None:
        raise Conflict(_("This transfer has already been corrected."))
    reason = posting.clean_description(reason or _("Correction of transfer %(id)s") % {"id": transfer.pk})
    (correction,) = posting.post(
        currency=transfer.currency,
        legs=[
            Leg(
                debit=transfer.credit_id, credit=transfer.debit_id, amount=transfer.amount, description=reason
            )
        ],
        idempotency_key=key,
        kind=Transfer.Kind.CORRECTION,
        by=by,
        corrects=transfer,
        decision_ref=decision_ref,
    )
    audit_record(
        community=transfer.community,
        actor=by,
        action="ledger.transfer_correct",
        target=correction,
        summary=reason,
        data={"corrects": transfer.pk, "amount": transfer.amount},
        decision_ref=decision_ref,
    )
    return correction


def amount_parse(*, currency: Currency, value: Any, field: str = "amount") -> int:
    """An amount as given (an integer in the smallest unit, or text as people write it) → units.

    Text is read exactly: "12.50" in a 2-decimal currency is 1250; "12.505" is refused, not
    rounded; in a time bank "1:30" and "1.5" are 90 minutes.
    """
    from dualpower.ledger.amounts import AmountError, parse_amount, parse_minutes

    if isinstance(value, bool) or value is None:
        raise InvalidInput(_("Give an amount."), field=field)
    if isinstance(value, int):
        return posting.check_amount(value)
    try:
        units = (
            parse_minutes(str(value))
            if currency.is_time_bank
            else parse_amount(str(value), currency.decimals)
        )
    except AmountError as exc:
        raise InvalidInput(_(str(exc)), field=field) from None
    return posting.check_amount(units)


# Currencies live in their own module; every write is still reachable here.
from dualpower.ledger.currencies import currency_create, currency_update  # noqa: E402, F401
