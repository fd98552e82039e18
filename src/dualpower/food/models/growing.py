"""Growing food: sites and plots, crops, the planting plan, logs as farmOS keeps them (seeding,
transplanting, input, observation, harvest, and rescue pickups), and the seed library.

Expected harvests and yields come from ``core/food/forecast.py`` (pure); the numbers stored on a
planting are what the forecast said when it was planned, so the plan is stable to read.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dualpower.activities.models import Series
from dualpower.community.models import Community
from dualpower.land.models import Parcel
from dualpower.members.models import Membership


class Unit(models.TextChoices):
    """The units a crop, a log or a seed lot is counted in."""

    KG = "kg", _("kilograms")
    G = "g", _("grams")
    BUNCH = "bunch", _("bunches")
    EACH = "each", _("pieces")
    L = "l", _("litres")
    PACKET = "packet", _("packets")


class Site(models.Model):
    """A garden or farm: optionally on a land trust parcel."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="food_sites")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    place = models.CharField(
        _("place"), max_length=120, blank=True, help_text=_("A neighbourhood or a known place.")
    )
    parcel = models.ForeignKey(
        Parcel, on_delete=models.SET_NULL, null=True, blank=True, related_name="food_sites"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="food_site_name_unique")]

    def __str__(self) -> str:
        return self.name


