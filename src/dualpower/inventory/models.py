"""The shared inventory: goods the network holds (a food pantry, hygiene kits).

An item's stock is the sum of its movements. ``Item.stock`` keeps that sum so a stock-out can be
checked and applied in one conditional UPDATE (race-safe); every movement records the stock after
it, and the database refuses a negative stock either way.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.members.models import Membership


class Item(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="inventory_items")
    name = models.CharField(_("name"), max_length=120)
    unit = models.CharField(_("unit"), max_length=30, help_text=_("What you count in: boxes, kg, kits..."))
    low_threshold = models.PositiveIntegerField(
        _("low-stock level"),
        default=0,
        help_text=_("When the stock falls to this or below, stock keepers are told."),
    )
    location = models.CharField(
        _("where it is kept"),
        max_length=120,
        blank=True,
        help_text=_("A coarse place, e.g. “the church hall”."),
    )
    expiry_warning_days = models.PositiveSmallIntegerField(
        _("warn before expiry (days)"),
        default=30,
        help_text=_("For goods kept by lot: stock keepers are told this many days before a lot expires."),
    )
    stock = models.IntegerField(default=0)
    # Set when the stock fell to the low level, cleared when it rose above: one alert per crossing.
    low_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="inventory_item_name_unique"),
            models.CheckConstraint(condition=Q(stock__gte=0), name="inventory_stock_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_low(self) -> bool:
        return self.stock <= self.low_threshold


class Lot(models.Model):
    """A batch of an item with its lot number and expiry date (medicines, tests, first-aid kits).

    ``remaining`` is how much of the lot is still on the shelf; it moves with the item's stock in
    the same transaction, by conditional UPDATEs, and the database refuses it below zero. A lot
    past its expiry date may be discarded but never dispensed."""

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="lots")
    code = models.CharField(_("lot number"), max_length=40)
    expires_on = models.DateField(_("expiry date"), null=True, blank=True)
    remaining = models.IntegerField(default=0)
    # Set when the stock keepers were told the lot is about to expire: one alert per lot.
    warned_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = [models.F("expires_on").asc(nulls_last=True), "code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "code"], name="inventory_lot_code_unique"),
            models.CheckConstraint(condition=Q(remaining__gte=0), name="inventory_lot_not_negative"),
        ]
        indexes = [models.Index(fields=["expires_on"], name="inventory_lot_expiry")]

    def __str__(self) -> str:
        return self.code

    def is_expired(self, today: dt.date) -> bool:
        return self.expires_on is not None and self.expires_on < today


class Movement(models.Model):
    class Kind(models.TextChoices):
        IN = "in", _("In")
        OUT = "out", _("Out")
        ADJUST = "adjust", _("Count")

    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="movements")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    # The change to the stock: positive in, negative out, either for a count.
    quantity = models.IntegerField()
    stock_after = models.IntegerField()
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # A stock-out given to meet a mutual aid request; the request keeps its history if this goes.
    aid_request = models.ForeignKey(
        "aid.AidRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="inventory_movements"
    )
    # The lot it came in or went out of, for goods kept by lot.
    lot = models.ForeignKey(Lot, on_delete=models.SET_NULL, null=True, blank=True, related_name="movements")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="in", quantity__gt=0)
                | Q(kind="out", quantity__lt=0)
                | (Q(kind="adjust") & ~Q(quantity=0)),
                name="inventory_movement_sign",
            ),
            models.CheckConstraint(condition=Q(stock_after__gte=0), name="inventory_movement_stock_after"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.quantity:+d} of {self.item_id}"
