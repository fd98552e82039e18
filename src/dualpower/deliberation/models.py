"""Deliberations: a question an assembly puts to its members before anyone writes a motion.

Participants write short statements (one idea each) and vote agree / disagree / pass on the others'
statements, one at a time. The opinion map (core/opinions: Polis' method) places the participants,
finds opinion groups, what each group believes, and what every group agrees on; a facilitator can
start a proposal from those consensus statements.

Who voted what is private: a vote belongs to a ``Participant`` (a number within the deliberation),
not directly to a membership, so the export and the map speak of participant numbers only.

Besides members, a participant can be a visitor with the deliberation's secret link (``LINK``:
known only by a digest of a random key kept in their signed cookie) or a member of a peer community
whose node relays their votes (``PEER``: known only by the pseudonymous id that node sends, a keyed
hash it makes of the person, and by which peer sent it).
"""

from __future__ import annotations

import hmac

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from dualpower.assemblies.models import Assembly, Proposal
from dualpower.community.models import Community
from dualpower.members.models import Membership

QUESTION_MAX = 200
DESCRIPTION_MAX = 2000
# Polis keeps statements to 140 characters: one idea, readable on a phone in one glance.
STATEMENT_MAX = 140
REASON_MAX = 300
KEY_MAX = 64
URI_MAX = 500


class Deliberation(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Moderation(models.TextChoices):
        AFTER = "after", _("Statements appear at once; facilitators can take them out")
        BEFORE = "before", _("Statements appear once a facilitator accepts them")

    community = models.ForeignKey(Community, on_delete=models.PROTECT, related_name="deliberations")
    assembly = models.ForeignKey(Assembly, on_delete=models.PROTECT, related_name="deliberations")
    question = models.CharField(_("question"), max_length=QUESTION_MAX)
    description = models.TextField(_("background"), max_length=DESCRIPTION_MAX, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    moderation = models.CharField(
        _("moderation"), max_length=10, choices=Moderation.choices, default=Moderation.AFTER
    )
    opened_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliberations_opened"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Votes cast so far (every cast or change moves it on); the stored map says how many it saw.
    votes_seen = models.PositiveIntegerField(default=0)
    # The opinion map as last computed (mapping.py): groups, representative statements, consensus,
    # and what the next computation starts from. The page shows it; it never waits for a new one.
    opinion_map = models.JSONField(default=dict, blank=True)
    map_votes = models.PositiveIntegerField(default=0)
    map_computed_at = models.DateTimeField(null=True, blank=True)
    participants_count = models.PositiveIntegerField(default=0)
    # Anyone with the link takes part (the facilitators' choice): the secret in the link, "" when
    # off. Rotating it or turning it off ends every link participant's access.
    link_token = models.CharField(max_length=KEY_MAX, blank=True, default="")
    link_statements = models.BooleanField(_("people with the link may add statements"), default=True)
    # Opened to the members of the community's peers (federation): published to them, and their
    # members' votes relayed back by their nodes.
    peers_open = models.BooleanField(default=False)
    # The map last sent to the peers (publishing.map_sync_due): how many votes it saw, and when; the
    # map is sent again at most every few minutes, and the clock sends what a busy spell held back.
    map_sent_votes = models.PositiveIntegerField(default=0)
    map_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["community", "state", "-id"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(state="open", closed_at=None) | Q(state="closed", closed_at__isnull=False),
                name="deliberation_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(map_votes__lte=F("votes_seen")), name="deliberation_map_not_ahead"
            ),
        ]

    def __str__(self) -> str:
        return self.question

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def link_is(self, token: str) -> bool:
        """Whether ``token`` is the deliberation's current link (none: no token is)."""
        return bool(self.link_token) and hmac.compare_digest(self.link_token, token)


class Participant(models.Model):
    """Someone taking part, known in the map and the export only by ``number``."""

    class Kind(models.TextChoices):
        MEMBER = "member", _("Member")
        LINK = "link", _("With the link")
        PEER = "peer", _("From a peer community")

    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="participants")
    membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="deliberation_places"
    )
    number = models.PositiveIntegerField()
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.MEMBER)
    # LINK: sha256 of the random key in the visitor's cookie; PEER: the pseudonymous id its node sent.
    key = models.CharField(max_length=KEY_MAX, blank=True, default="")
    peer = models.CharField(max_length=URI_MAX, blank=True, default="")  # PEER: the peer's actor
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["deliberation", "number"], name="participant_number_unique"),
            models.UniqueConstraint(
                fields=["deliberation", "peer", "key"],
                condition=~Q(key=""),
                name="participant_once_per_key",
            ),
            models.CheckConstraint(
                condition=Q(kind="member") | (~Q(key="") & Q(membership=None)),
                name="participant_keyed_unless_member",
            ),
            models.UniqueConstraint(
                fields=["deliberation", "membership"],
                condition=Q(membership__isnull=False),
                name="participant_once_per_member",
            ),
        ]

    def __str__(self) -> str:
        return f"participant {self.number}"


