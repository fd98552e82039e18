"""Rapid response and eviction defence: incidents, who answered them, what is left of them (counts),
the people on call, eviction cases and know-your-rights pages.

Forgotten by default: an incident holds a coarse area cell (never an address); what was seen and
the optional photo are sealed with the aid key (``dualpower.keys.AID``); the photo is dropped when
the incident is verified; once the incident is closed (and its follow-up opened) and the retention
the assembly chose has passed, the clock job adds one to ``IncidentCount`` (week, area, kind) and
deletes the incident with its responses. Phone numbers of people on call are sealed too and shown
to the rota's coordinators only.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.members.models import Membership

# The trust roles (activities) the rotas ask for, by slug ("Verifier" → "verifier").
VERIFIER = "verifier"
RESPONDER = "responder"
LEGAL_OBSERVER = "legal-observer"
LAWYER = "lawyer"
ON_CALL_ROLES = frozenset({RESPONDER, LEGAL_OBSERVER, LAWYER})


class DefenceSettings(models.Model):
    """A community's choices for community defence: the area cells intake offers, how long a closed
    incident is kept before it becomes a count, the rotas and the working group that keeps the
    eviction board and the know-your-rights pages."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="defence_settings")
    # Coarse neighbourhood cells ("North", "Old Market"): intake picks one, never an address.
    areas = models.JSONField(_("area cells"), default=list, blank=True)
    retention_hours = models.PositiveIntegerField(
        _("hours a closed incident is kept before it becomes a count"), default=72
    )
    group = models.ForeignKey(
        "groups.WorkingGroup", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The rotas (activities series) whose organisers see the phone numbers of the people on call.
    verifier_rota = models.ForeignKey(
        "activities.Series", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    responder_rota = models.ForeignKey(
        "activities.Series", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(retention_hours__lte=24 * 365), name="defence_settings_retention_at_most_a_year"
            ),
        ]

    def __str__(self) -> str:
        return f"defence settings of {self.community}"


class OnCallProfile(models.Model):
    """Someone who takes rota shifts (verifier, responder, legal observer, lawyer): the area cells they
    can reach, and their phone number sealed (shown to the rota's coordinators only)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="defence_profiles")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="defence_profiles")
    areas = models.JSONField(_("areas you can reach"), default=list, blank=True)
    phone_sealed = models.TextField(blank=True, default="")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "membership"], name="defence_profile_once"),
        ]

    def __str__(self) -> str:
        return f"on-call profile of {self.membership_id}"


class Incident(models.Model):
    class Kind(models.TextChoices):
        RAID = "raid", _("Raid")
        EVICTION = "eviction", _("Eviction")
        POLICE_STOP = "police_stop", _("Police stop")
        ATTACK = "attack", _("Attack")

    class Status(models.TextChoices):
        REPORTED = "reported", _("Waiting for verification")
        VERIFIED = "verified", _("Verified: responders alerted")
        FALSE_ALARM = "false_alarm", _("False alarm")
        CLOSED = "closed", _("Closed")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="defence_incidents")
    code = models.CharField(max_length=12)
    kind = models.CharField(_("what is happening"), max_length=20, choices=Kind.choices)
    area = models.CharField(_("area"), max_length=60)
    seen_at = models.DateTimeField(_("when"))
    # Fernet tokens (AID key): what was seen (text), the photo (its bytes, base64 inside the token).
    seen_sealed = models.TextField(blank=True, default="")
    photo_sealed = models.TextField(blank=True, default="")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.REPORTED)
    reported_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # A hotline caller's number, as a keyed hash only (response_sealing.caller_hash): so that the
    # caller can be banned, or held to the rate limit, without the number being stored.
    caller_hash = models.CharField(max_length=64, blank=True, default="")
    verified_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The aid requests opened for the household (their codes), and when: the incident may be erased
    # only once its follow-up is opened (or none was needed).
    followup_codes = models.JSONField(default=list, blank=True)
    followup_done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="defence_incident_code_unique"),
            models.CheckConstraint(
                condition=Q(kind__in=["raid", "eviction", "police_stop", "attack"]),
                name="defence_incident_kind",
            ),
            # Verified (alerted) only with a verifier and a time; the photo never outlives verification.
            models.CheckConstraint(
                condition=Q(verified_at__isnull=True) | Q(photo_sealed=""),
                name="defence_incident_photo_dropped",
            ),
        ]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self) -> str:
        return self.code

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.REPORTED, self.Status.VERIFIED)


class Response(models.Model):
    """A responder alerted for an incident, and how far they are: alerted → acknowledged → on the
    way → arrived."""

    class State(models.TextChoices):
        ALERTED = "alerted", _("Alerted")
        ACKNOWLEDGED = "acknowledged", _("Acknowledged")
        ON_THE_WAY = "on_the_way", _("On the way")
        ARRIVED = "arrived", _("Arrived")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="responses")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="defence_responses")
    role_slug = models.CharField(max_length=60)
    state = models.CharField(max_length=20, choices=State.choices, default=State.ALERTED)
    alerted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["alerted_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["incident", "membership"], name="defence_response_once"),
        ]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.membership_id} {self.state}"


STATE_ORDER = [s.value for s in Response.State]


class IncidentCount(models.Model):
    """What is left of closed incidents: how many, by week (its Monday), area cell and kind."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="defence_counts")
    week = models.DateField()
    area = models.CharField(max_length=60)
    kind = models.CharField(max_length=20, choices=Incident.Kind.choices)
    false_alarm = models.BooleanField(default=False)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-week", "area", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "week", "area", "kind", "false_alarm"], name="defence_count_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.week} {self.area} {self.kind}: {self.count}"


