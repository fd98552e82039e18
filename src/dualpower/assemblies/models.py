"""Deciding bodies (assemblies), their policies, and the proposals they decide.

This is the shared contract other apps build on (meetings link agenda items to proposals, the
delegates app seats people in spokescouncils, co-ops get an assembly of their own). Keep the
names ``Assembly``, ``Policy``, ``Proposal`` and the fields used across apps stable; add fields
with new migrations.
"""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dualpower.assemblies import actions, names
from dualpower.community.models import Community
from dualpower.members.models import Membership


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
        return self.name_shown

    def get_absolute_url(self) -> str:
        # Worked out once per object while its address stays the same: a list of an assembly's
        # proposals links each of them under it (``Proposal.get_absolute_url``).
        key = (get_script_prefix(), self.community.slug, self.slug)
        kept = self.__dict__.get("_dp_url")
        if kept is None or kept[0] != key:
            url = reverse("assemblies:detail", kwargs={"community": key[1], "assembly": key[2]})
            kept = self.__dict__["_dp_url"] = (key, url)
        return kept[1]

    @property
    def name_shown(self) -> str:
        """The name in the reader's language while it is the one the app gave it (see names.py)."""
        return names.assembly_name_shown(self.name)


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
    # Off by default: a vote runs its full time unless everyone eligible has voted.
    early_close = models.BooleanField(
        _("a coordinator may close a vote early, giving a reason"), default=False
    )
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

    @classmethod
    def setting(cls, name: str) -> models.Field[Any, Any]:
        """The column of the setting ``name`` (its verbose name is how people call it)."""
        field = cls._meta.get_field(name)
        assert isinstance(field, models.Field)  # every setting is a column of the policy, not a relation
        return field


