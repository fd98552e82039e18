"""Activities and shifts (Karrot's model): a series says what happens when; each occurrence has
slots per role that people sign up for; some slot roles need a role granted by trust.

A one-off activity is a series that happens once, so organisers, slots and pages are the same
for both.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.groups.models import WorkingGroup
from dualpower.members.models import Membership


class TrustRole(models.Model):
    """A role members give each other by vouching (e.g. "accompanier"); granted at a threshold."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="trust_roles")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("what it means"), blank=True, max_length=2000)
    threshold = models.PositiveSmallIntegerField(
        _("vouches needed"), default=2, help_text=_("How many members must vouch before the role is granted.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="trust_role_slug_unique"),
            models.CheckConstraint(condition=Q(threshold__gte=1), name="trust_role_threshold_positive"),
        ]

    def __str__(self) -> str:
        return self.name


class Vouch(models.Model):
    """One member saying another can be trusted with a role."""

    role = models.ForeignKey(TrustRole, on_delete=models.CASCADE, related_name="vouches")
    voucher = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="vouches_given")
    vouchee = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="vouches_received")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["role", "voucher", "vouchee"], name="vouch_once"),
            models.CheckConstraint(condition=~Q(voucher=F("vouchee")), name="vouch_not_for_oneself"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher_id} vouches for {self.vouchee_id} as {self.role_id}"


class RoleGrant(models.Model):
    """Someone holds a trust role: granted when their vouches reached the threshold."""

    role = models.ForeignKey(TrustRole, on_delete=models.CASCADE, related_name="grants")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="role_grants")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["granted_at"]
        constraints = [models.UniqueConstraint(fields=["role", "membership"], name="role_granted_once")]

    def __str__(self) -> str:
        return f"{self.membership_id} holds {self.role_id}"


class Series(models.Model):
    """What happens and when: a weekly food distribution, a tenants' clinic, a one-off action."""

    class Repeat(models.TextChoices):
        ONCE = "once", _("Once")
        WEEKLY = "weekly", _("Every week")
        MONTHLY = "monthly", _("Every month")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="activity_series")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    place = models.CharField(
        _("place"),
        max_length=120,
        blank=True,
        help_text=_("A neighbourhood or a known place, never a home address."),
    )
    group = models.ForeignKey(
        WorkingGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="activity_series"
    )
    repeat = models.CharField(_("repeats"), max_length=10, choices=Repeat.choices, default=Repeat.ONCE)
    # Weekly: the weekdays it happens on, Monday = 0 ... Sunday = 6.
    weekdays = models.JSONField(_("days of the week"), default=list, blank=True)
    # Monthly: the day of the month (at most 28, so every month has it).
    month_day = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    starts_on = models.DateField(_("first date"))
    ends_on = models.DateField(_("last date"), null=True, blank=True)
    start_time = models.TimeField(_("starts at"))
    duration_minutes = models.PositiveIntegerField(_("how long (minutes)"), default=120)
    # The clock keeps occurrences generated this many weeks ahead, and remembers how far it got.
    weeks_ahead = models.PositiveSmallIntegerField(default=4)
    generated_until = models.DateField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    organisers = models.ManyToManyField(Membership, through="Organiser", related_name="organised_series")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=24 * 60),
                name="series_duration_range",
            ),
            models.CheckConstraint(
                condition=~Q(repeat="monthly") | Q(month_day__gte=1, month_day__lte=28),
                name="series_monthly_has_day",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="series_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Organiser(models.Model):
    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="organiser_places")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="organiser_places")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "membership"], name="organiser_once")]

    def __str__(self) -> str:
        return f"{self.membership_id} organises {self.series_id}"


class SlotTemplate(models.Model):
    """The places each occurrence of a series offers: 3 drivers, 2 packers, 1 interpreter."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="slot_templates")
    label = models.CharField(_("role in the activity"), max_length=60)
    capacity = models.PositiveSmallIntegerField(_("places"))
    required_role = models.ForeignKey(
        TrustRole, on_delete=models.PROTECT, null=True, blank=True, related_name="slot_templates"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["series", "label"], name="slot_template_label_unique"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=500), name="slot_template_capacity"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.capacity}"


class Activity(models.Model):
    """One occurrence: the food distribution of Saturday 12 April, 10:00."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="activities")
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="activities")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    is_cancelled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            # Generating occurrences twice (two clocks, a retry) never makes a second one.
            models.UniqueConstraint(fields=["series", "starts_at"], name="activity_once_per_start"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="activity_ends_after_start"),
        ]
        indexes = [models.Index(fields=["community", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.series.title} {self.starts_at:%Y-%m-%d %H:%M}"


class Slot(models.Model):
    """The places for one role at one occurrence. ``taken`` counts sign-ups; the database keeps
    it within the capacity, so the last place cannot be given twice."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="slots")
    label = models.CharField(_("role in the activity"), max_length=60)
    capacity = models.PositiveSmallIntegerField(_("places"))
    taken = models.PositiveSmallIntegerField(default=0)
    required_role = models.ForeignKey(
        TrustRole, on_delete=models.PROTECT, null=True, blank=True, related_name="slots"
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "label"], name="slot_label_unique"),
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=500), name="slot_capacity_range"
            ),
            models.CheckConstraint(
                condition=Q(taken__gte=0, taken__lte=F("capacity")), name="slot_not_overfilled"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.label}: {self.taken}/{self.capacity}"

    @property
    def free(self) -> int:
        return self.capacity - self.taken


class SignUp(models.Model):
    """A person in a slot. One place per person per occurrence."""

    slot = models.ForeignKey(Slot, on_delete=models.CASCADE, related_name="signups")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="signups")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="signups")
    created_at = models.DateTimeField(auto_now_add=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    no_show = models.BooleanField(default=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "membership"], name="signup_once_per_activity"),
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} in {self.slot_id}"


class Feedback(models.Model):
    """After an occurrence, what a participant says about it: a short note and an optional 1–5."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="feedback")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="activity_feedback")
    note = models.TextField(_("note"), blank=True, max_length=2000)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "membership"], name="feedback_once"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="feedback_rating_range",
            ),
        ]

    def __str__(self) -> str:
        return f"feedback of {self.membership_id} on {self.activity_id}"
