"""In-app notifications: what a member is told (a vote opened, a request matched...).

Each row is also emailed once, by a background job, unless the person turned email off.
A notification to a whole audience (everyone who votes in an assembly) is first a ``Fanout``:
one row written where the decision is made; the job writes each person's row after the commit.
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


class Fanout(models.Model):
    """One notification to a whole audience, recorded inside the sender's transaction.

    ``notifications.tasks.fanout_run`` writes each person's ``Notification`` after the commit, in
    short transactions of a few hundred rows, carrying on from ``last_user_id``: run twice, or
    after a crash, it tells nobody twice. The message is kept as a notification keeps it (the
    untranslated msgids and values: each reader sees it in their own language).
    """

    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="notification_fanouts", null=True, blank=True
    )
    kind = models.CharField(max_length=60)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True, max_length=4000)
    title_msgid = models.TextField(blank=True, default="")
    body_msgid = models.TextField(blank=True, default="")
    params = models.JSONField(blank=True, default=dict)
    url = models.CharField(max_length=300, blank=True)
    email = models.BooleanField(default=True)
    # Who is told: an audience registered in ``notifications.audiences`` and the id of its object
    # ("assemblies.voters" and an assembly's id). The people are read when the job runs.
    audience = models.CharField(max_length=60)
    audience_ref = models.BigIntegerField()
    # Every account with an id up to this one has been told.
    last_user_id = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(url="") | models.Q(url__startswith="/"), name="fanout_url_is_local"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} to {self.audience} {self.audience_ref}"

    def notification_for(self, user_id: int) -> Notification:
        return Notification(
            user_id=user_id,
            community_id=self.community_id,
            kind=self.kind,
            title=self.title,
            body=self.body,
            title_msgid=self.title_msgid,
            body_msgid=self.body_msgid,
            params=self.params,
            url=self.url,
        )
