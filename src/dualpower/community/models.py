"""A node (the server) hosts one community, sometimes a few sister communities; each keeps its audit log."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Community(models.Model):
    """The organisation that runs its institutions on this node."""

    class Admission(models.TextChoices):
        COORDINATORS = "coordinators", _("Coordinators review applications")
        TRUST = "trust", _("Members admit by giving trust")

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    admission = models.CharField(
        _("how applicants are admitted"),
        max_length=20,
        choices=Admission.choices,
        default=Admission.COORDINATORS,
    )
    # Karrot's model: an applicant is admitted once this many members have given them trust.
    trust_threshold = models.PositiveSmallIntegerField(_("trust needed to be admitted"), default=3)
    application_questions = models.JSONField(_("questions for applicants"), default=list, blank=True)
    is_public = models.BooleanField(_("listed publicly"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("community")
        verbose_name_plural = _("communities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(trust_threshold__gte=1), name="community_trust_threshold_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """Who did what and when. Append-only: database triggers refuse updates and deletes.

    The actor is a membership, not a user account: when a member deletes their account the
    membership stays (as "former member"), so the log never has to change.
    """

    community = models.ForeignKey(
        Community, on_delete=models.PROTECT, related_name="audit_entries", null=True
    )
    actor = models.ForeignKey(
        "members.Membership", on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    action = models.CharField(max_length=80)
    target_type = models.CharField(max_length=60, blank=True)
    target_id = models.CharField(max_length=60, blank=True)
    summary = models.CharField(max_length=300, blank=True)
    data = models.JSONField(default=dict, blank=True)
    # A later app (assemblies) links a change to the decision that made it.
    decision_ref = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"
