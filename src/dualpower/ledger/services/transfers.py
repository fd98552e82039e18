"""Transfers: a payment, a linked set of payments, a correction.

The posting itself (locks, limits, idempotency) is in posting.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.ledger.models import Account, Currency, Transfer
from dualpower.ledger.services.posting import (
    Leg,
    Posted,
    busy_retry,
    clean_description,
    clean_key,
    post,
)
from dualpower.members.models import Membership

# Currencies live in their own module; every write is still reachable here.


# --- Transfers -------------------------------------------------------------------------


def _notify_received(transfers: Sequence[Transfer]) -> None:
    from dualpower.notifications.services import notification_send
    from dualpower.notifications.text import text as notice_text

    payees = {t.credit_id for t in transfers}
    accounts = Account.objects.filter(pk__in=payees, membership__isnull=False).select_related(
        "membership", "currency"
    )
    for account in accounts:
        if account.membership is None:  # filtered out above; says so to the type checker
            continue
        notification_send(
            recipients=[account.membership],
            community=account.currency.community,
            kind="ledger.received",
            # No amount or payer here: notifications are emailed.
            title=notice_text(
                gettext_lazy("You received a payment in %(currency)s"), currency=account.currency.name
            ),
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
) -> Posted:
    """Pay ``amount`` (smallest unit) from ``debit`` to ``credit``, in one transaction.

    The same ``idempotency_key`` with the same content returns the transfer made the first time,
    with ``replayed`` set; with other content it is a Conflict.
    """
    if debit.currency_id != credit.currency_id:
        raise InvalidInput(_("Both accounts must hold the same currency."), field="credit")
    currency = debit.currency
    key = clean_key(idempotency_key)

    def work() -> Posted:
        return post(
            currency=currency,
            legs=[Leg(debit=debit.pk, credit=credit.pk, amount=amount, description=description or "")],
            idempotency_key=key,
            kind=kind,
            by=by,
            decision_ref=decision_ref,
            inside=_notify_received if notify else None,
        )

    return busy_retry(work)


def transfers_link(
    *,
    currency: Currency,
    legs: Sequence[Leg],
    idempotency_key: str | None = None,
    by: Membership | None = None,
    decision_ref: str = "",
    notify: bool = True,
) -> Posted:
    """Several transfers that happen together or not at all (e.g. a shared bill split three ways)."""
    key = clean_key(idempotency_key)

    def work() -> Posted:
        return post(
            currency=currency,
            legs=legs,
            idempotency_key=key,
            by=by,
            decision_ref=decision_ref,
            linked=True,
            inside=_notify_received if notify else None,
        )

    return busy_retry(work)


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
    # A "~" key cannot be a client's, so the payee of the original cannot claim it beforehand.
    key = f"~correction-of-{transfer.pk}"
    if Transfer.objects.filter(corrects=transfer).exists():
        raise Conflict(_("This transfer has already been corrected."))
    reason = clean_description(reason or _("Correction of transfer %(id)s") % {"id": transfer.pk})
    correction = post(
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
    ).transfer
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
