"""Currencies, accounts, transfers and invoices: a double-entry ledger that never loses a unit.

Invariants live in the database, not in comments:
- an account's balance, less what it has promised to pay (pending invoices), never goes below its
  lower limit; with what it is owed, never above its upper limit (check constraints);
- a transfer moves a positive amount between two different accounts, and is never changed or
  deleted (triggers, migration 0002); a mistake is undone by a correcting transfer;
- an idempotency key makes at most one transfer per paying account, and one payment request per
  asking account (unique constraints): nobody else's key can collide with yours;
- balances move only when a transfer is written: inserting a transfer moves both balances (a
  trigger, migration 0003) and any other UPDATE of a balance is refused (a trigger, migration
  0006). ``dualpower ledger check`` recomputes them from the transfers.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.formatting import format_money
from dualpower.members.models import Membership


class Currency(models.Model):
    class Kind(models.TextChoices):
        MUTUAL_CREDIT = "mutual_credit", _("Mutual credit")
        TIME_BANK = "time_bank", _("Time bank (hours)")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="currencies")
    code = models.SlugField(_("short name"), max_length=30, help_text=_("Used in addresses, e.g. “roots”."))
    name = models.CharField(_("name"), max_length=80)
    symbol = models.CharField(_("symbol"), max_length=12, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MUTUAL_CREDIT)
    # Mutual credit: how many decimal places (0–4). A time bank counts whole minutes (0).
    decimals = models.PositiveSmallIntegerField(_("decimal places"), default=2)
    description = models.TextField(_("what it is for"), blank=True, max_length=2000)
    # Policy: what new member accounts start with, and how far coordinators may go on their own.
    # Beyond these bounds only a decision of the assembly changes a limit.
    default_lower_limit = models.BigIntegerField(_("credit for new members"), default=0)
    default_upper_limit = models.BigIntegerField(_("upper limit for new members"), default=0)
    lowest_lower_limit = models.BigIntegerField(_("most credit a coordinator may give"), default=0)
    highest_upper_limit = models.BigIntegerField(_("highest upper limit a coordinator may set"), default=0)
    # Demurrage: basis points a month (100 = 1%) of positive balances, paid to the community account.
    demurrage_basis_points = models.PositiveIntegerField(_("demurrage per month (basis points)"), default=0)
    invoice_days = models.PositiveSmallIntegerField(_("days a payment request stays open"), default=14)
    is_active = models.BooleanField(_("in use"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "currencies"
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="currency_code_unique"),
            models.CheckConstraint(condition=Q(decimals__lte=4), name="currency_decimals_0_4"),
            models.CheckConstraint(
                condition=Q(default_lower_limit__lte=0) & Q(default_upper_limit__gte=0),
                name="currency_default_limits_around_zero",
            ),
            models.CheckConstraint(
                condition=Q(lowest_lower_limit__lte=F("default_lower_limit"))
                & Q(highest_upper_limit__gte=F("default_upper_limit")),
                name="currency_defaults_within_bounds",
            ),
            models.CheckConstraint(
                condition=Q(demurrage_basis_points__lte=1000), name="currency_demurrage_at_most_10pc"
            ),
            models.CheckConstraint(
                condition=~Q(kind="time_bank") | Q(decimals=0), name="currency_time_bank_in_minutes"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_time_bank(self) -> bool:
        return self.kind == self.Kind.TIME_BANK

    def format(self, units: int) -> str:
        """An amount as people read it, in their language: “12.50 R” or “1:30 h”."""
        return format_money(units, self)


class Account(models.Model):
    class OwnerKind(models.TextChoices):
        MEMBER = "member", _("Member")
        COOPERATIVE = "cooperative", _("Cooperative")
        WORKING_GROUP = "working_group", _("Working group")
        COMMUNITY = "community", _("The community")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="ledger_accounts")
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="accounts")
    owner_kind = models.CharField(max_length=20, choices=OwnerKind.choices)
    # The owner's id in its own table (membership, cooperative, working group or community); for
    # members also the membership itself, so pages can name the holder.
    owner_id = models.BigIntegerField()
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_accounts"
    )
    name = models.CharField(_("name"), max_length=120)
    balance = models.BigIntegerField(default=0)
    # What this account has been asked to pay / is owed by invoices not yet decided: counted
    # against its limits so accepting them can never break a limit.
    pending_debits = models.BigIntegerField(default=0)
    pending_credits = models.BigIntegerField(default=0)
    lower_limit = models.BigIntegerField(_("lower limit"), default=0)
    upper_limit = models.BigIntegerField(_("upper limit"), default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # Privacy: balances are not shown to others unless the holder opts in.
    balance_public = models.BooleanField(_("show my balance to other members"), default=False)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["currency_id", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["currency", "owner_kind", "owner_id"],
                condition=Q(status="open"),
                name="ledger_one_open_account_per_owner",
            ),
            models.CheckConstraint(
                condition=Q(lower_limit__lte=F("upper_limit")), name="ledger_limits_ordered"
            ),
            models.CheckConstraint(
                condition=Q(balance__gte=F("lower_limit") + F("pending_debits")),
                name="ledger_above_lower_limit",
            ),
            models.CheckConstraint(
                condition=Q(balance__lte=F("upper_limit") - F("pending_credits")),
                name="ledger_below_upper_limit",
            ),
            models.CheckConstraint(
                condition=Q(pending_debits__gte=0) & Q(pending_credits__gte=0),
                name="ledger_pending_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="closed") | (Q(balance=0) & Q(pending_debits=0) & Q(pending_credits=0)),
                name="ledger_closed_accounts_are_empty",
            ),
            models.CheckConstraint(
                condition=~Q(owner_kind="member") | Q(membership__isnull=False),
                name="ledger_member_account_names_member",
            ),
        ]
        indexes = [models.Index(fields=["community", "owner_kind", "owner_id"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def available(self) -> int:
        """How much more this account can pay now: down to its lower limit, less pending requests."""
        return self.balance - self.pending_debits - self.lower_limit

    @property
    def room(self) -> int:
        """How much more this account can receive before reaching its upper limit."""
        return self.upper_limit - self.pending_credits - self.balance


class Transfer(models.Model):
    class Kind(models.TextChoices):
        PAYMENT = "payment", _("Payment")
        INVOICE = "invoice", _("Accepted payment request")
        CORRECTION = "correction", _("Correction")
        DEMURRAGE = "demurrage", _("Demurrage")
        CLOSING = "closing", _("Closing an account")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="ledger_transfers")
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="transfers")
    debit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="debits")
    credit = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="credits")
    amount = models.BigIntegerField()
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PAYMENT)
    description = models.CharField(_("what for"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=100)
    # Linked transfers (all or nothing) share a batch id.
    batch = models.CharField(max_length=100, blank=True)
    corrects = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    created_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_transfers_made"
    )
    decision_ref = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Scoped to the paying account (which holds one currency): another member's key never
            # answers yours, so keys cannot be claimed in advance by someone else.
            models.UniqueConstraint(
                fields=["debit", "idempotency_key"], name="ledger_idempotency_key_once_per_payer"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_transfer_positive"),
            models.CheckConstraint(condition=~Q(debit=F("credit")), name="ledger_transfer_two_accounts"),
        ]
        indexes = [
            # A statement's page: an account's newest transfers on each side, by keyset.
            models.Index(fields=["debit", "id"], name="ledger_transfer_debit_page"),
            models.Index(fields=["credit", "id"], name="ledger_transfer_credit_page"),
            # The money summary's running totals: a currency's transfers after the last counted.
            models.Index(fields=["currency", "id"], name="ledger_transfer_currency_id"),
        ]

    def __str__(self) -> str:
        return f"{self.debit} → {self.credit}: {self.amount}"


class Invoice(models.Model):
    """A payment request: the payee asks, the payer accepts (the transfer is made) or rejects."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the payer")
        ACCEPTED = "accepted", _("Paid")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Withdrawn")
        EXPIRED = "expired", _("Expired")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="ledger_invoices")
    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="invoices")
    payer = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="invoices_to_pay")
    payee = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="invoices_issued")
    amount = models.BigIntegerField()
    description = models.CharField(_("what for"), max_length=200, blank=True)
    idempotency_key = models.CharField(max_length=100)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="ledger_invoices_made"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    transfer = models.OneToOneField(
        Transfer, on_delete=models.PROTECT, null=True, blank=True, related_name="invoice"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Scoped to the asking account, as a transfer's key is to the paying one.
            models.UniqueConstraint(
                fields=["payee", "idempotency_key"], name="ledger_invoice_key_once_per_payee"
            ),
            models.CheckConstraint(condition=Q(amount__gt=0), name="ledger_invoice_positive"),
            models.CheckConstraint(condition=~Q(payer=F("payee")), name="ledger_invoice_two_accounts"),
            models.CheckConstraint(
                condition=Q(status="accepted", transfer__isnull=False)
                | (~Q(status="accepted") & Q(transfer__isnull=True)),
                name="ledger_paid_invoice_has_transfer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.payee} asks {self.payer}: {self.amount}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class DemurrageRun(models.Model):
    """One charge of demurrage per currency and month: the unique period makes the job idempotent."""

    currency = models.ForeignKey(Currency, on_delete=models.PROTECT, related_name="demurrage_runs")
    period = models.CharField(max_length=7)  # "2026-11"
    basis_points = models.PositiveIntegerField()
    accounts_charged = models.PositiveIntegerField(default=0)
    total = models.BigIntegerField(default=0)
    ran_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period"]
        constraints = [
            models.UniqueConstraint(fields=["currency", "period"], name="ledger_demurrage_once_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.currency_id} {self.period}"
