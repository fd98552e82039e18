"""Mutual aid: requests for help, offers of help, and the matches between them.

Listings hold only coarse, shareable facts (category, neighbourhood, a short request code). The
sensitive facts (contact details, exact address, health, immigration, safety notes, the name of a
person taken in by phone) live in one encrypted column, ``sealed``, whose key is kept outside the
database (see crypto.py); a clock job empties it once a closed request's retention period ends.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.members.models import Membership


class Urgency(models.IntegerChoices):
    # The same scale as dualpower.core.matching.Urgency.
    LOW = 0, _("Low")
    NORMAL = 1, _("Normal")
    HIGH = 2, _("High")
    CRITICAL = 3, _("Critical")


class Privacy(models.TextChoices):
    MEMBERS = "members", _("All members")
    VOLUNTEERS = "volunteers", _("Volunteers of this category")
    DISPATCHERS = "dispatchers", _("Dispatchers only")


class AidSettings(models.Model):
    """A community's choices for its aid network: how long private details are kept, when an item
    is stale, and how far its neighbourhoods are from one another (for matching)."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="aid_settings")
    retention_days = models.PositiveSmallIntegerField(
        _("days private details are kept after a request closes"), default=30
    )
    stale_days = models.PositiveSmallIntegerField(
        _("days without news before a request is flagged"), default=7
    )
    # [[neighbourhood, neighbourhood, km], ...] — adjoining pairs are enough (shortest paths fill the rest).
    distances = models.JSONField(_("distances between neighbourhoods"), default=list, blank=True)
    # Bumped by every write that changes what matching sees (offers, capacity used, distances), so
    # the prepared offer index (engine.py) knows when to rebuild with one small read.
    generation = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(stale_days__gte=1), name="aid_settings_stale_days_positive"),
        ]

    def __str__(self) -> str:
        return f"aid settings of {self.community}"


class AidCategory(models.Model):
    """A category the community added to the built-in list (selectors.BUILTIN_CATEGORIES)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="aid_categories")
    key = models.SlugField(max_length=40)
    name = models.CharField(_("name"), max_length=80)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "key"], name="aid_category_key_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class DispatcherRole(models.Model):
    """A dispatcher: granted by a coordinator, sees every request and its private details, takes
    requests by phone or in person, and proposes and confirms matches."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="aid_dispatchers")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="aid_dispatcher_roles")
    granted_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "membership"], name="aid_dispatcher_once"),
        ]

    def __str__(self) -> str:
        return f"{self.membership} (dispatcher)"


