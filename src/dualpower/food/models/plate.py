"""From plan to plate: the priorities the assembly adopted, the allocations of each week's harvests
(computed by ``core/food/allocation.py``, adjusted by the food group, then written), and the share
cycles: pickup points, the basket a share is owed each week, shares by household code, and the
pledging rounds that reach the season's budget.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dualpower.aid.models import AidRequest
from dualpower.community.models import Community
from dualpower.core.food.allocation import DEFAULT_PRIORITIES
from dualpower.food.models.growing import Crop, Log
from dualpower.inventory.models import Item
from dualpower.ledger.models import Currency
from dualpower.members.models import Membership


def default_priorities() -> list[str]:
    return [tier.value for tier in DEFAULT_PRIORITIES]


class PlateSettings(models.Model):
    """A community's food distribution: the priorities in force, changed only by a decision of the
    assembly (``food.set_priorities``). The food working group (rules.in_food_group) allocates."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="food_plate_settings")
    priorities = models.JSONField(_("priorities"), default=default_priorities)
    # The decision that adopted the priorities ("proposal:<id>"); empty for the defaults.
    decision_ref = models.CharField(max_length=40, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"food distribution of {self.community}"


class PantryLink(models.Model):
    """The pantry item a crop goes into when the allocation sends it to the pantry."""

    crop = models.OneToOneField(Crop, on_delete=models.CASCADE, related_name="pantry_link")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+")

    def __str__(self) -> str:
        return f"{self.crop_id} → {self.item_id}"


class ShareCycle(models.Model):
    """A season of shares (a CSA season): its dates, its budget and how shares are paid."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        PLEDGING = "pledging", _("Pledging")
        RUNNING = "running", _("Running")
        CLOSED = "closed", _("Closed")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="food_share_cycles")
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("first week"))
    ends_on = models.DateField(_("last week"))
    # The season's costs the pledges must reach, in the currency's smallest unit (minutes for hours).
    budget = models.BigIntegerField(_("budget"), default=0)
    # Pledges are paid in this currency or time bank through the ledger; none: shares are free.
    currency = models.ForeignKey(
        Currency, on_delete=models.PROTECT, null=True, blank=True, related_name="food_share_cycles"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNING)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="food_cycle_name_unique"),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="food_cycle_dates_ordered"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="food_cycle_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class PickupPoint(models.Model):
    """Where and when shares are picked up each week (a depot, in csa-admin's words)."""

    cycle = models.ForeignKey(ShareCycle, on_delete=models.CASCADE, related_name="pickup_points")
    name = models.CharField(_("name"), max_length=120)
    place = models.CharField(_("place"), max_length=120, blank=True)
    weekday = models.PositiveSmallIntegerField(_("day of the week"))  # 0 Monday … 6 Sunday
    hours = models.CharField(_("hours"), max_length=40, blank=True)

    class Meta:
        ordering = ["weekday", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="food_pickup_name_unique"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="food_pickup_weekday_range"),
        ]

    def __str__(self) -> str:
        return self.name


class BasketLine(models.Model):
    """What one share of size 1 is owed of a crop each week of the cycle."""

    cycle = models.ForeignKey(ShareCycle, on_delete=models.CASCADE, related_name="basket_lines")
    crop = models.ForeignKey(Crop, on_delete=models.PROTECT, related_name="+")
    quantity = models.DecimalField(_("quantity a week"), max_digits=12, decimal_places=3)

    class Meta:
        ordering = ["crop__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "crop"], name="food_basket_crop_unique"),
            models.CheckConstraint(condition=Q(quantity__gt=0), name="food_basket_quantity_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of {self.crop_id}"


class Share(models.Model):
    """A household's share in a cycle, known by its code; its size multiplies the basket."""

    cycle = models.ForeignKey(ShareCycle, on_delete=models.CASCADE, related_name="shares")
    code = models.CharField(max_length=12)
    # The member who holds the share, or None for a household signed up by the food group.
    holder = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="food_shares"
    )
    size = models.DecimalField(_("size"), max_digits=4, decimal_places=2, default=1)
    pickup_point = models.ForeignKey(PickupPoint, on_delete=models.PROTECT, related_name="shares")
    # Free for those who need it: pledges nothing, still owed a full basket.
    free = models.BooleanField(_("free share"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="food_share_code_unique"),
            models.UniqueConstraint(
                fields=["cycle", "holder"],
                condition=Q(holder__isnull=False),
                name="food_share_one_per_holder",
            ),
            models.CheckConstraint(condition=Q(size__gt=0, size__lte=10), name="food_share_size_range"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def community(self) -> Community:
        """The cycle's community (what the role predicates read)."""
        return self.cycle.community


class PledgeRound(models.Model):
    """One round of pledging (csa-admin's bidding round): it reaches the budget or another opens."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        REACHED = "reached", _("Budget reached")
        SHORT = "short", _("Fell short")

    cycle = models.ForeignKey(ShareCycle, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    total = models.BigIntegerField(default=0)  # the pledges' sum when the round closed
    opened_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cycle", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="food_round_number_unique"),
            models.UniqueConstraint(fields=["cycle"], condition=Q(status="open"), name="food_round_one_open"),
        ]

    def __str__(self) -> str:
        return f"round {self.number}"


class Pledge(models.Model):
    """What a share pledges in a round (smallest unit of the cycle's currency), and its payment."""

    round = models.ForeignKey(PledgeRound, on_delete=models.CASCADE, related_name="pledges")
    share = models.ForeignKey(Share, on_delete=models.CASCADE, related_name="pledges")
    amount = models.BigIntegerField(_("pledge"))
    # The ledger transfer that paid it (kept as its id: the ledger keeps the transfer itself).
    paid_transfer_id = models.BigIntegerField(null=True, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "share"]
        constraints = [
            models.UniqueConstraint(fields=["round", "share"], name="food_pledge_once_a_round"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="food_pledge_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.amount} for {self.share_id}"


class Allocation(models.Model):
    """A week's harvests allocated to destinations: a draft (computed, adjusted) until written."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        WRITTEN = "written", _("Written")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="food_allocations")
    week = models.DateField(_("week"))  # its Monday
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    priorities = models.JSONField(default=list)  # as they were when computed
    computed_at = models.DateTimeField()
    computed_by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+")
    written_at = models.DateTimeField(null=True, blank=True)
    written_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-week", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "week"],
                condition=Q(status="draft"),
                name="food_allocation_one_draft_a_week",
            ),
        ]
        indexes = [models.Index(fields=["community", "week"])]

    def __str__(self) -> str:
        return f"allocation of {self.week}"


class AllocationLine(models.Model):
    """A quantity of one log's crop sent to one destination, with the reason it went there."""

    class Destination(models.TextChoices):
        AID = "aid", _("Food request")
        SHARE = "share", _("Share")
        PANTRY = "pantry", _("Pantry")
        MARKET = "market", _("Grocery or market")

    allocation = models.ForeignKey(Allocation, on_delete=models.CASCADE, related_name="lines")
    log = models.ForeignKey(Log, on_delete=models.PROTECT, related_name="allocation_lines")
    # None for a rescue pickup's food, logged by weight without a crop.
    crop = models.ForeignKey(Crop, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    destination = models.CharField(max_length=10, choices=Destination.choices)
    aid_request = models.ForeignKey(
        AidRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="food_allocation_lines"
    )
    share = models.ForeignKey(Share, on_delete=models.SET_NULL, null=True, blank=True, related_name="lines")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    # The reason, as core/food/allocation.py gave it: the tier, its place in the priorities, how
    # the tier was shared; "adjusted" when the food group changed the computed quantity.
    tier = models.CharField(max_length=20)
    rank = models.PositiveSmallIntegerField()
    split = models.CharField(max_length=20)
    computed_quantity = models.DecimalField(max_digits=12, decimal_places=3)

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="food_line_quantity_positive"),
            models.CheckConstraint(
                condition=(Q(destination="aid") & Q(share__isnull=True))
                | (Q(destination="share") & Q(aid_request__isnull=True))
                | (Q(destination__in=["pantry", "market"]) & Q(aid_request__isnull=True, share__isnull=True)),
                name="food_line_destination_fits",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} of log {self.log_id} to {self.destination}"

    @property
    def adjusted(self) -> bool:
        return self.quantity != self.computed_quantity
