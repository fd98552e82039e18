"""Payment requests (two-phase transfers): the payee asks, the payer accepts or rejects.

While a request is open its amount is reserved on both accounts (``pending_debits`` on the payer,
``pending_credits`` on the payee), so accepting it can never pass a limit, and nothing else can
spend what it reserves. A request not answered within the currency's ``invoice_days`` expires
(the clock job ``ledger.expire_invoices``), releasing the reservation.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.ledger.models import Account, Invoice, Transfer
from dualpower.ledger.services.posting import (
    Leg,
    check_amount,
    clean_description,
    clean_key,
    lock_accounts,
    over_limit,
    post,
    usable,
)
from dualpower.members.models import Membership


def _reserve(invoice: Invoice, sign: int) -> None:
    amount = sign * invoice.amount
    Account.objects.filter(pk=invoice.payer_id).update(pending_debits=F("pending_debits") + amount)
    Account.objects.filter(pk=invoice.payee_id).update(pending_credits=F("pending_credits") + amount)


def _url(invoice: Invoice) -> str:
    return f"/c/{invoice.currency.community.slug}/money/invoices/{invoice.pk}/"


def invoice_create(
    *,
    payee: Account,
    payer: Account,
    amount: int,
    description: str = "",
    idempotency_key: str | None = None,
    by: Membership | None = None,
) -> Invoice:
    """Ask ``payer`` to pay ``amount`` to ``payee``; reserves it on both accounts until answered."""
    from dualpower.notifications.services import notification_send
    from dualpower.notifications.text import text as notice_text

    if payer.currency_id != payee.currency_id:
        raise InvalidInput(_("Both accounts must hold the same currency."), field="payer")
    currency = payee.currency
    amount = check_amount(amount)
    description = clean_description(description)
    key = clean_key(idempotency_key)
    try:
        with transaction.atomic():
            earlier = Invoice.objects.filter(payee_id=payee.pk, idempotency_key=key).first()
            if earlier is not None:
                return _same_invoice(earlier, payer, payee, amount)
            accounts = lock_accounts([payer.pk, payee.pk])
            payer_now = usable(accounts, payer.pk, currency, field="payer")
            payee_now = usable(accounts, payee.pk, currency, field="payee")
            if payer_now.pk == payee_now.pk:
                raise InvalidInput(_("You cannot ask yourself to pay."), field="payer")
            if payer_now.available < amount:
                # Said without the payer's figures: their balance is private, even from the payee.
                raise Conflict(
                    _("%(name)s's account cannot take on this request now (it would pass its credit limit).")
                    % {"name": payer_now.name}
                )
            over_limit(payer_now, payee_now, amount, currency)
            invoice = Invoice.objects.create(
                community_id=currency.community_id,
                currency=currency,
                payer=payer_now,
                payee=payee_now,
                amount=amount,
                description=description,
                idempotency_key=key,
                created_by=by,
                expires_at=timezone.now() + timedelta(days=currency.invoice_days),
            )
            _reserve(invoice, +1)
            if payer_now.membership is not None:
                notification_send(
                    recipients=[payer_now.membership],
                    community=currency.community,
                    kind="ledger.invoice",
                    title=notice_text(
                        gettext_lazy("Someone asks you for a payment in %(currency)s"), currency=currency.name
                    ),
                    url=_url(invoice),
                )
            return invoice
    except IntegrityError:
        earlier = Invoice.objects.filter(payee_id=payee.pk, idempotency_key=key).first()
        if earlier is None:
            raise
        return _same_invoice(earlier, payer, payee, amount)


def _same_invoice(earlier: Invoice, payer: Account, payee: Account, amount: int) -> Invoice:
    if (earlier.payer_id, earlier.payee_id, earlier.amount) != (payer.pk, payee.pk, amount):
        raise Conflict(
            _("This idempotency key was already used for a different request."), field="idempotency_key"
        )
    return earlier


def _locked_pending(invoice: Invoice) -> Invoice:
    # Lock the accounts first, in the same order as every posting, then read the request afresh.
    lock_accounts([invoice.payer_id, invoice.payee_id])
    invoice = (
        Invoice.objects.select_for_update(of=("self",))
        .select_related("currency__community")
        .get(pk=invoice.pk)
    )
    if not invoice.is_pending:
        raise Conflict(
            _("This payment request is no longer open (it is: %(status)s).")
            % {"status": invoice.get_status_display()}
        )
    return invoice


@transaction.atomic
def invoice_accept(*, invoice: Invoice, by: Membership | None) -> Invoice:
    """The payer agrees: the reserved amount is paid, as one transfer referencing the request."""
    from dualpower.notifications.services import notification_send
    from dualpower.notifications.text import text as notice_text

    invoice = _locked_pending(invoice)
    if invoice.expires_at <= timezone.now():
        raise Conflict(_("This payment request has expired; ask for a new one."))
    _reserve(invoice, -1)
    # Released and paid inside one transaction: the reservation guaranteed the limits.
    transfer = post(
        currency=invoice.currency,
        legs=[Leg(invoice.payer_id, invoice.payee_id, invoice.amount, invoice.description)],
        idempotency_key=f"invoice-{invoice.pk}",
        kind=Transfer.Kind.INVOICE,
        by=by,
    ).transfer
    invoice.status = Invoice.Status.ACCEPTED
    invoice.transfer = transfer
    invoice.decided_at = timezone.now()
    invoice.save(update_fields=["status", "transfer", "decided_at"])
    payee = Account.objects.select_related("membership").get(pk=invoice.payee_id)
    if payee.membership is not None:
        notification_send(
            recipients=[payee.membership],
            community=invoice.currency.community,
            kind="ledger.invoice_paid",
            title=notice_text(
                gettext_lazy("Your payment request in %(currency)s was paid"), currency=invoice.currency.name
            ),
            url=_url(invoice),
        )
    return invoice


def _close(invoice: Invoice, status: str, by: Membership | None, action: str) -> Invoice:
    invoice = _locked_pending(invoice)
    _reserve(invoice, -1)
    invoice.status = status
    invoice.decided_at = timezone.now()
    invoice.save(update_fields=["status", "decided_at"])
    audit_record(
        community=invoice.currency.community,
        actor=by,
        action=action,
        target=invoice,
        summary=invoice.description[:100],
    )
    return invoice


@transaction.atomic
def invoice_reject(*, invoice: Invoice, by: Membership | None) -> Invoice:
    from dualpower.notifications.services import notification_send
    from dualpower.notifications.text import text as notice_text

    invoice = _close(invoice, Invoice.Status.REJECTED, by, "ledger.invoice_reject")
    payee = Account.objects.select_related("membership").get(pk=invoice.payee_id)
    if payee.membership is not None:
        notification_send(
            recipients=[payee.membership],
            community=invoice.currency.community,
            kind="ledger.invoice_rejected",
            title=notice_text(
                gettext_lazy("A payment request in %(currency)s was declined"), currency=invoice.currency.name
            ),
            url=_url(invoice),
        )
    return invoice


@transaction.atomic
def invoice_cancel(*, invoice: Invoice, by: Membership | None) -> Invoice:
    """The payee withdraws a request not yet answered."""
    return _close(invoice, Invoice.Status.CANCELLED, by, "ledger.invoice_cancel")


def invoices_expire(*, now: datetime) -> int:
    """Expire every open request past its date, each in its own transaction. Idempotent."""
    done = 0
    for pk in Invoice.objects.filter(status=Invoice.Status.PENDING, expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        try:
            with transaction.atomic():
                invoice = Invoice.objects.get(pk=pk)
                _close(invoice, Invoice.Status.EXPIRED, None, "ledger.invoice_expire")
        except Conflict:  # answered meanwhile
            continue
        done += 1
    return done