class AidRequest(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MATCHED = "matched", _("Tentatively matched")
        CONFIRMED = "confirmed", _("Confirmed by both")
        IN_PROGRESS = "in_progress", _("In progress")
        FULFILLED = "fulfilled", _("Fulfilled")
        CANCELLED = "cancelled", _("Cancelled")
        REFERRED = "referred", _("Referred to another group")

    class Channel(models.TextChoices):
        ACCOUNT = "account", _("Through dualpower")
        PHONE = "phone", _("Phone call")
        SMS = "sms", _("Text message")
        MESSENGER = "messenger", _("Messaging app")
        EMAIL = "email", _("Email")
        IN_PERSON = "in_person", _("In person")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="aid_requests")
    # The short code that stands for the person in every listing, e.g. "K7M-4QX".
    code = models.CharField(max_length=12)
    category = models.CharField(_("category"), max_length=40)
    description = models.TextField(_("what is needed"), max_length=2000)
    urgency = models.PositiveSmallIntegerField(_("urgency"), choices=Urgency.choices, default=Urgency.NORMAL)
    quantity = models.PositiveIntegerField(_("quantity"), default=1)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    quantity_committed = models.PositiveIntegerField(default=0)
    quantity_delivered = models.PositiveIntegerField(default=0)
    window_start = models.DateTimeField(_("from"), null=True, blank=True)
    window_end = models.DateTimeField(_("until"), null=True, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    neighbourhood = models.CharField(_("neighbourhood or cross streets"), max_length=80)
    privacy = models.CharField(
        _("who can see it"), max_length=20, choices=Privacy.choices, default=Privacy.MEMBERS
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    # The member who asked, or None for someone taken in by a dispatcher (no account).
    requester = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="aid_requests"
    )
    taken_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="aid_intakes"
    )
    contact_channel = models.CharField(
        _("preferred contact channel"), max_length=20, choices=Channel.choices, default=Channel.ACCOUNT
    )
    contact_language = models.CharField(_("language to contact them in"), max_length=40, blank=True)
    # Fernet token of a JSON object (crypto.py); "" once erased or if nothing private was given.
    sealed = models.TextField(blank=True, default="")
    erased_at = models.DateTimeField(null=True, blank=True)
    referred_to = models.CharField(_("referred to"), max_length=120, blank=True)
    close_reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now_add=True)  # last news; set by the services
    first_response_at = models.DateTimeField(null=True, blank=True)
    fulfilled_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    stale_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-urgency", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "code"], name="aid_request_code_unique"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="aid_request_quantity_positive"),
            models.CheckConstraint(
                condition=Q(quantity_committed__lte=F("quantity")), name="aid_request_committed_within_asked"
            ),
            models.CheckConstraint(
                condition=Q(quantity_delivered__lte=F("quantity")), name="aid_request_delivered_within_asked"
            ),
            models.CheckConstraint(condition=Q(urgency__lte=3), name="aid_request_urgency_known"),
            models.CheckConstraint(
                condition=Q(window_start__isnull=True)
                | Q(window_end__isnull=True)
                | Q(window_start__lt=F("window_end")),
                name="aid_request_window_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["community", "status"]),
            # The lists' order (``ordering``) within a community: a page of the aid list, the
            # dispatch board or the API walks it and stops at the page's end, whatever the number
            # of requests; without it PostgreSQL joined every request to the people first (45 ms
            # at 50,000 members, 0.2 ms with it: docs/benchmarks/scale.md).
            models.Index(fields=["community", "-urgency", "created_at", "id"], name="aid_request_list_order"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES


CLOSED_STATUSES = frozenset(
    {AidRequest.Status.FULFILLED, AidRequest.Status.CANCELLED, AidRequest.Status.REFERRED}
)


class AidOffer(models.Model):
    class Kind(models.TextChoices):
        ONE_OFF = "one-off", _("One-off")
        RECURRING = "recurring", _("Recurring")
        INEXHAUSTIBLE = "inexhaustible", _("Inexhaustible (a fridge, a tool library)")

    class Period(models.TextChoices):
        WEEK = "week", _("a week")
        MONTH = "month", _("a month")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="aid_offers")
    volunteer = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="aid_offers")
    categories = models.JSONField(_("categories"), default=list)
    description = models.TextField(_("what you offer"), max_length=2000)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.ONE_OFF)
    # How many matches it can take (per period if recurring); None only when inexhaustible.
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True, default=1)
    period = models.CharField(_("per"), max_length=10, choices=Period.choices, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    neighbourhood = models.CharField(_("neighbourhood"), max_length=80)
    # [[day 0-6, "HH:MM", "HH:MM"], ...]; empty means any time.
    availability = models.JSONField(_("when you are free"), default=list, blank=True)
    privacy = models.CharField(
        _("who can see it"), max_length=20, choices=Privacy.choices, default=Privacy.MEMBERS
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="inexhaustible") & Q(capacity__isnull=True))
                | (~Q(kind="inexhaustible") & Q(capacity__isnull=False)),
                name="aid_offer_capacity_unless_inexhaustible",
            ),
            models.CheckConstraint(
                condition=Q(kind="recurring", period__in=["week", "month"])
                | (~Q(kind="recurring") & Q(period="")),
                name="aid_offer_period_iff_recurring",
            ),
        ]
        indexes = [models.Index(fields=["community", "status"])]

    def __str__(self) -> str:
        return f"{self.description[:40]}"


