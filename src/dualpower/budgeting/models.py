"""Participatory budgeting: cycles, districts, ideas, proposals, ballots, results, implementation.

Money is always an integer in the smallest currency unit (cents), never a float. A cycle moves
through its phases in order (ideas → development → feasibility → voting → results →
implementation); what each person may do depends on the phase (rules.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.groups.models import WorkingGroup
from dualpower.members.models import Membership
from dualpower.uploads import UploadTo


class Phase(models.TextChoices):
    IDEAS = "ideas", _("Idea collection")
    DEVELOPMENT = "development", _("Proposal development")
    FEASIBILITY = "feasibility", _("Feasibility review")
    VOTING = "voting", _("Voting")
    RESULTS = "results", _("Results")
    IMPLEMENTATION = "implementation", _("Implementation")


PHASE_ORDER: tuple[str, ...] = tuple(Phase.values)


class Rule(models.TextChoices):
    MES = "mes", _("Method of Equal Shares (proportional)")
    GREEDY = "greedy", _("Greedy: most votes first")
    PHRAGMEN = "phragmen", _("Sequential Phragmén (proportional)")


class BallotType(models.TextChoices):
    APPROVAL = "approval", _("Approval: choose the projects you support")
    KNAPSACK = "knapsack", _("Knapsack: choose projects up to the budget")
    CUMULATIVE = "cumulative", _("Cumulative: spread points")
    RANKED = "ranked", _("Ranked: rank your top choices")


class Eligibility(models.TextChoices):
    MEMBERS = "members", _("All members")
    DISTRICT = "district", _("Residents of each district")
    CODES = "codes", _("Holders of voting codes (and members)")


# What an imported cycle says about its file (the file's name is ``Cycle.imported_from``).
IMPORT_NOTE = gettext_noop("Imported from the pabulib file %(name)s.")


def _import_notes(name: str) -> set[str]:
    """The note as older imports stored it, in each language."""
    notes = set()
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            notes.add(gettext(IMPORT_NOTE) % {"name": name})
    return notes


class Cycle(models.Model):
    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="budget_cycles")
    slug = models.SlugField(max_length=60)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    # The city-wide pot; districts have their own budgets on top of it.
    budget = models.BigIntegerField(_("budget (city-wide pot), in cents"))
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    rule = models.CharField(_("counting rule"), max_length=20, choices=Rule.choices, default=Rule.MES)
    # Published with the cycle, before anyone votes: the lot that breaks the last ties.
    tie_break_seed = models.PositiveIntegerField(_("tie-break seed"), default=0)
    count_is_binding = models.BooleanField(
        _("the count itself is binding"),
        default=False,
        help_text=_("If not, the assembly adopts the result by a decision."),
    )
    ballot_type = models.CharField(
        _("ballot"), max_length=20, choices=BallotType.choices, default=BallotType.APPROVAL
    )
    min_choices = models.PositiveIntegerField(_("fewest projects on a ballot"), default=1)
    max_choices = models.PositiveIntegerField(_("most projects on a ballot"), null=True, blank=True)
    max_total_cost = models.BigIntegerField(
        _("most a ballot's projects may cost together"), null=True, blank=True
    )
    points = models.PositiveIntegerField(_("points to spread (cumulative)"), default=10)
    eligibility = models.CharField(
        _("who may vote"), max_length=20, choices=Eligibility.choices, default=Eligibility.MEMBERS
    )
    allow_other_district = models.BooleanField(_("may also vote in one other district"), default=False)
    working_group = models.ForeignKey(
        WorkingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="budget_cycles",
        verbose_name=_("working group (feasibility review, tellers)"),
    )
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.IDEAS)
    development_from = models.DateTimeField(_("proposal development starts"), null=True, blank=True)
    feasibility_from = models.DateTimeField(_("feasibility review starts"), null=True, blank=True)
    voting_from = models.DateTimeField(_("voting opens"), null=True, blank=True)
    voting_until = models.DateTimeField(_("voting closes"), null=True, blank=True)
    implementation_from = models.DateTimeField(_("implementation starts"), null=True, blank=True)
    adopted_at = models.DateTimeField(null=True, blank=True)
    adopted_ref = models.CharField(max_length=120, blank=True)
    # Set for cycles imported from a pabulib file: its name.
    imported_from = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "slug"], name="budget_cycle_slug_unique"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="budget_cycle_budget_not_negative"),
            models.CheckConstraint(condition=Q(points__gte=1), name="budget_cycle_points_positive"),
            models.CheckConstraint(
                condition=Q(max_choices__isnull=True) | Q(max_choices__gte=models.F("min_choices")),
                name="budget_cycle_choices_in_order",
            ),
            models.CheckConstraint(
                condition=Q(max_total_cost__isnull=True) | Q(max_total_cost__gte=0),
                name="budget_cycle_max_total_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_voting(self) -> bool:
        return self.phase == Phase.VOTING

    @property
    def is_counted(self) -> bool:
        return self.phase in (Phase.RESULTS, Phase.IMPLEMENTATION)

    def phase_index(self) -> int:
        return PHASE_ORDER.index(self.phase)

    def shown_description(self) -> str:
        """The description as the reader reads it. An imported cycle's note about its file is
        written when read, in the reader's language; older rows stored that note in the importer's
        language, and are read the same way."""
        if self.imported_from and (
            not self.description or self.description in _import_notes(self.imported_from)
        ):
            return gettext(IMPORT_NOTE) % {"name": self.imported_from}
        return self.description


class District(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="districts")
    name = models.CharField(_("name"), max_length=120)
    budget = models.BigIntegerField(_("budget, in cents"))

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="budget_district_name_unique"),
            models.CheckConstraint(condition=Q(budget__gte=0), name="budget_district_budget_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class Category(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("name"), max_length=120)
    max_share_percent = models.PositiveSmallIntegerField(
        # xgettext:no-python-format
        _("at most this % of the budget"),
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "name"], name="budget_category_name_unique"),
            models.CheckConstraint(
                condition=Q(max_share_percent__isnull=True) | Q(max_share_percent__lte=100),
                name="budget_category_share_at_most_100",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Proposal(models.Model):
    """A costed project voters can fund (developed from one or more ideas)."""

    class Feasibility(models.TextChoices):
        PENDING = "pending", _("Not reviewed yet")
        FEASIBLE = "feasible", _("Feasible")
        NOT_FEASIBLE = "not_feasible", _("Not feasible")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")
        ABANDONED = "abandoned", _("Abandoned")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="proposals")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals"
    )
    category = models.ForeignKey(
        Category, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposals"
    )
    # The project's id in the published ballot file (pabulib project_id).
    code = models.CharField(max_length=40)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    cost = models.BigIntegerField(_("cost, in cents"), null=True, blank=True)
    # Coordinates in millionths of a degree (integers: no floats in stored data).
    latitude_e6 = models.IntegerField(null=True, blank=True)
    longitude_e6 = models.IntegerField(null=True, blank=True)
    feasibility = models.CharField(max_length=20, choices=Feasibility.choices, default=Feasibility.PENDING)
    feasibility_reason = models.TextField(_("reason (public)"), blank=True, max_length=5000)
    # Implementation, once funded.
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    abandoned_reason = models.TextField(blank=True, max_length=5000)
    spent = models.BigIntegerField(default=0)
    responsible_group = models.ForeignKey(
        WorkingGroup, on_delete=models.SET_NULL, null=True, blank=True, related_name="budget_projects"
    )
    created_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cycle", "code"], name="budget_proposal_code_unique"),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0), name="budget_proposal_cost_ok"
            ),
            models.CheckConstraint(condition=Q(spent__gte=0), name="budget_proposal_spent_ok"),
            models.CheckConstraint(
                condition=~Q(feasibility="not_feasible") | ~Q(feasibility_reason=""),
                name="budget_proposal_not_feasible_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="abandoned") | ~Q(abandoned_reason=""),
                name="budget_proposal_abandoned_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def community(self) -> Community:
        return self.cycle.community

    @property
    def has_location(self) -> bool:
        return self.latitude_e6 is not None and self.longitude_e6 is not None


class Idea(models.Model):
    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ideas")
    district = models.ForeignKey(District, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    author = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    merged_into = models.ForeignKey(
        Proposal, on_delete=models.SET_NULL, null=True, blank=True, related_name="ideas"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class VotingCode(models.Model):
    """A one-time code for someone without an account; only its keyed hash is stored."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="voting_codes")
    code_hash = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"voting code {self.pk}"


