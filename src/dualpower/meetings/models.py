"""Meetings of an assembly: agenda, roles, attendance, minutes with their history, room votes.

A meeting belongs to one assembly (``assemblies.Assembly``); its voters and observers are the
assembly's (``assemblies.bodies``). Minutes keep every version: a change is a new revision, and
adopted minutes are locked. A vote taken in the room counts only once a second member witnessed
the teller's count.
"""

from __future__ import annotations

import secrets

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dualpower.assemblies.models import Assembly, Proposal
from dualpower.community.models import Community
from dualpower.members.models import Membership


def new_feed_token() -> str:
    # 32 bytes: a calendar URL is a bearer secret, it must not be guessable.
    return secrets.token_urlsafe(32)


class Meeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        IN_PROGRESS = "in_progress", _("In progress")
        ENDED = "ended", _("Ended")
        CANCELLED = "cancelled", _("Cancelled")

    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="meetings")
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    place = models.CharField(_("place"), max_length=300, blank=True)
    call_link = models.URLField(_("call link"), max_length=500, blank=True)
    # Announced on the fediverse as an Event (federation/events.py): title, time and place only.
    is_public = models.BooleanField(_("public"), default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED, db_index=True)
    facilitator = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    note_taker = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    timekeeper = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Bumped on every change people's calendars must pick up (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    # The reminder the day before is sent once.
    reminded_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="meeting_ends_after_start"
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["scheduled", "in_progress", "ended", "cancelled"]),
                name="meeting_status_known",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", kwargs={"community": self.assembly.community.slug, "pk": self.pk})

    @property
    def community(self) -> Community:
        return self.assembly.community


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    minutes_allotted = models.PositiveSmallIntegerField(_("minutes allotted"), null=True, blank=True)
    proposal = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="agenda_items"
    )

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "position"], name="agenda_item_position_unique"),
            models.CheckConstraint(
                condition=models.Q(minutes_allotted__isnull=True) | models.Q(minutes_allotted__lte=1440),
                name="agenda_item_minutes_within_a_day",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def community(self) -> Community:
        return self.meeting.assembly.community


class Attendance(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendances")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="meeting_attendances")
    # Null when people checked themselves in.
    recorded_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_in_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["checked_in_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="attendance_once"),
        ]

    def __str__(self) -> str:
        return f"{self.membership} at {self.meeting}"


class Minutes(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Being drafted")
        OPEN = "open", _("Open for amendments")
        CLOSED = "closed", _("Waiting to be adopted")
        ADOPTED = "adopted", _("Adopted")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT)
    amend_until = models.DateTimeField(null=True, blank=True, db_index=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(state="open") | models.Q(amend_until__isnull=False),
                name="minutes_open_has_deadline",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="adopted") | models.Q(adopted_at__isnull=False),
                name="minutes_adopted_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Minutes of {self.meeting}"

    @property
    def community(self) -> Community:
        return self.meeting.assembly.community


class MinutesRevision(models.Model):
    """One version of the minutes. Never updated: a change is a new revision."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    summary = models.TextField(_("general notes"), blank=True, max_length=20000)
    # {"<agenda item id>": {"notes": "...", "decisions": "..."}}
    items = models.JSONField(default=dict)
    note = models.CharField(_("what changed"), max_length=300, blank=True)
    author = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["minutes", "number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="minutes_revision_number_unique"),
        ]

    def __str__(self) -> str:
        return f"Revision {self.number} of {self.minutes}"


class RoomTally(models.Model):
    """A count taken in the room by a teller, which counts only once a witness confirmed it."""

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="tally")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="room_tallies")
    teller = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="+")
    witness = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    # Position (core.choice.decision) → hands or papers.
    counts = models.JSONField(default=dict)
    present = models.PositiveIntegerField(_("people present"))
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(witness__isnull=True) | ~models.Q(witness=models.F("teller")),
                name="room_tally_witness_is_not_teller",
            ),
            # One witnessed count per proposal: two counts of the same vote must not be added up.
            models.UniqueConstraint(
                fields=["proposal"],
                condition=models.Q(confirmed_at__isnull=False),
                name="room_tally_one_confirmed_per_proposal",
            ),
            models.CheckConstraint(
                condition=models.Q(witness__isnull=True, confirmed_at__isnull=True)
                | models.Q(witness__isnull=False, confirmed_at__isnull=False),
                name="room_tally_confirmed_by_witness",
            ),
        ]

    def __str__(self) -> str:
        return f"Tally for {self.item}"

    @property
    def community(self) -> Community:
        return self.item.meeting.assembly.community

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class FeedToken(models.Model):
    """The secret in a calendar feed's URL: calendar apps cannot sign in."""

    class Kind(models.TextChoices):
        ASSEMBLY = "assembly", _("An assembly's meetings")
        MEMBER = "member", _("My meetings")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    assembly = models.OneToOneField(
        Assembly, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, null=True, blank=True, related_name="meeting_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    rotated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="assembly", assembly__isnull=False, membership__isnull=True))
                | (models.Q(kind="member", membership__isnull=False, assembly__isnull=True)),
                name="feed_token_owner_matches_kind",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} feed"

    @property
    def community(self) -> Community:
        """The community whose meetings the feed lists: its assembly's, or its member's."""
        if self.assembly is not None:
            return self.assembly.community
        assert self.membership is not None  # the constraint above: one of the two is set
        return self.membership.community
