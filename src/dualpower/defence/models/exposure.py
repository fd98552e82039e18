"""Duress: a second password that opens an empty account and raises the alarm.

A member who may be forced to open their account (at a border, in a raid, by a violent partner)
sets a duress password. Signing in with it opens an account that looks ordinary and holds nothing
(``decoy``), ends every session of the real account and alerts the people they chose, in the
community where they set it (services/exposure.py).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.members.models import Membership, User


class DuressPassword(models.Model):
    # One per account: the real account it protects.
    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")
    # Where the people to alert are (the community whose page it was set on).
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="+")
    # Hashed as Django hashes passwords (make_password): never stored as typed.
    password = models.CharField(max_length=128)
    # The empty account a sign-in with the duress password opens.
    decoy = models.OneToOneField(User, on_delete=models.CASCADE, related_name="+")
    alert_to = models.ManyToManyField(
        Membership, related_name="+", blank=True, verbose_name=_("people to alert")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(user=models.F("decoy")), name="defence_duress_decoy_apart"
            ),
        ]

    def __str__(self) -> str:
        return f"duress password of {self.user_id}"