class Proposal(models.Model):
    """Something an assembly decides: draft → discussion → voting → closed (or withdrawn)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        DISCUSSION = "discussion", _("In discussion")
        VOTING = "voting", _("Open for votes")
        CLOSED = "closed", _("Decided")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class VotingMode(models.TextChoices):
        ONLINE = "online", _("Online, here")
        ROOM = "room", _("In the room, at a meeting")

    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="proposals")
    author = models.ForeignKey(
        Membership, on_delete=models.PROTECT, related_name="proposals", null=True, blank=True
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("proposal"), blank=True, max_length=20000)
    # A key of assemblies.processes, copied from the policy when the proposal is made.
    process = models.CharField(_("decision process"), max_length=40)
    state = models.CharField(max_length=20, choices=State.choices, default=State.DRAFT, db_index=True)
    # online: members vote here; room: counted from the tallies of a meeting (assemblies.sources).
    voting_mode = models.CharField(
        _("how the vote is taken"), max_length=10, choices=VotingMode.choices, default=VotingMode.ONLINE
    )
    # Copied from the policy when voting opens: a secret proposal stays secret if the policy changes.
    is_secret = models.BooleanField(_("secret ballot"), default=False)
    # Elections and polls: how many options (people, dates, ideas) win.
    seats = models.PositiveSmallIntegerField(_("how many win"), default=1)
    # Dot votes: how many dots each member places.
    dots = models.PositiveSmallIntegerField(_("dots per member"), default=0)
    # A word that groups proposals (housing, budget...): members may delegate their vote by topic.
    topic = models.CharField(_("topic"), max_length=60, blank=True)
    # An amendment put to a vote on its own is a small proposal pointing at the one it amends.
    amends = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="amendment_votes"
    )
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
            models.CheckConstraint(condition=models.Q(seats__gte=1), name="proposal_seats_positive"),
        ]

    def __str__(self) -> str:
        return self.title_shown

    def get_absolute_url(self) -> str:
        # ``assemblies:proposal`` is the assembly's page with ``p/<pk>/`` (assemblies/urls.py):
        # the assembly's address, reversed once for a page of its proposals.
        return f"{self.assembly.get_absolute_url()}p/{self.pk}/"

    @property
    def title_shown(self) -> str:
        """The title in the reader's language while it is an amendment's title the app wrote."""
        return names.proposal_title_shown(self.title, is_amendment=self.amends_id is not None)

    @property
    def community(self) -> Community:
        return self.assembly.community


class ProposalOption(models.Model):
    """One choice in a poll or election: a person (membership), a date and time, or an idea."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="options")
    label = models.CharField(_("option"), max_length=200)
    # Set when the candidates are people (elections of delegates): who is elected.
    membership = models.ForeignKey(
        Membership, on_delete=models.PROTECT, null=True, blank=True, related_name="candidacies"
    )
    # Time polls: when the meeting would start.
    starts_at = models.DateTimeField(null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "label"], name="proposal_option_label_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class ProposalAction(models.Model):
    """A change the proposal makes when it passes (see ``assemblies.actions``)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Will run if the proposal passes")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed: nothing was changed")
        SKIPPED = "skipped", _("Not run: the proposal did not pass")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(max_length=60)
    params = models.JSONField(default=dict)
    description = models.CharField(max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # What it did (or why it failed): the sentence untranslated with its values, shown in the
    # reader's language (``actions.Result``); ``result`` keeps it as the closer read it, the only
    # text of decisions closed before (and of actions that still return a plain sentence).
    result = models.CharField(max_length=500, blank=True)
    result_spec = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description or self.kind

    @property
    def result_shown(self) -> str:
        return actions.result_shown(self.result_spec, self.result)


class Comment(models.Model):
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="proposal_comments")
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.author} on {self.proposal}"


class Amendment(models.Model):
    """A change to a proposal's text, suggested during discussion."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting for the author")
        ACCEPTED = "accepted", _("Accepted by the author")
        DECLINED = "declined", _("Declined by the author")
        TO_VOTE = "to_vote", _("Put to a vote")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="amendments")
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="amendments")
    # The full new text of the proposal, so accepting it is one clear step.
    body = models.TextField(_("amended text"), max_length=20000)
    reason = models.CharField(_("why"), max_length=1000, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    vote = models.OneToOneField(
        Proposal, on_delete=models.PROTECT, null=True, blank=True, related_name="amendment"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Amendment to {self.proposal}"


class Vote(models.Model):
    """An open (non-secret) vote: one row per voter, replaced when they change their mind."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="proposal_votes")
    # Positions rules (agree, block...) or empty for polls.
    position = models.CharField(max_length=20, blank=True)
    # Polls: option ids approved / ranked in order / {option id: score or dots}.
    choices = models.JSONField(default=list, blank=True)
    reason = models.CharField(_("reason"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "voter"], name="one_vote_per_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.voter} on {self.proposal}"


class Participation(models.Model):
    """Secret ballots: that a member voted, and nothing about what they voted.

    A random key and no time: nothing here can be lined up with a Ballot.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="participations")
    membership = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="participations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "membership"], name="one_participation_per_voter"),
        ]

    def __str__(self) -> str:
        return f"{self.membership} voted on {self.proposal}"


class Turnout(models.Model):
    """How many of a proposal's open votes (``votes``) and secret-ballot participations
    (``participants``) are by people who vote in a general assembly now (active members and
    coordinators), kept by the database itself (migration 0007): triggers on votes, participations
    and memberships move it inside the statement that casts, withdraws or changes one, and a
    member who leaves or becomes an observer takes their votes out of it. "How many have not voted
    yet" is then the roll's count less this row, never counted over the roll."""

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, primary_key=True, related_name="+")
    votes = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.votes} votes, {self.participants} secret"


class Ballot(models.Model):
    """Secret ballots once the vote has closed: what was voted, with no voter, no time and a random
    key. While the vote is open a ballot is a ``SealedBallot``; closing opens them all and writes
    them here in a random order under fresh keys.

    ``receipt_hash`` is the SHA-256 of the receipt code only the voter saw; it lets them check that
    their ballot is in the published count.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="ballots")
    position = models.CharField(max_length=20, blank=True)
    choices = models.JSONField(default=list, blank=True)
    reason = models.CharField(max_length=2000, blank=True)
    receipt_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "receipt_hash"], name="one_ballot_per_receipt"),
        ]

    def __str__(self) -> str:
        return f"A ballot on {self.proposal}"


class BallotBox(models.Model):
    """A secret vote while it is open: which key seals its ballots, and the size they are padded to.

    The key itself is a file outside the database (``dualpower.keys.ballot_key_path(key_id)``),
    made when the first ballot is sealed and deleted when the vote closes; the box goes with it.
    """

    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="ballot_box")
    key_id = models.CharField(max_length=32, unique=True)  # random: names the key file
    pad = models.PositiveIntegerField()  # bytes every sealed ballot of this vote is padded to

    def __str__(self) -> str:
        return f"Ballot box of {self.proposal}"


class SealedBallot(models.Model):
    """A secret ballot while its vote is open: encrypted with the vote's key (``assemblies.sealing``).

    Nothing here tells one sealed ballot from another without the key: a random key, no time, the
    same length for every ballot of a vote, and ``lookup``, an HMAC of the receipt digest under the
    vote's key, by which the voter's receipt finds the ballot to change it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="sealed_ballots")
    lookup = models.CharField(max_length=64)
    sealed = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "lookup"], name="one_sealed_ballot_per_receipt"),
        ]

    def __str__(self) -> str:
        return f"A sealed ballot on {self.proposal}"