class AidMatch(models.Model):
    """A volunteer (through an offer, or on their own) taking on some or all of a request."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Tentative")
        CONFIRMED = "confirmed", _("Confirmed by both")
        IN_PROGRESS = "in_progress", _("In progress")
        FULFILLED = "fulfilled", _("Fulfilled")
        RELEASED = "released", _("Released")
        CANCELLED = "cancelled", _("Cancelled")

    request = models.ForeignKey(AidRequest, on_delete=models.CASCADE, related_name="matches")
    offer = models.ForeignKey(
        AidOffer, on_delete=models.SET_NULL, null=True, blank=True, related_name="matches"
    )
    volunteer = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="aid_matches")
    proposed_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PROPOSED)
    quantity = models.PositiveIntegerField(_("quantity committed"), default=1)
    delivered = models.PositiveIntegerField(_("quantity delivered"), default=0)
    # Why the engine suggested this pair, as codes and parameters worded in each reader's language
    # (aid/reasons.py). ``explanation`` is free text: matches proposed before reasons were stored
    # keep theirs there, and it is shown only when there are no reasons.
    reasons = models.JSONField(default=list, blank=True)
    explanation = models.CharField(max_length=500, blank=True)
    volunteer_confirmed_at = models.DateTimeField(null=True, blank=True)
    requester_confirmed_at = models.DateTimeField(null=True, blank=True)
    volunteer_feedback = models.TextField(blank=True, max_length=1000)
    requester_feedback = models.TextField(blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now_add=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="aid_match_quantity_positive"),
            models.CheckConstraint(
                condition=Q(delivered__lte=F("quantity")), name="aid_match_delivered_within"
            ),
            # One live match per volunteer per request: accepting twice is a 409, not two rows.
            models.UniqueConstraint(
                fields=["request", "volunteer"],
                condition=Q(status__in=["proposed", "confirmed", "in_progress"]),
                name="aid_match_one_live_per_volunteer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.request.code} ← {self.volunteer}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_MATCH

    @property
    def explanation_text(self) -> str:
        """Why this pair, in the active language; the old stored sentence for older matches."""
        # Imported here so loading the models does not load the matching engine (numpy, scipy).
        from dualpower.aid.reasons import explanation, from_json

        stored = from_json(self.reasons)
        return explanation(stored) if stored else self.explanation


LIVE_MATCH = frozenset({AidMatch.Status.PROPOSED, AidMatch.Status.CONFIRMED, AidMatch.Status.IN_PROGRESS})


class AidReferral(models.Model):
    """A request handed from one community to a peer community on another node (aid/referrals.py).

    The same table holds both sides: ``OUT`` on the referring node (``request`` is the request
    referred), ``IN`` on the receiving node (``request`` is the local request made once the
    details arrived). Only the shareable facts are kept here (category, coarse region, urgency,
    languages, expiry); the details travel after acceptance only, and on arrival live sealed in the
    local request, never in this row."""

    class Direction(models.TextChoices):
        OUT = "out", _("referred by us")
        IN = "in", _("referred to us")

    class State(models.TextChoices):
        OFFERED = "offered", _("waiting for an answer")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        EXPIRED = "expired", _("expired")
        WITHDRAWN = "withdrawn", _("withdrawn")
        COMPLETED = "completed", _("details handed over")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="aid_referrals")
    direction = models.CharField(max_length=3, choices=Direction.choices)
    request = models.ForeignKey(
        AidRequest, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals"
    )
    # The other community's Group actor (federation), fetched from its own origin.
    actor = models.ForeignKey(
        "federation.RemoteActor", on_delete=models.CASCADE, related_name="aid_referrals"
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OFFERED)
    uri = models.URLField(max_length=500)  # the Referral object's id (on the referring node)
    offer_id = models.URLField(max_length=500)  # the id of the Offer that carried it
    answer_id = models.URLField(max_length=500, blank=True)  # the Accept or Reject
    details_id = models.URLField(max_length=500, blank=True)  # the activity that carried the details
    category = models.CharField(max_length=40)
    category_label = models.CharField(max_length=80, blank=True)
    region = models.CharField(max_length=80)
    urgency = models.PositiveSmallIntegerField(choices=Urgency.choices, default=Urgency.NORMAL)
    languages = models.JSONField(default=list, blank=True)
    expires_at = models.DateTimeField()
    by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    answered_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    # OUT: when the ciphertext was blanked from our outbox's copy of the details activity.
    outbox_cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "offer_id"], name="aid_referral_offer_once"),
            models.CheckConstraint(condition=Q(direction__in=["out", "in"]), name="aid_referral_direction"),
            models.CheckConstraint(condition=Q(urgency__lte=3), name="aid_referral_urgency_known"),
        ]
        indexes = [models.Index(fields=["community", "direction", "state"])]

    def __str__(self) -> str:
        return f"{self.direction} {self.uri} ({self.state})"