class EvictionCase(models.Model):
    """An eviction fought by the tenants' union, by household code (never a name or address)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        STAYED = "stayed", _("Tenant stayed")
        SETTLED = "settled", _("Settled")
        EVICTED = "evicted", _("Evicted")
        WITHDRAWN = "withdrawn", _("Landlord withdrew")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="eviction_cases")
    household = models.CharField(_("household code"), max_length=20)
    landlord = models.CharField(_("landlord"), max_length=120)
    case_worker = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="eviction_cases"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["status", "-opened_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "household"], condition=Q(status="open"), name="defence_case_one_open"
            ),
        ]

    def __str__(self) -> str:
        return self.household


class CourtDate(models.Model):
    class Kind(models.TextChoices):
        HEARING = "hearing", _("Hearing")
        TRIAL = "trial", _("Trial")
        LOCKOUT = "lockout", _("Lockout date")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("Not yet")
        POSTPONED = "postponed", _("Postponed")
        WON = "won", _("Won")
        LOST = "lost", _("Lost")
        SETTLED = "settled", _("Settled")
        DISMISSED = "dismissed", _("Dismissed")

    case = models.ForeignKey(EvictionCase, on_delete=models.CASCADE, related_name="court_dates")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.HEARING)
    at = models.DateTimeField(_("when"))
    place = models.CharField(_("court or place"), max_length=120, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.PENDING)
    # The vigil / court-support shifts before the date (an activities series made with it).
    support = models.ForeignKey(
        "activities.Series", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # When the case worker was reminded of it (the clock's ``defence.court_reminders``).
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.kind} {self.at:%Y-%m-%d}"


class RightsPage(models.Model):
    """A know-your-rights page written by the defence working group, one row per language.

    Shared with peer communities through the knowledge commons: a shared page is a commons guide of
    the kind "Know your rights" (``guide``), in the page's language, each saved edit its next
    version. A page adopted from a peer keeps where it came from (``origin_*``)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="rights_pages")
    slug = models.SlugField(max_length=60)
    language = models.CharField(_("language"), max_length=10)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=20000)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    shared = models.BooleanField(_("shared with peer communities"), default=False)
    guide = models.ForeignKey(
        "commons.Guide", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    origin_uri = models.URLField(max_length=500, blank=True)
    origin_name = models.CharField(max_length=255, blank=True)
    origin_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["slug", "language"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug", "language"], name="defence_rights_once"),
        ]

    def __str__(self) -> str:
        return f"{self.slug} ({self.language})"


class ReporterBan(models.Model):
    """Someone whose reports intake refuses (spam attacks on the hotline): a member account, or a
    hotline caller's number kept only as a keyed hash (never the number)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="defence_bans")
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    caller_hash = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(membership__isnull=False) & Q(caller_hash=""))
                | (Q(membership__isnull=True) & ~Q(caller_hash="")),
                name="defence_ban_one_reporter",
            ),
            models.UniqueConstraint(
                fields=["community", "membership"],
                condition=Q(membership__isnull=False),
                name="defence_ban_member_once",
            ),
            models.UniqueConstraint(
                fields=["community", "caller_hash"],
                condition=~Q(caller_hash=""),
                name="defence_ban_caller_once",
            ),
        ]

    def __str__(self) -> str:
        return f"ban {self.pk}"
