"""Federation's tables: remote actors and objects known here, follows and peers, the outbox of
activities to deliver, the inbox's memory of what it took, and the hosts' health and blocks.

Remote things are identified by their ActivityPub id (a URL), never by a local integer shared
with another node. Private keys are files in the instance directory (``federation/keys.py``),
never rows.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from dualpower.community.models import Community
from dualpower.members.models import Membership

URI_LENGTH = 500  # ActivityPub ids and inbox URLs (Mastodon's own limit for ids is 2,048; 500 is
# ample for every implementation seen and keeps the unique indexes small)


class RemoteActor(models.Model):
    """An actor on another server, as last fetched from its origin (never as embedded by a third)."""

    class Kind(models.TextChoices):
        GROUP = "Group"
        PERSON = "Person"
        APPLICATION = "Application"
        SERVICE = "Service"
        ORGANIZATION = "Organization"

    uri = models.URLField(max_length=URI_LENGTH, unique=True)
    host = models.CharField(max_length=255, db_index=True)  # lower-cased host[:port] of ``uri``
    kind = models.CharField(max_length=20, choices=Kind.choices)
    username = models.CharField(max_length=255, blank=True)  # preferredUsername
    name = models.CharField(max_length=255, blank=True)
    summary = models.TextField(blank=True, max_length=5000)
    url = models.URLField(max_length=URI_LENGTH, blank=True)  # its human page
    inbox = models.URLField(max_length=URI_LENGTH)
    shared_inbox = models.URLField(max_length=URI_LENGTH, blank=True)
    followers = models.URLField(max_length=URI_LENGTH, blank=True)
    outbox = models.URLField(max_length=URI_LENGTH, blank=True)
    key_id = models.URLField(max_length=URI_LENGTH, blank=True, db_index=True)
    public_key_pem = models.TextField(blank=True)
    # FEP-8b32: the Ed25519 key (Multikey, "z…" multibase) of a dualpower node, for integrity proofs.
    proof_key_id = models.URLField(max_length=URI_LENGTH, blank=True)
    proof_key_multibase = models.CharField(max_length=100, blank=True)
    # A remote dualpower node says so in its actor ("dualpower": true in our context); others do not.
    is_dualpower = models.BooleanField(default=False)
    fetched_at = models.DateTimeField()

    class Meta:
        constraints = [models.CheckConstraint(condition=~Q(inbox=""), name="remote_actor_has_inbox")]

    def __str__(self) -> str:
        return self.handle or self.uri

    @property
    def handle(self) -> str:
        return f"@{self.username}@{self.host}" if self.username else ""

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


class Follower(models.Model):
    """A remote actor following one of our communities: it receives what the community publishes
    publicly (and, if it is a peer, what it shares with peers)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="federation_followers")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="follows_of_ours")
    follow_id = models.URLField(max_length=URI_LENGTH)  # the id of their Follow activity
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "actor"], name="follower_once")]

    def __str__(self) -> str:
        return f"{self.actor} follows {self.community}"


class Following(models.Model):
    """One of our communities following a remote actor (pending until it accepts)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting for an answer")
        ACCEPTED = "accepted", _("following")
        REJECTED = "rejected", _("refused")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="federation_following")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="followed_by_ours")
    follow_id = models.URLField(max_length=URI_LENGTH, unique=True)  # the id of our Follow activity
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "actor"], name="following_once")]

    def __str__(self) -> str:
        return f"{self.community} follows {self.actor} ({self.state})"


class Peer(models.Model):
    """A peering between one of our communities and a community on another node, decided by an
    assembly on each side (actions ``federation.peer`` / ``federation.unpeer``).

    Active when both sides decided: ``our_decision_ref`` set here, ``their_offer_id`` (their Offer or
    Accept) received. Ending it is one side's decision and takes effect at once on both.
    """

    class State(models.TextChoices):
        OFFERED = "offered", _("we decided; waiting for their decision")
        INVITED = "invited", _("they decided; waiting for ours")
        ACTIVE = "active", _("peers")
        ENDED = "ended", _("ended")

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="federation_peers")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="peerings")
    state = models.CharField(max_length=10, choices=State.choices)
    our_decision_ref = models.CharField(max_length=120, blank=True)  # "proposal:<id>"
    our_offer_id = models.URLField(max_length=URI_LENGTH, blank=True)  # the id of our Offer
    their_offer_id = models.URLField(max_length=URI_LENGTH, blank=True)  # the id of theirs
    created_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "actor"], name="peer_once")]

    def __str__(self) -> str:
        return f"{self.community} and {self.actor}: {self.state}"


class RemoteObject(models.Model):
    """An object received from another server (a reply, a post of an actor we follow, a poll
    answer, a peer's announcement), kept as its origin served it."""

    uri = models.URLField(max_length=URI_LENGTH, unique=True)
    kind = models.CharField(max_length=40)  # Note, Event, Question, Article, Page, Group…
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="remote_objects")
    # The community it was addressed to or received for (null: a post of someone we follow).
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="federation_objects"
    )
    in_reply_to = models.URLField(max_length=URI_LENGTH, blank=True, db_index=True)
    data = models.JSONField()  # the object as its origin served it (content sanitised when shown)
    published = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.uri