class Ballot(models.Model):
    class Channel(models.TextChoices):
        ONLINE = "online", _("Online")
        PAPER = "paper", _("Paper")
        BOOTH = "booth", _("Booth (voting code)")
        IMPORTED = "imported", _("Imported from a file")

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="ballots")
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, null=True, blank=True, related_name="ballots"
    )
    voter = models.ForeignKey(Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    voting_code = models.OneToOneField(
        VotingCode, on_delete=models.PROTECT, null=True, blank=True, related_name="ballot"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.ONLINE)
    # The anonymous voter id in the published ballot file: random, never derived from the voter.
    ref = models.CharField(max_length=64)
    # Paper ballots count only once a second teller has confirmed them.
    confirmed = models.BooleanField(default=True)
    entered_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    confirmed_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Paper ballots entered together (a batch or one CSV file) share a batch label.
    batch = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "voter", "district"],
                condition=Q(voter__isnull=False, district__isnull=False),
                name="budget_one_ballot_per_voter_per_district",
            ),
            models.UniqueConstraint(
                fields=["cycle", "voter"],
                condition=Q(voter__isnull=False, district__isnull=True),
                name="budget_one_citywide_ballot_per_voter",
            ),
            models.CheckConstraint(
                condition=Q(confirmed=True) | Q(channel="paper"), name="budget_only_paper_awaits_confirmation"
            ),
            models.UniqueConstraint(fields=["cycle", "ref"], name="budget_ballot_ref_unique"),
        ]

    def __str__(self) -> str:
        return f"ballot {self.ref}"