class Statement(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for a facilitator")
        ACCEPTED = "accepted", _("Shown")
        REJECTED = "rejected", _("Taken out")

    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="statements")
    number = models.PositiveIntegerField()
    text = models.CharField(_("statement"), max_length=STATEMENT_MAX)
    language = models.CharField(max_length=10, blank=True)
    author = models.ForeignKey(
        Participant, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_seed = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=State.choices, default=State.ACCEPTED)
    reason = models.CharField(_("reason"), max_length=REASON_MAX, blank=True)
    duplicate_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["deliberation", "number"], name="statement_number_unique"),
            models.CheckConstraint(
                condition=~Q(state="rejected") | ~Q(reason=""), name="statement_rejection_has_reason"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class Vote(models.Model):
    class Value(models.IntegerChoices):
        AGREE = 1, _("Agree")
        DISAGREE = -1, _("Disagree")
        PASS = 0, _("Pass / unsure")

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="votes")
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="votes")
    value = models.SmallIntegerField(choices=Value.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["statement", "participant"], name="deliberation_vote_once"),
            models.CheckConstraint(condition=Q(value__gte=-1, value__lte=1), name="deliberation_vote_value"),
        ]
        indexes = [models.Index(fields=["participant", "statement"])]

    def __str__(self) -> str:
        return f"{self.participant_id} on {self.statement_id}: {self.value}"


class StartedProposal(models.Model):
    """A proposal a facilitator started from the deliberation's statements (links both ways)."""

    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="proposals_started")
    proposal = models.OneToOneField(Proposal, on_delete=models.CASCADE, related_name="deliberation_start")
    statements = models.JSONField(default=list)  # the statement numbers it started from
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.proposal_id} from {self.deliberation_id}"


class PeerDeliberation(models.Model):
    """A deliberation a peer community opened to its peers' members, as its node last sent it.
    Our members vote on it here; their votes travel back to its node under a pseudonymous id."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="peer_deliberations")
    uri = models.CharField(max_length=URI_MAX)  # its id at its origin
    actor_uri = models.CharField(max_length=URI_MAX)  # the peer community that opened it
    origin_name = models.CharField(max_length=255, blank=True)
    question = models.CharField(max_length=QUESTION_MAX)
    description = models.TextField(max_length=DESCRIPTION_MAX, blank=True)
    # [{"number": n, "text": "..."}]: the statements shown there, as last sent
    statements = models.JSONField(default=list)
    # The opinion map as the origin last sent it (receiving.map_from_peer: the shape mapping.shown
    # stores, checked), {} before its first map. Our members see it on the deliberation's page.
    opinion_map = models.JSONField(default=dict, blank=True)
    is_closed = models.BooleanField(default=False)
    received_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["community", "uri"], name="peer_deliberation_once"),
        ]

    def __str__(self) -> str:
        return self.question


class ErasedPeerParticipant(models.Model):
    """Where a deliberation was opened: a peer's participant whose votes their node withdrew, and the
    time of that withdrawal as their node stamped it. A vote or statement of theirs stamped no later
    (a delivery retried after the withdrawal, an operator's retry of a dead letter) is refused, so an
    erased person never comes back with an old vote; what they send afterwards counts again."""

    deliberation = models.ForeignKey(Deliberation, on_delete=models.CASCADE, related_name="erased_peers")
    peer = models.CharField(max_length=URI_MAX)
    key = models.CharField(max_length=KEY_MAX)
    erased_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "peer", "key"], name="erased_peer_participant_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key} of {self.peer}, erased {self.erased_at}"


class PeerVote(models.Model):
    """A vote one of our members sent on a peer's deliberation, kept under the same pseudonymous
    id that was sent (so the page knows what they voted on), never under their membership."""

    deliberation = models.ForeignKey(PeerDeliberation, on_delete=models.CASCADE, related_name="votes")
    participant = models.CharField(max_length=KEY_MAX)
    statement = models.PositiveIntegerField()
    value = models.SmallIntegerField(choices=Vote.Value.choices)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["deliberation", "participant", "statement"], name="peer_vote_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} on {self.statement}: {self.value}"
