"""Free clinic days, supplies' counterpart (the inventory keeps lots), the referral directory, the
warm line and crisis response.

What is deliberately not here: no diagnosis, medication, clinical note or name tied to a person.
A clinic day keeps a queue of short codes for that day only; closing the day erases the queue and
adds to weekly counts (people seen, screenings by kind and positives). A warm-line call keeps its
time, duration and a topic tag, nothing of the caller. A crisis call keeps a coarse area, the pair
sent and the outcome category.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dualpower.community.models import Community
from dualpower.members.models import Membership


class ClinicDay(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", pgettext_lazy("clinic day", "Open")
        CLOSED = "closed", pgettext_lazy("clinic day", "Closed")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="care_clinic_days")
    site = models.CharField(_("site"), max_length=120)
    day = models.DateField(_("date"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    # The volunteers' shifts: an activity whose places require a credential (nurse, medic...).
    series = models.ForeignKey(
        "activities.Series", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Written when the day closes (its queue is then erased): how many people came.
    people_seen = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-day", "site", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "site", "day"], name="care_clinic_day_once"),
        ]

    def __str__(self) -> str:
        return f"{self.site} {self.day}"


class Station(models.Model):
    class Kind(models.TextChoices):
        WELCOME = "welcome", _("Welcome")
        TRIAGE = "triage", _("Triage")
        CONSULTATION = "consultation", _("Consultation")
        PHARMACY = "pharmacy", _("Pharmacy")
        REFERRAL = "referral", _("Referral")

    day = models.ForeignKey(ClinicDay, on_delete=models.CASCADE, related_name="stations")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    position = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["day", "position"]
        constraints = [
            models.UniqueConstraint(fields=["day", "position"], name="care_station_position_once"),
            models.UniqueConstraint(fields=["day", "kind"], name="care_station_kind_once"),
        ]

    def __str__(self) -> str:
        return self.get_kind_display()


class QueueEntry(models.Model):
    """A person in the day's queue, known only by a short code handed to them on a slip."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        DONE = "done", _("Finished")
        LEFT = "left", _("Left")

    day = models.ForeignKey(ClinicDay, on_delete=models.CASCADE, related_name="queue")
    code = models.CharField(max_length=8)
    station = models.ForeignKey(Station, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.WAITING)
    arrived_at = models.DateTimeField()
    # When the person reached the station they are at: the station's queue is in this order.
    moved_at = models.DateTimeField()

    class Meta:
        ordering = ["moved_at", "id"]
        constraints = [models.UniqueConstraint(fields=["day", "code"], name="care_queue_code_once")]

    def __str__(self) -> str:
        return self.code