class InboxEntry(models.Model):
    """The inbox's memory: an activity id takes effect once (a replay is acknowledged, not redone).

    Only the id, type and who sent it are kept; what the activity changed lives in the tables it
    changed.
    """

    activity_id = models.URLField(max_length=URI_LENGTH, unique=True)
    kind = models.CharField(max_length=40)
    actor_uri = models.URLField(max_length=URI_LENGTH)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.activity_id


class OutboundActivity(models.Model):
    """The transactional outbox: an activity written in the same transaction as the change it
    announces, delivered afterwards by the job worker (one ``Delivery`` per inbox)."""

    class Audience(models.TextChoices):
        PUBLIC = "public", _("everyone following")
        PEERS = "peers", _("peer communities only")
        DIRECT = "direct", _("one actor")

    uri = models.URLField(max_length=URI_LENGTH, unique=True)  # the activity's id, on this node
    community = models.ForeignKey(
        Community, null=True, blank=True, on_delete=models.CASCADE, related_name="federation_activities"
    )  # null: sent by the node's instance actor
    kind = models.CharField(max_length=40)
    audience = models.CharField(max_length=10, choices=Audience.choices)
    data = models.JSONField()  # the activity exactly as served and signed
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.uri


class Delivery(models.Model):
    """One activity to one inbox: retried with jittered exponential backoff until delivered, or
    until it is given up on (a dead letter an operator can see and retry)."""

    class State(models.TextChoices):
        PENDING = "pending", _("waiting")
        DELIVERED = "delivered", _("delivered")
        DEAD = "dead", _("given up")

    activity = models.ForeignKey(OutboundActivity, on_delete=models.CASCADE, related_name="deliveries")
    inbox = models.URLField(max_length=URI_LENGTH)
    host = models.CharField(max_length=255, db_index=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(db_index=True)
    last_error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["activity", "inbox"], name="delivery_once_per_inbox")]
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="delivery_due")]

    def __str__(self) -> str:
        return f"{self.activity_id} → {self.inbox} ({self.state})"


class RemoteHost(models.Model):
    """What this node knows of another server: blocked by the operator, and its health (the
    per-host circuit breaker: after repeated failures nothing is sent until ``retry_after``; after
    days of failure it is marked unavailable and its deliveries become dead letters)."""

    host = models.CharField(max_length=255, unique=True)  # lower-cased host[:port]
    blocked_at = models.DateTimeField(null=True, blank=True)
    block_reason = models.CharField(max_length=300, blank=True)
    failures = models.PositiveIntegerField(default=0)  # consecutive failed deliveries
    failing_since = models.DateTimeField(null=True, blank=True)
    retry_after = models.DateTimeField(null=True, blank=True)  # the breaker is open until then
    unavailable_since = models.DateTimeField(null=True, blank=True)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.host


# --- F8: what a community publishes publicly (announcements as Note, public meetings as Event) ---

ANNOUNCEMENT_MAX = 2000  # characters: a short announcement (Mastodon's own limit is 500; others take more)


