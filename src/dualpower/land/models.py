"""The community land trust: parcels and homes, ground leases, stewardship notes, the waitlist
and the allocation of vacant homes.

Privacy: a home's address is stored but shown only to coordinators and the home's leaseholder
(rules.py ``land.view_address``); the public pages name homes by a label ("Elm Row, home 3").
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.core.economy import Formula
from dualpower.members.models import Membership


class TrustSettings(models.Model):
    """How the trust allocates homes, as published to everyone on the waitlist page."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="land_settings")
    # If not, an allocation takes effect only by a decision of the assembly ("land.allocate_home").
    coordinators_may_allocate = models.BooleanField(_("coordinators may adopt allocations"), default=False)
    # The published priority criteria: [{key, description, points_per_unit, max_units}].
    criteria = models.JSONField(default=list)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Land trust settings of {self.community}"


class Parcel(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="parcels")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    address = models.CharField(_("address"), max_length=300, blank=True)  # private
    acquired_on = models.DateField(_("acquired on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="parcel_name_unique")]

    def __str__(self) -> str:
        return self.name


class Home(models.Model):
    class Status(models.TextChoices):
        VACANT = "vacant", _("Vacant")
        ALLOCATED = "allocated", _("Allocated, lease to sign")
        LEASED = "leased", _("Leased")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="homes")
    parcel = models.ForeignKey(Parcel, on_delete=models.PROTECT, related_name="homes")
    label = models.CharField(_("label"), max_length=120, help_text=_("A public name, never the address."))
    address = models.CharField(_("address"), max_length=300, blank=True)  # private
    bedrooms = models.PositiveSmallIntegerField(_("bedrooms"), default=1)
    min_household = models.PositiveSmallIntegerField(_("smallest household"), default=1)
    max_household = models.PositiveSmallIntegerField(_("largest household"), default=2)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.VACANT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["parcel__name", "label"]
        constraints = [
            models.UniqueConstraint(fields=["community", "label"], name="home_label_unique"),
            models.CheckConstraint(
                condition=Q(min_household__gte=1) & Q(min_household__lte=models.F("max_household")),
                name="home_household_range",
            ),
        ]

    def __str__(self) -> str:
        return self.label


class GroundLease(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")
        TERMINATED = "terminated", _("Terminated")

    home = models.ForeignKey(Home, on_delete=models.PROTECT, related_name="leases")
    leaseholder = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="ground_leases")
    start = models.DateField(_("start"))
    term_years = models.PositiveSmallIntegerField(_("term (years)"), default=99)
    monthly_fee = models.PositiveIntegerField(_("monthly ground lease fee (cents)"))
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    formula = models.CharField(
        _("resale formula"), max_length=30, choices=[(f.value, f.value.replace("_", " ")) for f in Formula]
    )
    # The formula's parameters as recorded in the lease (see land/resale.py for each formula).
    formula_params = models.JSONField(default=dict)
    ended_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["home"], condition=Q(status="active"), name="one_active_lease_per_home"
            ),
            models.CheckConstraint(condition=Q(term_years__gte=1), name="lease_term_positive"),
        ]

    def __str__(self) -> str:
        return f"Lease #{self.pk} of {self.home}"

    @property
    def community(self) -> Community:
        return self.home.community


class StewardshipNote(models.Model):
    """The trust's care of a home: inspections, repairs, conversations with the household."""

    home = models.ForeignKey(Home, on_delete=models.PROTECT, related_name="notes")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Note on {self.home}"


class WaitlistApplication(models.Model):
    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        HOUSED = "housed", _("Housed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="waitlist")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="waitlist_applications")
    household_size = models.PositiveSmallIntegerField(_("people in the household"))
    # One whole number per published criterion the household answers (0/1 for yes/no).
    facts = models.JSONField(default=dict)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.WAITING)
    applied_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["applied_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "membership"],
                condition=Q(status="waiting"),
                name="one_waiting_application",
            ),
            models.CheckConstraint(condition=Q(household_size__gte=1), name="household_size_positive"),
        ]

    def __str__(self) -> str:
        return self.public_id

    @property
    def public_id(self) -> str:
        """How the application appears in a published ranking: no name."""
        return f"A-{self.pk}"


class Allocation(models.Model):
    """Allocating one vacant home: seed announced → drawn (proposed) → adopted."""

    class Status(models.TextChoices):
        ANNOUNCED = "announced", _("Seed announced, draw to come")
        PROPOSED = "proposed", _("Drawn, waiting for adoption")
        ADOPTED = "adopted", _("Adopted")
        CANCELLED = "cancelled", _("Cancelled")

    home = models.ForeignKey(Home, on_delete=models.PROTECT, related_name="allocations")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ANNOUNCED)
    seed = models.CharField(max_length=200)
    seed_announced_at = models.DateTimeField()
    drawn_at = models.DateTimeField(null=True, blank=True)
    # Everything the draw used and produced (applicants' facts, criteria, ranking), to replay it.
    result = models.JSONField(default=dict, blank=True)
    chosen = models.ForeignKey(
        WaitlistApplication, on_delete=models.PROTECT, null=True, blank=True, related_name="allocations"
    )
    adopted_at = models.DateTimeField(null=True, blank=True)
    decision_ref = models.CharField(max_length=60, blank=True)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["home"],
                condition=Q(status__in=["announced", "proposed"]),
                name="one_open_allocation_per_home",
            ),
            models.CheckConstraint(
                condition=~Q(status="adopted") | Q(chosen__isnull=False),
                name="adopted_allocation_has_household",
            ),
        ]

    def __str__(self) -> str:
        return f"Allocation #{self.pk} of {self.home}"

    @property
    def community(self) -> Community:
        return self.home.community
