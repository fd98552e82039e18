"""Invitation links: a coordinator shares a link (or its QR code) and a person applies through it.

Kept in a module of their own (imported by ``members/registrations.py``); the app's label is
``members``, so the tables are ``members_invitation`` and ``members_invitationuse``.
"""

from __future__ import annotations

from datetime import datetime

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.members.models import Application, Membership


class Invitation(models.Model):
    """A link that lets a person sign up and apply in one step, until it is revoked, expires or is
    used up. Only the link is secret; a person who uses it still applies and is admitted as the
    community admits everyone (by a coordinator, by trust, or by a decision)."""

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="invitations")
    token = models.CharField(max_length=40, unique=True)
    note = models.CharField(_("what it is for"), max_length=120, blank=True)
    created_by = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("valid until"), null=True, blank=True)
    max_uses = models.PositiveIntegerField(_("how many people may use it"), null=True, blank=True)
    uses = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(max_uses__gte=1), name="invitation_max_uses_positive"
            ),
            models.CheckConstraint(
                condition=Q(max_uses__isnull=True) | Q(uses__lte=models.F("max_uses")),
                name="invitation_uses_within_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.note or f"Invitation {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse(
            "members:invitation-open", kwargs={"community": self.community.slug, "token": self.token}
        )

    def usable(self, now: datetime | None = None) -> bool:
        """Whether a person may still apply through it (not revoked, not expired, not used up)."""
        now = now or timezone.now()
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
            and (self.max_uses is None or self.uses < self.max_uses)
        )

    def state(self, now: datetime | None = None) -> str:
        """One word for the list: active, revoked, expired or used_up."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        if self.max_uses is not None and self.uses >= self.max_uses:
            return "used_up"
        return "active"


class InvitationUse(models.Model):
    """One person applied through an invitation: the application it led to."""

    invitation = models.ForeignKey(Invitation, on_delete=models.CASCADE, related_name="used_by")
    application = models.OneToOneField(
        Application, on_delete=models.SET_NULL, null=True, related_name="invitation_use"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.invitation} → {self.application_id}"
