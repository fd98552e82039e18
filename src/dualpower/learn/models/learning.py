"""Learning together: offerings (a skill share, a study circle, a training), their sessions,
who takes part, attendance, readings and completions.

Who attends is sensitive (political study): ``Attendance`` and the list of ``Enrolment`` rows are
shown to the offering's facilitators and to the person only. A ``Completion`` is shown to others
only where the person chose (``shown_to_members``). A training may be linked to a trust role (set
by a convener of the working group that keeps the role, ``RoleKeeper``): completing it asks the
role's holders for vouches; activities' vouching rules still decide.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualpower.activities.models import TrustRole
from dualpower.community.models import Community
from dualpower.groups.models import WorkingGroup
from dualpower.members.models import Membership
from dualpower.uploads import UploadTo

TITLE_MAX = 120
TEXT_MAX = 5000
PLACE_MAX = 120
MAX_CAPACITY = 500
URL_MAX = 500


class Kind(models.TextChoices):
    SKILL_SHARE = "skill_share", _("Skill share")
    STUDY_CIRCLE = "study_circle", _("Study circle")
    TRAINING = "training", _("Training")


class Reciprocity(models.TextChoices):
    FREE = "free", _("Free")
    HOURS = "hours", _("Time-bank hours")
    ASK = "ask", _("What the facilitator asks")


class Offering(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="learn_offerings")
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    description = models.TextField(_("what it is about"), blank=True, max_length=TEXT_MAX)
    language = models.CharField(_("language"), max_length=10)
    place = models.CharField(_("place"), max_length=PLACE_MAX, blank=True)
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    reciprocity = models.CharField(
        _("in return"), max_length=8, choices=Reciprocity.choices, default=Reciprocity.FREE
    )
    # Hours in minutes (time bank), or what the facilitator asks, in their words.
    minutes = models.PositiveIntegerField(null=True, blank=True)
    asks = models.CharField(_("what the facilitator asks"), max_length=300, blank=True)
    capacity = models.PositiveSmallIntegerField(_("places"), default=12)
    is_open = models.BooleanField(default=True)
    # A training that proposes a trust role on completion (set by the role's keepers).
    role = models.ForeignKey(TrustRole, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    proposed_by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=MAX_CAPACITY), name="learn_offering_capacity"
            ),
            models.CheckConstraint(
                condition=Q(role__isnull=True) | Q(kind="training"), name="learn_only_trainings_grant_roles"
            ),
            models.CheckConstraint(
                condition=~Q(reciprocity="hours") | Q(minutes__gte=1), name="learn_hours_have_minutes"
            ),
        ]
        indexes = [models.Index(fields=["community", "-id"], name="learn_offering_list")]

    def __str__(self) -> str:
        return self.title


class Facilitator(models.Model):
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="facilitator_places")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offering", "membership"], name="learn_facilitator_once")
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} facilitates {self.offering_id}"


class Enrolment(models.Model):
    """A place in an offering, or a place on its waitlist (taken in order when a place frees)."""

    class Status(models.TextChoices):
        JOINED = "joined", _("Taking part")
        WAITING = "waiting", _("On the waitlist")

    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="enrolments")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="learn_enrolments")
    status = models.CharField(max_length=8, choices=Status.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["offering", "membership"], name="learn_enrol_once")]

    def __str__(self) -> str:
        return f"{self.membership_id} in {self.offering_id} ({self.status})"


class Session(models.Model):
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="sessions")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=PLACE_MAX, blank=True)
    # A study circle's facilitator rotates: each session names who holds it.
    facilitator = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    notes = models.TextField(_("notes from the session"), blank=True, max_length=TEXT_MAX)

    class Meta:
        ordering = ["starts_at", "id"]

    def __str__(self) -> str:
        return self.title


class Reading(models.Model):
    """A link or a file (PDF) in a session's reading pack, chosen by whoever added it."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="readings")
    title = models.CharField(_("title"), max_length=TITLE_MAX)
    url = models.URLField(_("link"), max_length=URL_MAX, blank=True)
    file = models.FileField(upload_to=UploadTo("learn"), blank=True, max_length=200)
    added_by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=~Q(url="") | ~Q(file=""), name="learn_reading_has_link_or_file")
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="learn_attendance")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "membership"], name="learn_attended_once")]

    def __str__(self) -> str:
        return f"{self.membership_id} at {self.session_id}"


class Completion(models.Model):
    offering = models.ForeignKey(Offering, on_delete=models.CASCADE, related_name="completions")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="learn_completions")
    completed_at = models.DateTimeField(auto_now_add=True)
    # The person's choices: shown to other members; holders of the linked role asked to vouch.
    shown_to_members = models.BooleanField(_("show to other members"), default=False)
    asks_vouches = models.BooleanField(_("ask the role's holders to vouch"), default=False)

    class Meta:
        ordering = ["-completed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["offering", "membership"], name="learn_completed_once")
        ]

    def __str__(self) -> str:
        return f"{self.membership_id} completed {self.offering_id}"


class RoleKeeper(models.Model):
    """The working group that keeps a trust role: its conveners link trainings to the role."""

    role = models.OneToOneField(TrustRole, on_delete=models.CASCADE, related_name="+")
    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.group_id} keeps {self.role_id}"