class Plot(models.Model):
    """A bed or a field on a site, kept by a steward with the gardeners of the season."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="food_plots")
    site = models.ForeignKey(Site, on_delete=models.CASCADE, related_name="plots")
    name = models.CharField(_("name"), max_length=120)
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2)
    season = models.CharField(_("season"), max_length=40, blank=True)
    steward = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="stewarded_plots"
    )
    gardeners = models.ManyToManyField(Membership, blank=True, related_name="gardened_plots")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["site__name", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["site", "name"], name="food_plot_name_unique"),
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="food_plot_area_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Crop(models.Model):
    """What is grown: its family (for rotation), days from seeding to harvest, the unit its
    harvest is counted in, and the yield per m² the community set (learned from past harvests
    when there are enough, see selectors.growing.crop_yields)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="food_crops")
    name = models.CharField(_("name"), max_length=80)
    family = models.CharField(_("family"), max_length=80, blank=True)
    days_to_maturity = models.PositiveSmallIntegerField(_("days to maturity"))
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.KG)
    yield_per_m2 = models.DecimalField(
        _("yield per m²"), max_digits=10, decimal_places=3, null=True, blank=True
    )
    # What the pantry and food aid use of this crop in a week, as the food group estimates it
    # (the supply warning adds the shares committed on top).
    weekly_need = models.DecimalField(
        _("weekly need (pantry and food aid)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    # How much of this crop one household asking for food is given a week, as the food group sets
    # it: the supply warning turns the open food aid requests into this crop's need with it.
    household_portion = models.DecimalField(
        _("portion a week for a household asking for food"),
        max_digits=12,
        decimal_places=3,
        null=True,
        blank=True,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "name"], name="food_crop_name_unique"),
            models.CheckConstraint(
                condition=Q(days_to_maturity__gte=1, days_to_maturity__lte=1000),
                name="food_crop_days_range",
            ),
            models.CheckConstraint(
                condition=Q(yield_per_m2__isnull=True) | Q(yield_per_m2__gte=0),
                name="food_crop_yield_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(weekly_need__isnull=True) | Q(weekly_need__gte=0),
                name="food_crop_need_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(household_portion__isnull=True) | Q(household_portion__gte=0),
                name="food_crop_portion_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Planting(models.Model):
    """A crop sown in a plot: when, on how much of it, and what the forecast expects."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        GROWING = "growing", _("Growing")
        FINISHED = "finished", _("Finished")
        FAILED = "failed", _("Failed")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="food_plantings")
    plot = models.ForeignKey(Plot, on_delete=models.CASCADE, related_name="plantings")
    crop = models.ForeignKey(Crop, on_delete=models.PROTECT, related_name="plantings")
    seeding_date = models.DateField(_("seeding date"))
    area_m2 = models.DecimalField(_("area (m²)"), max_digits=10, decimal_places=2)
    expected_harvest = models.DateField(_("expected harvest"))
    # How many weeks the harvest is spread over, from expected_harvest on.
    harvest_weeks = models.PositiveSmallIntegerField(_("weeks of harvest"), default=1)
    expected_quantity = models.DecimalField(
        _("expected yield"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seeding_date", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(area_m2__gt=0), name="food_planting_area_positive"),
            models.CheckConstraint(
                condition=Q(expected_harvest__gte=F("seeding_date")),
                name="food_planting_harvest_after_seeding",
            ),
            models.CheckConstraint(
                condition=Q(harvest_weeks__gte=1, harvest_weeks__lte=52), name="food_planting_weeks_range"
            ),
        ]
        indexes = [models.Index(fields=["community", "expected_harvest"])]

    def __str__(self) -> str:
        return f"{self.crop} in {self.plot}"


class Log(models.Model):
    """What was done or seen, as farmOS logs it; a harvest or a rescue pickup has a quantity."""

    class Kind(models.TextChoices):
        SEEDING = "seeding", _("Seeding")
        TRANSPLANTING = "transplanting", _("Transplanting")
        INPUT = "input", _("Input")
        OBSERVATION = "observation", _("Observation")
        HARVEST = "harvest", _("Harvest")
        RESCUE = "rescue", _("Rescue pickup")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        DONE = "done", _("Done")
        ABANDONED = "abandoned", _("Abandoned")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="food_logs")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DONE)
    planting = models.ForeignKey(
        Planting, on_delete=models.SET_NULL, null=True, blank=True, related_name="logs"
    )
    crop = models.ForeignKey(Crop, on_delete=models.PROTECT, null=True, blank=True, related_name="logs")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, null=True, blank=True)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, blank=True)
    lot = models.CharField(_("lot"), max_length=60, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    # A rescue pickup: where the food came from (a shop, a market stall), never a home address.
    source = models.CharField(_("rescued from"), max_length=120, blank=True)
    # The rescue round (or work day) the log was made at.
    round = models.ForeignKey(
        "FoodSeries", on_delete=models.SET_NULL, null=True, blank=True, related_name="logs"
    )
    at = models.DateTimeField(_("when"))
    by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="food_logs"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | Q(quantity__gte=0), name="food_log_quantity_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(quantity__isnull=True) | ~Q(unit=""), name="food_log_quantity_has_unit"
            ),
        ]
        indexes = [
            models.Index(fields=["community", "kind", "at"]),
            models.Index(fields=["planting", "kind"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class FoodSeries(models.Model):
    """An activities series that is a work day at a site or a food rescue pickup round."""

    class Kind(models.TextChoices):
        WORK_DAY = "work_day", _("Work day")
        RESCUE = "rescue", _("Rescue pickup")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="food_series")
    series = models.OneToOneField(Series, on_delete=models.CASCADE, related_name="food_link")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    site = models.ForeignKey(Site, on_delete=models.SET_NULL, null=True, blank=True, related_name="series")
    source = models.CharField(_("rescued from"), max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.series_id}"


class SeedLot(models.Model):
    """Seed in the library: a variety, where it was saved from, how well it germinates."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="seed_lots")
    crop = models.ForeignKey(Crop, on_delete=models.SET_NULL, null=True, blank=True, related_name="seed_lots")
    variety = models.CharField(_("variety"), max_length=120)
    saved_from = models.CharField(_("saved from"), max_length=200, blank=True)
    saved_on = models.DateField(_("saved on"), null=True, blank=True)
    germination_rate = models.PositiveSmallIntegerField(_("germination rate (%)"), null=True, blank=True)
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3, default=0)
    unit = models.CharField(_("unit"), max_length=10, choices=Unit.choices, default=Unit.G)
    # A lot of seed saved from a loan's harvest points back at the lot that was lent.
    parent = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="saved_lots"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["variety", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=0), name="food_seed_lot_quantity_not_negative"),
            models.CheckConstraint(
                condition=Q(germination_rate__isnull=True) | Q(germination_rate__lte=100),
                name="food_seed_lot_germination_range",
            ),
        ]

    def __str__(self) -> str:
        return self.variety


class SeedLoan(models.Model):
    """Seed lent to a gardener, returned as seed they saved from what they grew."""

    class Status(models.TextChoices):
        OUT = "out", _("Out")
        RETURNED = "returned", _("Returned")
        LOST = "lost", _("Not returned")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="seed_loans")
    lot = models.ForeignKey(SeedLot, on_delete=models.PROTECT, related_name="loans")
    borrower = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="seed_loans")
    quantity = models.DecimalField(_("quantity"), max_digits=12, decimal_places=3)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OUT)
    lent_at = models.DateTimeField()
    # The day the borrower said they would bring back saved seed; reminded once a few days before.
    due_on = models.DateField(_("bring back by"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_lot = models.ForeignKey(
        SeedLot, on_delete=models.SET_NULL, null=True, blank=True, related_name="returned_by_loans"
    )

    class Meta:
        ordering = ["-lent_at", "-id"]
        indexes = [models.Index(fields=["status", "due_on"])]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="food_seed_loan_quantity_positive")
        ]

    def __str__(self) -> str:
        return f"Seed loan #{self.pk}"