class Announcement(models.Model):
    """A short public announcement of a community, published to its followers as a ``Note``
    (federation/announcements.py). Deleting one keeps the row as a tombstone: its id was public,
    and a later fetch of it must say it is gone (410), not that it never was."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey(
        Community, on_delete=models.CASCADE, related_name="federation_announcements"
    )
    author = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    content = models.TextField(_("announcement"), max_length=ANNOUNCEMENT_MAX)  # plain text
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.content[:60]


class PublicEvent(models.Model):
    """An event a domain app published publicly as an FEP-8a8e ``Event`` (a public meeting): the
    object as last published, served at its id; fediverse answers ("going") attach to it.

    ``key`` is the publishing app's name for what it published ("meeting-12"): at most one live
    event per key. Published again after a Delete it is a new event with a new id, because servers
    keep the tombstone of a deleted id and refuse it afterwards (Mastodon does)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="federation_events")
    key = models.CharField(max_length=60)
    data = models.JSONField()  # the Event exactly as last published
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    deleted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["community", "key"], condition=Q(deleted_at=None), name="public_event_live_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.community} {self.key}"


class EventAnswer(models.Model):
    """Someone on the fediverse said they are going to a public event (Join or Accept, as Mobilizon
    and others send) or might (TentativeAccept). One answer per actor: the latest counts. Shown
    apart from members' attendance, which it never is."""

    class Kind(models.TextChoices):
        GOING = "going", _("going")
        MAYBE = "maybe", _("maybe")

    event = models.ForeignKey(PublicEvent, on_delete=models.CASCADE, related_name="answers")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="event_answers")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    activity_id = models.URLField(max_length=URI_LENGTH)  # their Join/Accept, so an Undo finds it
    answered_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "actor"], name="event_answer_once")]

    def __str__(self) -> str:
        return f"{self.actor} {self.kind} {self.event}"


# --- advisory polls (FEP-9967 ``Question``, federation/polls.py) ---------------------------------


class PublicPoll(models.Model):
    """A proposal's options published on the fediverse as an advisory poll: the ``Question`` as
    last published, served at its id. What people elsewhere answer is counted apart (PollAnswer)
    and never enters the proposal's count: the decision is its members'.

    Federation sits above assemblies, so the proposal is a foreign key. ``options`` are the labels
    as published, in order: an answer names one of them (an answer stores its index)."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="federation_polls")
    proposal = models.OneToOneField(
        "assemblies.Proposal", on_delete=models.CASCADE, related_name="fediverse_poll"
    )
    options = models.JSONField()  # the option labels published, in order
    multiple = models.BooleanField(default=False)  # anyOf (tick several) rather than oneOf
    ends_at = models.DateTimeField()  # endTime: the members' vote closes then too
    data = models.JSONField()  # the Question exactly as last published
    published_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Set when an answer changed the counts and no Update(Question) is owed yet: the clock job
    # sends one when it is due (at most one every few minutes, as Mastodon's DistributePollUpdate).
    update_due_at = models.DateTimeField(null=True, blank=True, db_index=True)
    closed_at = models.DateTimeField(null=True, blank=True)  # the Update carrying ``closed`` went out
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.community} poll {self.proposal_id}"


class PollAnswer(models.Model):
    """One option chosen by someone on the fediverse (a ``Create(Note)`` whose ``name`` is the
    option and whose ``inReplyTo`` is the Question, as Mastodon sends it). A oneOf poll takes one
    answer per actor, an anyOf poll one per actor and option; a second is refused, as Mastodon
    refuses it (a vote sent is final there too). Advisory: never a member's vote."""

    poll = models.ForeignKey(PublicPoll, on_delete=models.CASCADE, related_name="answers")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="poll_answers")
    option = models.PositiveSmallIntegerField()  # index in ``poll.options``
    uri = models.URLField(max_length=URI_LENGTH, unique=True)  # their Note's id
    activity_id = models.URLField(max_length=URI_LENGTH)  # their Create
    answered_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "actor", "option"], name="poll_answer_once_per_option")
        ]

    def __str__(self) -> str:
        return f"{self.actor} → {self.option} ({self.poll})"


# --- Directory (federation/directory.py): profiles published in the Group actor ----------------

REGION_MAX = 120  # characters: "Jackson, Mississippi, US", never an address


