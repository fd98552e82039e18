"""Care circles: a person's pod and the help calendar of their needs, owned by the person cared for.

A circle is opened by the person (or by an aid dispatcher for someone without an account, who is
then known only by a short code). The person, or someone they handed the running of it to (the
keeper), invites helpers and chooses what each may see. Needs (meals, rides, visits...) are taken
by one helper each; the details of a need (an address, an allergy) are sealed and shown only to the
helper who took it and to the people who run the circle. Private notes are sealed too. When a
closed circle has waited out the community's retention, the clock erases it, leaving only counts
(``CircleTally``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.groups.models import WorkingGroup
from dualpower.members.models import Membership


class CareSettings(models.Model):
    """A community's care settings: how long a closed circle waits before it is erased, and which
    working group keeps health matters (its conveners are health coordinators)."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="care_settings")
    retention_days = models.PositiveSmallIntegerField(
        _("days a closed circle is kept"),
        default=30,
        help_text=_("After this many days a closed circle is erased and only counts remain."),
    )
    health_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("health working group"),
    )

    def __str__(self) -> str:
        return f"care settings of {self.community_id}"


class Circle(models.Model):
    class Kind(models.TextChoices):
        SURGERY = "surgery", _("After surgery or illness")
        BIRTH = "birth", _("A birth or new baby")
        GRIEF = "grief", _("Grief")
        MENTAL_HEALTH = "mental_health", _("A mental-health crisis")
        ELDER = "elder", _("Caring for an elder")
        OTHER = "other", _("Another time of need")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="care_circles")
    kind = models.CharField(_("what for"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(_("title"), max_length=120)
    # The person cared for: a member, or (opened by a dispatcher) a short code standing for them.
    person = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="care_circles_for"
    )
    person_code = models.CharField(max_length=12, blank=True)
    # Who runs the circle: the person, or someone they handed it to (or the dispatcher who opened it).
    keeper = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="care_circles_kept"
    )
    opened_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="care_circles_opened"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(person__isnull=False) | ~Q(person_code=""), name="care_circle_has_person"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_at__isnull=True)
                | Q(status="closed", closed_at__isnull=False),
                name="care_circle_closed_has_time",
            ),
        ]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self) -> str:
        return self.title

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class Helper(models.Model):
    """Someone in a circle's pod: invited by whoever runs the circle, then accepting."""

    class Sees(models.TextChoices):
        SLOTS = "slots", _("Only the needs they take")
        NOTES = "notes", _("The needs they take and the private notes")

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACTIVE = "active", _("In the circle")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="helpers")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="care_helping")
    sees = models.CharField(_("may see"), max_length=10, choices=Sees.choices, default=Sees.SLOTS)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INVITED)
    invited_at = models.DateTimeField(auto_now_add=True)
    joined_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["invited_at", "id"]
        constraints = [models.UniqueConstraint(fields=["circle", "membership"], name="care_helper_once")]

    def __str__(self) -> str:
        return f"{self.membership_id} in circle {self.circle_id}"


class Need(models.Model):
    """One slot of the help calendar, taken by one helper."""

    class Kind(models.TextChoices):
        MEAL = "meal", _("Meal")
        RIDE = "ride", _("Ride")
        VISIT = "visit", _("Visit")
        CHILDCARE = "childcare", _("Childcare")
        CALL = "call", _("Check-in call")
        ERRAND = "errand", _("Errand")

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="needs")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    starts_at = models.DateTimeField(_("when"))
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    # What everyone in the circle sees, e.g. "Dinner for three" (no address, no health detail).
    label = models.CharField(_("short description"), max_length=120, blank=True)
    # Fernet token of what only the helper who takes it needs (address, allergies, door code).
    sealed_details = models.TextField(blank=True, default="")
    taken_by = models.ForeignKey(
        Helper, on_delete=models.SET_NULL, null=True, blank=True, related_name="needs_taken"
    )
    taken_at = models.DateTimeField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")), name="care_need_ends_after"
            ),
            # A need taken has the time it was taken (a helper who left keeps the time, not the name).
            models.CheckConstraint(
                condition=Q(taken_by__isnull=True) | Q(taken_at__isnull=False),
                name="care_need_taken_has_time",
            ),
            models.CheckConstraint(
                condition=Q(done_at__isnull=True) | Q(taken_at__isnull=False), name="care_need_done_was_taken"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} at {self.starts_at}"


class Note(models.Model):
    """A private note of the circle, sealed; read by the people who run it and helpers allowed to."""

    circle = models.ForeignKey(Circle, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="care_notes"
    )
    sealed_body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} of circle {self.circle_id}"


class CircleTally(models.Model):
    """What remains of erased circles: counts by the week they closed and their kind."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="care_circle_tallies")
    week = models.DateField()  # the Monday of the week the circles closed
    kind = models.CharField(max_length=20, choices=Circle.Kind.choices)
    circles = models.PositiveIntegerField(default=0)
    helpers = models.PositiveIntegerField(default=0)
    needs = models.PositiveIntegerField(default=0)
    needs_met = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-week", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["community", "week", "kind"], name="care_circle_tally_once"),
        ]

    def __str__(self) -> str:
        return f"{self.circles} {self.kind} circles in week {self.week}"
