"""In-app notifications: what a member is told (a vote opened, a request matched...).

Each row is also emailed once, by a background job, unless the person turned email off.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.members.models import User
from dualpower.notifications.text import render


class Notification(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="notifications", null=True, blank=True
    )
    # "<app>.<event>", e.g. "assemblies.vote_opened": lets people and tests tell them apart.
    kind = models.CharField(max_length=60)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("message"), blank=True, max_length=4000)
    # What the title and body say untranslated (``notifications.text``): each reader sees them in
    # their own language. Empty for a plain text (and for rows older than this): shown as stored.
    title_msgid = models.TextField(blank=True, default="")
    body_msgid = models.TextField(blank=True, default="")
    # {"title": {...}, "body": {...}}: each part's values (and plural or context), as JSON.
    params = models.JSONField(blank=True, default=dict)
    # A path inside this node ("/c/demo/assemblies/..."), never an external link.
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(url="") | models.Q(url__startswith="/"), name="notification_url_is_local"
            ),
        ]

    def __str__(self) -> str:
        return self.title_text

    def _part(self, name: str, msgid: str, stored: str) -> str:
        if not msgid:
            return stored
        spec = (self.params or {}).get(name) or {}
        return render({**spec, "msgid": msgid})

    @property
    def title_text(self) -> str:
        """The title in the active language (a plain-text one as it was stored)."""
        return self._part("title", self.title_msgid, self.title)

    @property
    def body_text(self) -> str:
        """The message in the active language (a plain-text one as it was stored)."""
        return self._part("body", self.body_msgid, self.body)