class DirectoryProfile(models.Model):
    """What one of our communities says of itself to the network: a coarse region, an optional
    coarse point (one decimal: about 11 km, a town, never a house), its languages, and whether it
    is listed at all. Working groups and co-ops are read from the apps that own them."""

    community = models.OneToOneField(Community, on_delete=models.CASCADE, related_name="directory_profile")
    listed = models.BooleanField(default=False)
    region = models.CharField(max_length=REGION_MAX, blank=True)
    latitude = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    longitude = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    languages = models.JSONField(default=list, blank=True)  # language codes of settings.LANGUAGES
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__gte=-90, latitude__lte=90, longitude__gte=-180, longitude__lte=180),
                name="directory_point_on_earth",
            )
        ]

    def __str__(self) -> str:
        return f"{self.community}: {self.region}"


class RemoteProfile(models.Model):
    """The directory profile a dualpower community on another node publishes in its actor, as its
    origin last served it (remote.actor_store keeps it with the actor)."""

    actor = models.OneToOneField(RemoteActor, on_delete=models.CASCADE, related_name="directory_profile")
    region = models.CharField(max_length=REGION_MAX, blank=True)
    latitude = models.DecimalField(max_digits=3, decimal_places=1, null=True, blank=True)
    longitude = models.DecimalField(max_digits=4, decimal_places=1, null=True, blank=True)
    languages = models.JSONField(default=list, blank=True)
    working_groups = models.JSONField(default=list, blank=True)
    coops = models.JSONField(default=list, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.actor}: {self.region}"


class AnnouncedLink(models.Model):
    """A community another community announces in its actor: one of its peers (``dp:peers``) or
    of its member communities (``dp:members``). Replaced whole each time its actor is stored."""

    class Kind(models.TextChoices):
        PEER = "peer", _("peer")
        MEMBER = "member", _("member community")

    source = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="announced_links")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    target_uri = models.URLField(max_length=URI_LENGTH, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "kind", "target_uri"], name="announced_link_once")
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.kind} {self.target_uri}"


class MemberCommunity(models.Model):
    """A peer community that is a member of one of ours (a regional or national body), by the
    assembly's decision (actions ``federation.add_member_community`` / ``remove_member_community``)."""

    community = models.ForeignKey(Community, on_delete=models.CASCADE, related_name="member_communities")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="memberships_in_bodies")
    decision_ref = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "actor"], name="member_community_once")]

    def __str__(self) -> str:
        return f"{self.actor} is a member of {self.community}"


# --- Persons: members who chose to be visible on the fediverse (federation/persons.py) ------------

PERSON_HANDLE_MAX = 30  # Mastodon's own limit for a username
PERSON_NAME_MAX = 80
PERSON_SUMMARY_MAX = 500


class PersonActor(models.Model):
    """A member who chose to be visible on the fediverse as a ``Person`` at ``/ap/u/<handle>``.

    Nobody has one without choosing it on their own page. Stopping keeps the row as a tombstone
    with nothing personal left (no membership, no name, no bio): its id was public, so later
    fetches must answer 410 Gone, and the handle is never given to someone else (servers that
    knew the old actor would take the new one for it)."""

    handle = models.CharField(max_length=PERSON_HANDLE_MAX, unique=True)  # lower case
    membership = models.OneToOneField(
        Membership, null=True, blank=True, on_delete=models.SET_NULL, related_name="federation_person"
    )
    name = models.CharField(max_length=PERSON_NAME_MAX, blank=True)  # only what they typed
    summary = models.TextField(max_length=PERSON_SUMMARY_MAX, blank=True)  # plain text
    created_at = models.DateTimeField(auto_now_add=True)
    stopped_at = models.DateTimeField(null=True, blank=True)
    # The key file is removed once the Delete(Person) signed with it has reached the followers.
    key_removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(stopped_at=None) | Q(membership=None, name="", summary=""),
                name="person_tombstone_keeps_nothing",
            )
        ]

    def __str__(self) -> str:
        return self.handle


class PersonFollower(models.Model):
    """A remote actor following a person of ours (accepted at once; shown only as a count)."""

    person = models.ForeignKey(PersonActor, on_delete=models.CASCADE, related_name="followers")
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="follows_of_our_people")
    follow_id = models.URLField(max_length=URI_LENGTH)  # the id of their Follow activity
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "actor"], name="person_follower_once")]

    def __str__(self) -> str:
        return f"{self.actor} follows {self.person}"
