"""Delegates sent by one assembly to another, the mandates that bind them, and breaches of them.

A seat is one person sent by a *sending* assembly (the general assembly or a working group) to a
*receiving* assembly (a spokescouncil). A mandate is the sending assembly's instruction to its
delegates on one proposal of the receiving assembly. Seats and mandates in force are changed only
by decisions of the sending assembly (see ``mandates.actions``); coordinators may draft mandates.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualpower.assemblies.models import Assembly, Proposal
from dualpower.community.models import Community
from dualpower.members.models import Membership


class DelegateSeat(models.Model):
    class Status(models.TextChoices):
        SEATED = "seated", _("Seated")
        RECALLED = "recalled", _("Recalled")
        EXPIRED = "expired", _("Term ended")
        REPLACED = "replaced", _("Replaced")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="delegate_seats")
    sending = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="delegations_sent")
    receiving = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="delegate_seats")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="delegate_seats")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SEATED, db_index=True)
    # The election that seated them (None when seated by hand, e.g. the founding delegates).
    elected_by = models.ForeignKey(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="seats_elected"
    )
    decision_ref = models.CharField(max_length=60, blank=True)
    started_at = models.DateTimeField(default=timezone.now)
    ends_at = models.DateTimeField(_("term ends"), null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    ended_by_ref = models.CharField(max_length=60, blank=True)

    class Meta:
        ordering = ["receiving__name", "sending__name", "started_at", "id"]
        constraints = [
            # A person holds at most one seat in a receiving assembly at a time.
            models.UniqueConstraint(
                fields=["receiving", "membership"],
                condition=models.Q(status="seated"),
                name="delegate_seated_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(sending=models.F("receiving")), name="delegate_not_sent_to_itself"
            ),
            models.CheckConstraint(
                condition=models.Q(ends_at__isnull=True) | models.Q(ends_at__gt=models.F("started_at")),
                name="delegate_term_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(status="seated", ended_at__isnull=True)
                | (~models.Q(status="seated") & models.Q(ended_at__isnull=False)),
                name="delegate_ended_iff_not_seated",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} for {self.sending} in {self.receiving}"


class Mandate(models.Model):
    class Position(models.TextChoices):
        FOR = "for", _("Vote for")
        AGAINST = "against", _("Vote against")
        FREE = "free", _("Free vote")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft (not yet decided)")
        IN_FORCE = "in_force", _("In force")
        SUPERSEDED = "superseded", _("Replaced by a later mandate")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="mandates")
    sending = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="mandates_given")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="mandates")
    position = models.CharField(_("position"), max_length=10, choices=Position.choices)
    note = models.TextField(_("note to the delegates"), blank=True, max_length=2000)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True)
    drafted_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="mandates_drafted"
    )
    decision_ref = models.CharField(max_length=60, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    adopted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["sending", "proposal"],
                condition=models.Q(status="in_force"),
                name="mandate_one_in_force",
            ),
            models.UniqueConstraint(
                fields=["sending", "proposal"], condition=models.Q(status="draft"), name="mandate_one_draft"
            ),
            models.CheckConstraint(
                condition=models.Q(status="draft") | ~models.Q(decision_ref=""),
                name="mandate_in_force_has_decision",
            ),
            models.CheckConstraint(
                condition=models.Q(position__in=["for", "against", "free"]), name="mandate_position_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sending} on {self.proposal}: {self.position}"

    def is_current(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.status == self.Status.IN_FORCE and (self.expires_at is None or self.expires_at > now)


class MandateBreach(models.Model):
    """A delegate's vote against their mandate, recorded once and told to the sending assembly."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="mandate_breaches")
    mandate = models.ForeignKey(Mandate, on_delete=models.PROTECT, related_name="breaches")
    seat = models.ForeignKey(DelegateSeat, on_delete=models.PROTECT, related_name="breaches")
    vote = models.CharField(max_length=20)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["mandate", "seat"], name="mandate_breach_once"),
        ]

    def __str__(self) -> str:
        return f"{self.seat.membership} voted {self.vote} against {self.mandate}"

    @property
    def vote_label(self) -> str:
        """The vote in the reader's words ("Disagree"), not its code."""
        from dualpower.assemblies.processes import POSITION_LABELS

        return str(POSITION_LABELS.get(self.vote, self.vote))