class BallotEntry(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="entries")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="+")
    # Points for cumulative ballots, the rank (1 = first) for ranked ones, 1 otherwise.
    points = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["ballot_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "proposal"], name="budget_entry_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.proposal_id} × {self.points}"


class Result(models.Model):
    """One stored count of one area (a district, or the city-wide pot when district is null)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="results")
    district = models.ForeignKey(District, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    rule = models.CharField(max_length=20)
    budget = models.BigIntegerField()
    selected = models.JSONField(default=list)  # proposal codes funded, in the order the rule funded them
    # The rule's own outcome, exactly as `dualpower tally` gives it on the published file.
    rule_selected = models.JSONField(default=list)
    passed_over = models.JSONField(default=list)  # codes the rule chose but a category limit refused
    greedy_selected = models.JSONField(default=list)
    votes = models.JSONField(default=dict)  # code -> {"online": n, "paper": n, "score": n}
    total_cost = models.BigIntegerField()
    settings = models.JSONField(default=dict)
    explanation = models.JSONField(default=list)
    command = models.TextField()
    ballot_file = models.TextField()  # the anonymised .pb, exactly as published
    ballot_file_sha256 = models.CharField(max_length=64)
    num_ballots = models.PositiveIntegerField(default=0)
    counted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["district__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "district"],
                condition=Q(district__isnull=False),
                name="budget_one_result_per_district",
            ),
            models.UniqueConstraint(
                fields=["cycle"], condition=Q(district__isnull=True), name="budget_one_citywide_result"
            ),
        ]

    def __str__(self) -> str:
        return f"result of {self.cycle_id} ({self.district_id or 'city-wide'})"


class ProgressUpdate(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="updates")
    text = models.TextField(max_length=5000)
    # Stored under a name the server chose from the bytes (dualpower/uploads.py), never the client's.
    photo = models.FileField(upload_to=UploadTo("budgeting"), blank=True)
    author = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.text[:60]
