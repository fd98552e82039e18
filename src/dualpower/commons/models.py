"""The knowledge commons: guides a community writes or copies (with every version kept), and the
guides other communities sent it.

A ``Guide`` is ours: its text now, and one ``GuideVersion`` per saved edit (the history). A guide
copied from another community (a fork) keeps where it came from (``origin_*``) and then grows its
own versions. A ``ReceivedGuide`` is a peer's (or a followed community's) guide as its origin last
sent it, kept for one of our communities; it is only read and copied here, never edited.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.members.models import Membership

TITLE_MAX = 200
BODY_MAX = 100_000
NOTE_MAX = 300
URI_MAX = 500  # federation's URI_LENGTH


class Kind(models.TextChoices):
    GUIDE = "guide", _("Guide")
    BYLAWS = "bylaws", _("Bylaws")
    POLICY = "policy", _("Policy template")
    MEETING_FORMAT = "meeting_format", _("Meeting format")
    TRAINING = "training", _("Training material")
    RIGHTS = "rights", _("Know your rights")  # the defence app's pages, shared through the commons


class Licence(models.TextChoices):
    CC_BY_SA = "cc-by-sa-4.0", _("CC BY-SA 4.0 (share alike)")
    CC_BY = "cc-by-4.0", _("CC BY 4.0 (attribution)")
    CC0 = "cc0-1.0", _("CC0 (public domain)")
    RESERVED = "all-rights-reserved", _("All rights reserved")


# The licences anyone may copy and adapt (with credit; share-alike copies keep the licence).
COPYABLE = frozenset({Licence.CC_BY_SA, Licence.CC_BY, Licence.CC0})


class Visibility(models.TextChoices):
    MEMBERS = "members", _("Members only")
    PEERS = "peers", _("Our peers")
    PUBLIC = "public", _("Everyone (public)")


class Guide(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="guides")
    title = models.CharField(_("title"), max_length=TITLE_MAX, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GUIDE)
    body = models.TextField(_("text"), max_length=BODY_MAX)
    licence = models.CharField(_("licence"), max_length=30, choices=Licence.choices, default=Licence.CC_BY_SA)
    language = models.CharField(_("language"), max_length=10)
    visibility = models.CharField(
        _("who can read it"), max_length=10, choices=Visibility.choices, default=Visibility.MEMBERS
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    version = models.PositiveIntegerField(default=1)  # the number of its latest GuideVersion
    # What was last sent to other servers: the audience (empty: never, or withdrawn) and version.
    published_audience = models.CharField(max_length=10, blank=True)
    published_version = models.PositiveIntegerField(default=0)
    adopted_version = models.PositiveIntegerField(null=True, blank=True)
    adopted_decision_ref = models.CharField(max_length=120, blank=True)
    # A copy of another community's guide: where it came from, as it was when copied.
    origin_uri = models.URLField(max_length=URI_MAX, blank=True)
    origin_community = models.CharField(max_length=255, blank=True)
    origin_licence = models.CharField(max_length=30, blank=True)
    origin_version = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(version__gte=1), name="commons_guide_version_positive"),
            models.CheckConstraint(
                condition=Q(state="draft") | Q(adopted_version__isnull=False),
                name="commons_guide_adopted_has_version",
            ),
        ]
        indexes = [models.Index(fields=["community", "-id"], name="commons_guide_list")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_fork(self) -> bool:
        return bool(self.origin_uri)


class GuideVersion(models.Model):
    """One saved state of a guide: who saved it, when, its text and what changed."""

    guide = models.ForeignKey(Guide, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=TITLE_MAX)
    body = models.TextField(max_length=BODY_MAX)
    note = models.CharField(_("what changed"), max_length=NOTE_MAX, blank=True)
    by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["guide", "number"], name="commons_one_version_number"),
        ]
        ordering = ["-number"]

    def __str__(self) -> str:
        return f"{self.guide_id} v{self.number}"


class ReceivedGuide(models.Model):
    """Another community's guide as its origin last sent it, for one of our communities (a guide
    sent to two of our communities is kept once for each: each sees only its own)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="received_guides")
    uri = models.URLField(max_length=URI_MAX)  # its id on its origin
    actor_uri = models.URLField(max_length=URI_MAX)  # the community that published it
    origin_name = models.CharField(max_length=255, blank=True)
    title = models.CharField(max_length=TITLE_MAX, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.GUIDE)
    body = models.TextField(max_length=BODY_MAX)  # plain text, never HTML from elsewhere
    licence = models.CharField(max_length=30, choices=Licence.choices, default=Licence.RESERVED)
    language = models.CharField(max_length=10, blank=True)
    version = models.PositiveIntegerField(default=1)
    is_public = models.BooleanField(default=False)
    url = models.URLField(max_length=URI_MAX, blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["community", "uri"], name="commons_received_once_per_community"),
        ]
        indexes = [models.Index(fields=["community", "-id"], name="commons_received_list")]

    def __str__(self) -> str:
        return self.title
