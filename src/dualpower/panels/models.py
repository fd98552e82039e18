"""Sortition panels: volunteers, features with quotas, a public seed, a fair draw.

A panel goes open (volunteers sign up) → closed (the pool and quotas are frozen, the lottery is
computed and published with its fingerprint, and where the seed will come from is stated) →
seed announced (the seed's text, with the time it was announced) → drawn (the panel becomes an
assembly of kind "panel"). Each step is refused out of order, so nobody can choose quotas or
volunteers after the seed is known.
"""

from __future__ import annotations

from fractions import Fraction

from django.db import models
from django.utils.translation import gettext_lazy as _

from dualpower.assemblies.models import Assembly
from dualpower.community.models import Community
from dualpower.members.models import Membership


class Panel(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open for volunteers")
        CLOSED = "closed", _("Sign-up closed, waiting for the seed")
        SEEDED = "seeded", _("Seed announced, ready to draw")
        DRAWN = "drawn", _("Drawn")

    class Objective(models.TextChoices):
        MAXIMIN = "maximin", _("Maximin: the smallest chance as large as possible")
        LEXIMIN = "leximin", _("Leximin: then the next smallest, and so on")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="sortition_panels")
    title = models.CharField(_("title"), max_length=120)
    purpose = models.TextField(_("purpose"), blank=True, max_length=5000)
    size = models.PositiveSmallIntegerField(_("panel size"))
    objective = models.CharField(
        _("fairness rule"), max_length=10, choices=Objective.choices, default=Objective.MAXIMIN
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN, db_index=True)
    created_by = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="panels_created"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Stated when sign-up closes: the public event the seed will come from.
    seed_source = models.CharField(_("where the seed will come from"), max_length=300, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The lottery computed at close (profiles, compositions with tickets), and its SHA-256.
    lottery = models.JSONField(default=dict, blank=True)
    lottery_fingerprint = models.CharField(max_length=64, blank=True)
    seed = models.CharField(_("seed"), max_length=300, blank=True)
    seed_announced_at = models.DateTimeField(null=True, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    ticket = models.BigIntegerField(null=True, blank=True)
    assembly = models.OneToOneField(
        Assembly, on_delete=models.PROTECT, null=True, blank=True, related_name="sortition_panel"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(size__gte=1), name="panel_size_positive"),
            models.CheckConstraint(
                condition=models.Q(state="open") | models.Q(closed_at__isnull=False),
                name="panel_closed_has_time",
            ),
            models.CheckConstraint(
                condition=models.Q(state__in=["open", "closed"])
                | (models.Q(seed_announced_at__isnull=False) & ~models.Q(seed="")),
                name="panel_seed_before_draw",
            ),
            models.CheckConstraint(
                condition=~models.Q(state="drawn")
                | (
                    models.Q(drawn_at__isnull=False)
                    & models.Q(assembly__isnull=False)
                    & models.Q(drawn_at__gte=models.F("seed_announced_at"))
                ),
                name="panel_drawn_after_seed",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Feature(models.Model):
    """A question every volunteer answers (neighbourhood, gender, age band...), with quotas."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="features")
    name = models.CharField(_("feature"), max_length=60)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["panel", "name"], name="panel_feature_once")]

    def __str__(self) -> str:
        return self.name


class Quota(models.Model):
    """For one value of a feature: at least ``min`` and at most ``max`` on the panel."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="quotas")
    value = models.CharField(_("value"), max_length=80)
    min = models.PositiveSmallIntegerField(_("at least"), default=0)
    max = models.PositiveSmallIntegerField(_("at most"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["feature", "value"], name="panel_quota_once"),
            models.CheckConstraint(condition=models.Q(max__gte=models.F("min")), name="panel_quota_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.feature.name} = {self.value}: {self.min}-{self.max}"


class Volunteer(models.Model):
    """Someone who offered to serve. Their answers are seen only by coordinators; the published
    pool names them only by ``public_id``, a pseudonym they are shown themselves."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="volunteers")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="panel_volunteering")
    public_id = models.CharField(max_length=12)
    answers = models.JSONField(default=dict)
    # Published when sign-up closes: the exact chance of selection, as "numerator/denominator".
    probability = models.CharField(max_length=60, blank=True)
    selected = models.BooleanField(default=False)
    signed_up_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["public_id"]
        constraints = [
            models.UniqueConstraint(fields=["panel", "membership"], name="panel_volunteer_once"),
            models.UniqueConstraint(fields=["panel", "public_id"], name="panel_public_id_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.public_id} in {self.panel}"

    @property
    def chance(self) -> Fraction | None:
        return Fraction(self.probability) if self.probability else None