class ClinicWeek(models.Model):
    """What remains of clinic days: how many people were seen in a week (Monday)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="care_clinic_weeks")
    week = models.DateField()
    people_seen = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-week"]
        constraints = [models.UniqueConstraint(fields=["community", "week"], name="care_clinic_week_once")]

    def __str__(self) -> str:
        return f"{self.week}: {self.people_seen}"


class ScreeningCount(models.Model):
    """Screenings done in a week by kind, and how many were positive: never who."""

    class Kind(models.TextChoices):
        BLOOD_PRESSURE = "blood_pressure", _("Blood pressure")
        BLOOD_SUGAR = "blood_sugar", _("Blood sugar")
        HIV = "hiv", _("HIV")
        HEPATITIS_C = "hepatitis_c", _("Hepatitis C")
        SICKLE_CELL = "sickle_cell", _("Sickle cell")
        TUBERCULOSIS = "tuberculosis", _("Tuberculosis")
        VISION = "vision", _("Vision")
        DEPRESSION = "depression", _("Depression (questionnaire)")
        OTHER = "other", _("Other")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="care_screenings")
    week = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    done = models.PositiveIntegerField(default=0)
    positives = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-week", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["community", "week", "kind"], name="care_screening_once"),
            models.CheckConstraint(condition=Q(positives__lte=F("done")), name="care_screening_positives"),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.kind}: {self.positives}/{self.done}"


class Referral(models.Model):
    """A service outside the network people can be sent to, kept by the health working group."""

    class Kind(models.TextChoices):
        CLINIC = "clinic", _("Clinic or doctor")
        DENTAL = "dental", _("Dental")
        COUNSELLING = "counselling", _("Counselling and mental health")
        SUBSTANCE = "substance", _("Substance use")
        REPRODUCTIVE = "reproductive", _("Sexual and reproductive health")
        LEGAL = "legal", _("Legal aid")
        HOUSING = "housing", _("Housing and shelter")
        OTHER = "other", _("Other")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="care_referrals")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    cost = models.CharField(_("cost"), max_length=120, blank=True)
    languages = models.CharField(_("languages"), max_length=200, blank=True)
    hours = models.CharField(_("opening hours"), max_length=200, blank=True)
    accessibility = models.CharField(_("accessibility"), max_length=300, blank=True)
    contact = models.CharField(_("how to reach them"), max_length=200, blank=True)
    notes = models.TextField(_("notes"), max_length=1000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["community", "name"], name="care_referral_name_once")]

    def __str__(self) -> str:
        return self.name


class CareRota(models.Model):
    """The activity whose shifts staff the warm line, or the crisis team."""

    class Kind(models.TextChoices):
        WARM_LINE = "warm_line", _("Warm line")
        CRISIS = "crisis", _("Crisis team")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="care_rotas")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    series = models.ForeignKey("activities.Series", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "kind"], name="care_rota_once")]

    def __str__(self) -> str:
        return self.kind


class WarmLineCall(models.Model):
    """One call to the warm line: when, how long, and a topic tag. Nothing of the caller, nor of
    who answered (the audit log names the volunteer who logged it, as for every write)."""

    class Topic(models.TextChoices):
        LONELINESS = "loneliness", _("Loneliness")
        ANXIETY = "anxiety", _("Anxiety or stress")
        LOW_MOOD = "low_mood", _("Low mood")
        RELATIONSHIPS = "relationships", _("Family and relationships")
        GRIEF = "grief", _("Grief")
        SUBSTANCE = "substance", _("Substance use")
        MONEY_HOUSING = "money_housing", _("Money or housing")
        CRISIS = "crisis", _("Crisis: passed to the crisis team")
        OTHER = "other", _("Other")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="care_warm_line_calls")
    started_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField()
    topic = models.CharField(max_length=20, choices=Topic.choices)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=1, duration_minutes__lte=600), name="care_call_duration"
            ),
        ]
        indexes = [models.Index(fields=["community", "started_at"], name="care_call_when")]

    def __str__(self) -> str:
        return f"{self.started_at} {self.topic}"


class CrisisCall(models.Model):
    """A crisis answered by a pair (a medic and a peer supporter), never the police by default."""

    class Status(models.TextChoices):
        DISPATCHED = "dispatched", _("Dispatched")
        ACKNOWLEDGED = "acknowledged", _("On the way")
        ARRIVED = "arrived", _("Arrived")
        CLOSED = "closed", _("Closed")

    class Situation(models.TextChoices):
        DISTRESS = "distress", _("Emotional distress")
        SUBSTANCE = "substance", _("Intoxication or overdose risk")
        WELFARE = "welfare", _("Welfare check")
        CONFLICT = "conflict", _("Conflict to de-escalate")
        MEDICAL = "medical", _("Minor medical need")
        OTHER = "other", _("Other")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved on the spot")
        SAFETY_PLAN = "safety_plan", _("Safety plan made with the person")
        CARE_CIRCLE = "care_circle", _("Follow-up in a care circle")
        REFERRED = "referred", _("Referred to a service")
        CLINIC = "clinic", _("Went to a clinic or hospital, by their choice")
        EMERGENCY = "emergency", _("Emergency services called, at the person's request")
        NO_CONTACT = "no_contact", _("Could not find the person")
        DECLINED = "declined", _("The person declined help")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="care_crisis_calls")
    code = models.CharField(max_length=8)
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    # A coarse place (a street corner, a block, "the library steps"), never an address of a person.
    area = models.CharField(_("where (roughly)"), max_length=120)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DISPATCHED)
    medic = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+")
    peer = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+")
    dispatched_by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+")
    dispatched_at = models.DateTimeField()
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    arrived_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    # The care circle opened for the follow-up, when the person wanted one (care-circles' table).
    follow_up_circle = models.ForeignKey(
        "care.Circle", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The aid request the call was dispatched through (same code): the dispatch board shows it,
    # the pair are its two matches. Empty for calls dispatched before calls went through aid.
    aid_request = models.ForeignKey(
        "aid.AidRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-dispatched_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="care_crisis_code_once"),
            models.CheckConstraint(
                condition=Q(status="closed", outcome__gt="") | (~Q(status="closed") & Q(outcome="")),
                name="care_crisis_outcome_when_closed",
            ),
        ]

    def __str__(self) -> str:
        return self.code


class CrisisTally(models.Model):
    """What remains of closed crisis calls after the community's retention: how many, by the week
    they closed (Monday) and outcome category. Never the code, the place, the pair or the times."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="care_crisis_tallies")
    week = models.DateField()
    outcome = models.CharField(max_length=20, choices=CrisisCall.Outcome.choices)
    calls = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-week", "outcome"]
        constraints = [
            models.UniqueConstraint(fields=["community", "week", "outcome"], name="care_crisis_tally_once"),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.outcome}: {self.calls}"
