"""Cooperatives: the registry, who belongs to each co-op, member capital and patronage.

Capital follows the cooperator anchor (coopiteasy): every change to a member's capital is an
operation (subscription, transfer, sell-back) that goes draft → approved → done, and a done
operation writes lines to an append-only register (the database refuses UPDATE and DELETE, see
migrations/0002). A member's capital is the sum of their register lines, never a stored total.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.members.models import Membership


class Cooperative(models.Model):
    class Kind(models.TextChoices):
        WORKER = "worker", _("Worker co-op")
        CONSUMER = "consumer", _("Consumer co-op")
        HOUSING = "housing", _("Housing co-op")
        PRODUCER = "producer", _("Producer co-op")

    class Status(models.TextChoices):
        FORMING = "forming", _("Forming")
        ACTIVE = "active", _("Active")
        DISSOLVED = "dissolved", _("Dissolved")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="cooperatives")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    purpose = models.TextField(_("purpose"), blank=True, max_length=5000)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.FORMING)
    # The co-op's own deciding body: one member, one vote (assemblies.bodies "coop").
    assembly = models.OneToOneField(
        "assemblies.Assembly", on_delete=models.PROTECT, related_name="cooperative"
    )
    # Bylaws. Money in the smallest currency unit (cents).
    share_price = models.PositiveIntegerField(_("price of one share (cents)"), default=1000)
    min_shares = models.PositiveIntegerField(_("minimum shares per member"), default=1)
    max_shares = models.PositiveIntegerField(_("maximum shares per member"), default=100)
    min_cash_percent = models.PositiveSmallIntegerField(
        _("minimum share of patronage paid in cash (%)"), default=20
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="coop_slug_unique"),
            models.CheckConstraint(condition=Q(share_price__gt=0), name="coop_share_price_positive"),
            models.CheckConstraint(
                condition=Q(min_shares__lte=models.F("max_shares")), name="coop_min_le_max"
            ),
            models.CheckConstraint(condition=Q(max_shares__gt=0), name="coop_max_shares_positive"),
            models.CheckConstraint(condition=Q(min_cash_percent__lte=100), name="coop_cash_percent_max"),
        ]

    def __str__(self) -> str:
        return self.name


class CoopMember(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Asked to join")
        MEMBER = "member", _("Member")
        LEFT = "left", _("Left")

    class Role(models.TextChoices):
        MEMBER = "member", _("Member")
        BOARD = "board", _("Board")

    coop = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="coop_members")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="coop_places")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.MEMBER)
    requested_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-role", "requested_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["coop", "membership"], name="coop_member_once"),
            models.CheckConstraint(
                condition=Q(role="member") | Q(status="member"), name="coop_board_is_member"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} in {self.coop}"

    @property
    def community(self) -> Community:
        return self.coop.community


class CapitalOperation(models.Model):
    class Kind(models.TextChoices):
        SUBSCRIPTION = "subscription", _("Share subscription")
        TRANSFER = "transfer", _("Transfer of shares")
        SELL_BACK = "sell_back", _("Sell-back to the co-op")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved by the board")
        DONE = "done", _("Done")
        CANCELLED = "cancelled", _("Cancelled")

    coop = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="operations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Subscription: the member buying. Transfer and sell-back: the member giving up shares.
    member = models.ForeignKey(CoopMember, on_delete=models.PROTECT, related_name="operations")
    # Transfer only: the member receiving the shares.
    to_member = models.ForeignKey(
        CoopMember, on_delete=models.PROTECT, null=True, blank=True, related_name="operations_received"
    )
    shares = models.PositiveIntegerField()
    share_price = models.PositiveIntegerField()  # the bylaws' price when the operation was drafted
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    note = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(shares__gt=0), name="capital_op_shares_positive"),
            models.CheckConstraint(
                condition=(Q(kind="transfer") & Q(to_member__isnull=False))
                | (~Q(kind="transfer") & Q(to_member__isnull=True)),
                name="capital_op_to_member_iff_transfer",
            ),
            models.CheckConstraint(
                condition=Q(to_member__isnull=True) | ~Q(to_member=models.F("member")),
                name="capital_op_transfer_to_other",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}: {self.shares} shares"

    @property
    def amount(self) -> int:
        return self.shares * self.share_price

    @property
    def community(self) -> Community:
        return self.coop.community


class CapitalEntry(models.Model):
    """One line of the capital register. Append-only: corrections are new lines."""

    class Kind(models.TextChoices):
        SUBSCRIPTION = "subscription", _("Shares subscribed")
        TRANSFER_OUT = "transfer_out", _("Shares transferred out")
        TRANSFER_IN = "transfer_in", _("Shares transferred in")
        SELL_BACK = "sell_back", _("Shares sold back")
        PATRONAGE = "patronage", _("Retained patronage")

    coop = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="register")
    member = models.ForeignKey(CoopMember, on_delete=models.PROTECT, related_name="register")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    shares = models.IntegerField(default=0)  # signed change in shares held
    amount = models.BigIntegerField(default=0)  # signed change in capital (cents)
    operation = models.ForeignKey(
        CapitalOperation, on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    allocation = models.ForeignKey(
        "PatronageAllocation", on_delete=models.PROTECT, null=True, blank=True, related_name="entries"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(operation__isnull=False) | Q(allocation__isnull=False),
                name="capital_entry_has_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.shares} shares, {self.amount}"


class PatronageAllocation(models.Model):
    """A year's surplus shared out by patronage: proposed by the board, then adopted."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        ADOPTED = "adopted", _("Adopted")

    coop = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="patronage_allocations")
    year = models.PositiveSmallIntegerField()
    surplus = models.BigIntegerField()  # cents
    measure = models.CharField(max_length=20)  # "hours" or "purchases"
    cash_percent = models.PositiveSmallIntegerField()
    total_cash = models.BigIntegerField()
    total_retained = models.BigIntegerField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    adopted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["coop", "year"], condition=Q(status="adopted"), name="patronage_one_adopted_per_year"
            ),
            models.CheckConstraint(condition=Q(cash_percent__lte=100), name="patronage_cash_percent_max"),
            models.CheckConstraint(
                condition=Q(total_cash__gte=0) & Q(total_retained__gte=0), name="patronage_parts_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.coop} {self.year}"

    @property
    def community(self) -> Community:
        return self.coop.community


class PatronageLine(models.Model):
    allocation = models.ForeignKey(PatronageAllocation, on_delete=models.CASCADE, related_name="lines")
    member = models.ForeignKey(CoopMember, on_delete=models.PROTECT, related_name="+")
    patronage = models.BigIntegerField()
    amount = models.BigIntegerField()
    cash = models.BigIntegerField()
    retained = models.BigIntegerField()

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["allocation", "member"], name="patronage_line_once"),
            models.CheckConstraint(
                condition=Q(amount=models.F("cash") + models.F("retained")), name="patronage_line_sums"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_id}: {self.amount}"