class Delegation(models.Model):
    """Liquid delegation: a member lets another vote for them, for an assembly, a topic or one proposal.

    The most specific delegation wins (proposal, then topic, then the whole assembly).
    """

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="delegations")
    delegator = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="delegations_given")
    delegate = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="delegations_received")
    topic = models.CharField(_("topic"), max_length=60, blank=True)
    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, null=True, blank=True, related_name="delegations"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(delegator=models.F("delegate")), name="delegation_not_to_self"
            ),
            models.CheckConstraint(
                condition=models.Q(proposal__isnull=True) | models.Q(topic=""),
                name="delegation_one_scope",
            ),
            models.UniqueConstraint(
                fields=["assembly", "delegator", "topic"],
                condition=models.Q(proposal__isnull=True),
                name="one_delegation_per_scope",
            ),
            models.UniqueConstraint(
                fields=["delegator", "proposal"],
                condition=models.Q(proposal__isnull=False),
                name="one_delegation_per_proposal",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.delegator} → {self.delegate}"


class Outcome(models.Model):
    """The record of a decision: the count, the rule, participation against quorum, in words."""

    class ActionsStatus(models.TextChoices):
        NONE = "none", _("No actions")
        DONE = "done", _("Carried out")
        FAILED = "failed", _("Failed: nothing was changed")
        NOT_RUN = "not_run", _("Not run: the proposal did not pass")

    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="outcome")
    # True/False for yes-no decisions; None for polls and the advice process before the author decides.
    passed = models.BooleanField(null=True)
    process = models.CharField(max_length=40)
    rule = models.JSONField(default=dict)  # the rule and its settings
    tally = models.JSONField(default=dict)  # the engine's result, as JSON
    eligible = models.PositiveIntegerField(default=0)
    participants = models.PositiveIntegerField(default=0)
    quorum_needed = models.PositiveIntegerField(null=True)
    quorum_met = models.BooleanField(null=True)
    statement = models.TextField(max_length=5000)
    winners = models.JSONField(default=list)  # option labels, in order
    elected_memberships = models.JSONField(default=list)  # membership ids, in order elected
    # Liquid delegation: {delegate membership id: extra votes carried}.
    delegated_weight = models.JSONField(default=dict)
    source = models.CharField(max_length=20, default="online")  # online | room
    link = models.CharField(max_length=300, blank=True)  # the meeting's page, when counted in the room
    actions_status = models.CharField(
        max_length=10, choices=ActionsStatus.choices, default=ActionsStatus.NONE
    )
    actions_error = models.CharField(max_length=1000, blank=True)
    # Advice process: what the author decided after hearing the advice, in their words.
    author_decision = models.TextField(max_length=5000, blank=True)
    decided_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"Outcome of {self.proposal}"


class OutcomeStatement(models.Model):
    """One version of an outcome's statement in people's words (Loomio's outcome), after the vote.

    Append-only: a new version is a new row (the database refuses to change one, migration 0003);
    the newest row is the statement shown, the older ones are its history.
    """

    outcome = models.ForeignKey(Outcome, on_delete=models.PROTECT, related_name="statements")
    text = models.TextField(_("outcome statement"), max_length=5000)
    author = models.ForeignKey(Membership, on_delete=models.PROTECT, related_name="outcome_statements")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="outcome_statement_not_empty"),
        ]

    def __str__(self) -> str:
        return f"Statement on {self.outcome}"


class Reminder(models.Model):
    """That a reminder was sent, so the clock job sends each one once."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="reminders")
    kind = models.CharField(max_length=30)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["proposal", "kind"], name="one_reminder_per_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.proposal}"
