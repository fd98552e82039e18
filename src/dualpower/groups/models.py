"""Working groups (committees): housing, health, food, education, community defence..."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.groups.starters import starter_words
from dualpower.members.models import Membership


class WorkingGroup(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="working_groups")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=120)
    purpose = models.TextField(_("purpose"), blank=True, max_length=5000)
    is_open = models.BooleanField(
        _("open to join"), default=True, help_text=_("If not, a convener approves each request to join.")
    )
    # Which starter template it came from (housing, health...), empty if created from scratch.
    template = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="working_group_slug_unique"),
        ]

    def __str__(self) -> str:
        return self.name_shown

    @property
    def name_shown(self) -> str:
        """The name in the reader's language while it is a starter group's own (see starters.py)."""
        return starter_words(self.name)

    @property
    def purpose_shown(self) -> str:
        return starter_words(self.purpose)


class GroupMembership(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Member")
        PENDING = "pending", _("Asked to join")

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="group_memberships")
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="group_memberships")
    is_convener = models.BooleanField(_("convener"), default=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-is_convener", "joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "membership"], name="group_membership_once"),
            models.CheckConstraint(
                condition=models.Q(is_convener=False) | models.Q(status="active"), name="convener_is_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} in {self.group}"
