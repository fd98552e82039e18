"""Deciding bodies (assemblies), their policies, and the proposals they decide.

This is the shared contract other apps build on (meetings link agenda items to proposals, the
delegates app seats people in spokescouncils, co-ops get an assembly of their own). Keep the
names ``Assembly``, ``Policy``, ``Proposal`` and the fields used across apps stable; add fields
with new migrations.
"""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from dualpower.members.models import Membership
from dualpower.node.models import Community


class Assembly(models.Model):
    """Any deciding body. Who may vote in it depends on its kind (see ``assemblies.bodies``)."""

    class Kind(models.TextChoices):
        GENERAL = "general", _("General assembly of all members")
        WORKING_GROUP = "working_group", _("Working group")
        SPOKESCOUNCIL = "spokescouncil", _("Spokescouncil of delegates")
        COOP = "coop", _("Co-operative's members")
        PANEL = "panel", _("Sortition panel")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="assemblies")
    slug = models.SlugField(max_length=60)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.GENERAL)
    # Set when kind is working_group: the group's members are the assembly's voters.
    working_group = models.ForeignKey(
        "groups.WorkingGroup", on_delete=models.PROTECT, null=True, blank=True, related_name="assemblies"
    )
    is_archived = models.BooleanField(_("archived"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("assembly")
        verbose_name_plural = _("assemblies")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="assembly_slug_unique"),
            models.CheckConstraint(
                condition=(models.Q(kind="working_group") & models.Q(working_group__isnull=False))
                | (~models.Q(kind="working_group") & models.Q(working_group__isnull=True)),
                name="assembly_working_group_iff_kind",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("assemblies:detail", kwargs={"community": self.community.slug, "assembly": self.slug})


class Policy(models.Model):
    """How an assembly decides. Data, changed only by a decision of the assembly itself."""

    class Proposers(models.TextChoices):
        MEMBERS = "members", _("Any member of the assembly")
        COORDINATORS = "coordinators", _("Coordinators only")

    assembly = models.OneToOneField(Assembly, on_delete=models.CASCADE, related_name="policy")
    # A key of assemblies.processes (consent, consensus, majority, stv...).
    default_process = models.CharField(_("default decision process"), max_length=40, default="consent")
    quorum = models.DecimalField(
        _("quorum (share of eligible members)"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("1"))],
    )
    supermajority = models.DecimalField(
        _("supermajority (share of votes cast)"),
        max_digits=5,
        decimal_places=4,
        default=Decimal("0.6667"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("1"))],
    )
    discussion_days = models.PositiveSmallIntegerField(_("days of discussion"), default=7)
    voting_days = models.PositiveSmallIntegerField(_("days of voting"), default=7)
    secret_ballots = models.BooleanField(_("secret ballots"), default=False)
    results_hidden_until_close = models.BooleanField(_("hide results until the vote closes"), default=True)
    who_may_propose = models.CharField(
        _("who may put a proposal forward"),
        max_length=20,
        choices=Proposers.choices,
        default=Proposers.MEMBERS,
    )
    liquid_delegation = models.BooleanField(_("members may delegate their vote"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("policy")
        verbose_name_plural = _("policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quorum__gte=0) & models.Q(quorum__lte=1), name="policy_quorum_fraction"
            ),
            models.CheckConstraint(
                condition=models.Q(supermajority__gte=Decimal("0.5")) & models.Q(supermajority__lte=1),
                name="policy_supermajority_fraction",
            ),
            models.CheckConstraint(
                condition=models.Q(voting_days__gte=1), name="policy_voting_days_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"Policy of {self.assembly}"


class Proposal(models.Model):
    """Something an assembly decides: draft → discussion → voting → closed (or withdrawn)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DISCUSSION = "discussion", _("In discussion")
        VOTING = "voting", _("Open for votes")
        CLOSED = "closed", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="proposals")
    author = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="proposals", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"), blank=True, max_length=20000)
    # A key of assemblies.processes, copied from the policy when the proposal is made.
    process = models.CharField(_("decision process"), max_length=40)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    discussion_closes_at = models.DateTimeField(null=True, blank=True)
    voting_opens_at = models.DateTimeField(null=True, blank=True)
    voting_closes_at = models.DateTimeField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(voting_closes_at__isnull=True)
                | models.Q(voting_opens_at__isnull=True)
                | models.Q(voting_closes_at__gt=models.F("voting_opens_at")),
                name="proposal_voting_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "assemblies:proposal",
            kwargs={"community": self.assembly.community.slug, "assembly": self.assembly.slug, "pk": self.pk},
        )

    @property
    def community(self) -> Community:
        return self.assembly.community
