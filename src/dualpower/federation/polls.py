"""Advisory polls on the fediverse (FEP-9967 ``Question``): a proposal's options, published by a
coordinator so that people elsewhere can say what they think, and the answers they send back.

    its id         {actor}/polls/{uuid}      JSON for servers; a browser is sent to the proposal
    published as   Create(Question), to Public, cc the community's followers
    updated by     Update(Question) with the counts: at most one every UPDATE_EVERY while answers
                   arrive, and one carrying ``closed`` when the members' vote ends

The shape is Mastodon's (app/serializers/activitypub/note_serializer.rb), which FEP-9967 writes
down: ``oneOf`` (one choice) or ``anyOf`` (several) lists the options as ``Note``s with a ``name``
and ``replies.totalItems`` (how many chose it), ``endTime``, ``closed`` once over, and Mastodon's
``votersCount`` (how many people answered). An answer is a ``Create(Note)`` whose ``name`` is an
option and whose ``inReplyTo`` is the Question, with no content (Mastodon's vote; Fedify,
Misskey and Pleroma send the same): handlers_notes.create_note hands it here before anything else.

The answers are advisory. They are counted here, shown on the proposal's page apart from the
members' vote (views/polls.py, through assemblies/panels.py), and never enter the decision: no
row of assemblies is written by anything in this module.

A second answer from the same person is refused, as Mastodon refuses it (PollVote's validator:
one vote per account in a single-choice poll, one per option in a multiple-choice one): their
servers let nobody change a vote once sent, so a second answer is a replay or a forgery, not a
change of mind. Answers after ``endTime``, or naming no option, are refused too; nothing is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from dualpower.assemblies import processes
from dualpower.assemblies.models import Proposal
from dualpower.community.audit import say_all
from dualpower.community.services import audit_record
from dualpower.errors import Conflict, InvalidInput
from dualpower.federation import activities, delivery, ids
from dualpower.federation.handlers import Incoming, Refused
from dualpower.federation.models import PollAnswer, PublicPoll
from dualpower.members.models import Membership
from dualpower.web.prepared import Prepared

# Mastodon waits three minutes after a vote before it sends the poll's new counts (its
# DistributePollUpdateWorker, unique while queued): the answers of those minutes ride on one
# Update instead of one fan-out to every follower's server per answer.
UPDATE_EVERY = timedelta(minutes=3)
# Where Mastodon defines ``votersCount`` (FEP-9967 uses the same term).
POLL_CONTEXT: list[Any] = [
    activities.AS_CONTEXT,
    {"toot": "http://joinmastodon.org/ns#", "votersCount": "toot:votersCount"},
]
# Processes whose ballot ticks or scores several options: an answer may choose several (anyOf).
# Ranked ballots (instant runoff, STV) ask for a first choice on the fediverse (oneOf).
MULTIPLE_SHAPES = frozenset({"approval", "time", "score", "dots"})

say_all(
    {
        "federation.poll_publish": gettext_lazy(
            "%(actor)s published a proposal as an advisory poll on the fediverse: %(summary)s"
        ),
    }
)


def poll_id(poll: PublicPoll) -> str:
    return f"{ids.community_actor_id(poll.community)}/polls/{poll.uuid}"


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- what may be published ------------------------------------------------------------------------


def refusal(proposal: Proposal, *, now: datetime | None = None) -> str:
    """Why ``proposal`` cannot be published as an advisory poll now, or "" if it can."""
    now = now or timezone.now()
    process = processes.get(proposal.process)
    if not process.has_options:
        return _("Only a poll or an election, with options to choose from, can be an advisory poll.")
    if proposal.is_secret or getattr(getattr(proposal.assembly, "policy", None), "secret_ballots", False):
        return _("A secret ballot is not published on the fediverse.")
    if proposal.voting_mode != Proposal.VotingMode.ONLINE:
        return _("Only a vote taken online here can be published as an advisory poll.")
    if proposal.state != Proposal.State.VOTING or proposal.voting_closes_at is None:
        return _("An advisory poll runs while members vote: open the vote first.")
    if proposal.voting_closes_at <= now:
        return _("The vote has closed.")
    return ""


def is_multiple(proposal: Proposal) -> bool:
    return processes.get(proposal.process).shape in MULTIPLE_SHAPES


# --- the Question ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counts:
    per_option: list[int]  # in the order of ``poll.options``
    voters: int  # people who answered (an anyOf answer names several options, once per person)


def counts_of(poll: PublicPoll) -> Counts:
    """How many chose each option, and how many people answered: two queries, whatever the count."""
    by_option = dict(
        PollAnswer.objects.filter(poll=poll)
        .values_list("option")
        .annotate(n=Count("pk"))
        .values_list("option", "n")
    )
    voters = PollAnswer.objects.filter(poll=poll).aggregate(n=Count("actor", distinct=True))["n"] or 0
    return Counts(per_option=[by_option.get(i, 0) for i in range(len(poll.options))], voters=voters)


def _content(proposal: Proposal, url: str) -> str:
    question = escape(proposal.title)
    # In the community's first language, so the Create (a coordinator's request) and the Updates
    # (the clock) say it in the same words.
    languages = proposal.assembly.community.languages or [settings.LANGUAGE_CODE]
    with translation.override(str(languages[0])):
        advice = escape(
            _(
                "An advisory poll: your answer is shown to the community, apart from its members' "
                "vote, which decides."
            )
        )
    return f'<p>{question}</p><p>{advice}</p><p><a href="{escape(url)}">{escape(url)}</a></p>'


def question_object(poll: PublicPoll, counts: Counts | None = None) -> dict[str, Any]:
    """The poll as a ``Question`` with the counts as they are now (FEP-9967, Mastodon's shape)."""
    counts = counts or counts_of(poll)
    proposal = poll.proposal
    url = ids.site_url() + proposal.get_absolute_url()
    options = [
        {"type": "Note", "name": label, "replies": {"type": "Collection", "totalItems": n}}
        for label, n in zip(poll.options, counts.per_option, strict=True)
    ]
    document: dict[str, Any] = {
        "id": poll_id(poll),
        "type": "Question",
        "attributedTo": ids.community_actor_id(poll.community),
        "content": _content(proposal, url),
        "mediaType": "text/html",
        "anyOf" if poll.multiple else "oneOf": options,
        "endTime": _utc(poll.ends_at),
        "votersCount": counts.voters,
        "published": _utc(poll.created_at),
        "updated": _utc(timezone.now()),
        "url": url,
        **activities.addressing(community=poll.community, audience="public"),
    }
    if poll.closed_at is not None:
        document["closed"] = _utc(min(poll.closed_at, poll.ends_at))
    return document


def _send(kind: str, poll: PublicPoll) -> None:
    """Keep the Question as published now and send it (``kind``: Create or Update) to Public."""
    question = question_object(poll)
    poll.data = {"@context": POLL_CONTEXT, **question}
    poll.save(update_fields=["data", "update_due_at", "closed_at", "updated_at"])
    community = poll.community
    activity = activities.activity_build(
        kind=kind,
        community=community,
        object=question,
        **activities.addressing(community=community, audience="public"),
    )
    activity["@context"] = POLL_CONTEXT
    delivery.activity_publish(community=community, activity=activity, audience="public")


# --- writes ---------------------------------------------------------------------------------------


@transaction.atomic
def poll_publish(*, proposal: Proposal, by: Membership | None) -> PublicPoll:
    """Publish ``proposal`` as an advisory poll: kept, and sent as Create(Question) to the
    community's followers in the same transaction. Once per proposal."""
    proposal.refresh_from_db()  # its state now, not as the page read it
    why = refusal(proposal)
    if why:
        raise InvalidInput(why)
    labels = [option.label for option in proposal.options.all()]
    if len(labels) < 2:
        raise InvalidInput(_("An advisory poll needs at least two options."))
    assert proposal.voting_closes_at is not None  # refusal() checked it
    community = proposal.assembly.community
    try:
        # One poll per proposal (a unique key): two coordinators pressing at once get one poll.
        with transaction.atomic():
            poll = PublicPoll.objects.create(
                community=community,
                proposal=proposal,
                options=labels,
                multiple=is_multiple(proposal),
                ends_at=proposal.voting_closes_at,
                data={},
                published_by=by,
            )
    except IntegrityError:
        raise Conflict(_("This proposal is already published as an advisory poll.")) from None
    _send("Create", poll)
    audit_record(
        community=community,
        actor=by,
        action="federation.poll_publish",
        target=proposal,
        summary=proposal.title,
    )
    return poll


def _name(obj: dict[str, Any]) -> str | None:
    """The option an answer names: ``name``, or the one value of ``nameMap`` (some servers send
    only the map); None when it names nothing, so it is no answer at all."""
    name = obj.get("name")
    if isinstance(name, str):
        return name
    mapped = obj.get("nameMap")
    if isinstance(mapped, dict) and len(mapped) == 1:
        value = next(iter(mapped.values()))
        return value if isinstance(value, str) else None
    return None


def poll_by_uri(uri: str) -> PublicPoll | None:
    """The poll whose Question id is ``uri`` (one of ours), or None."""
    prefix = f"{ids.site_url()}/ap/c/"
    if not uri.startswith(prefix) or "/polls/" not in uri:
        return None
    slug, _sep, rest = uri[len(prefix) :].partition("/polls/")
    try:
        uuid = UUID(rest)
    except ValueError:
        return None
    return PublicPoll.objects.filter(uuid=uuid, community__slug=slug).first()


def answer_take(*, incoming: Incoming, obj: dict[str, Any]) -> bool:
    """If ``obj`` (the Note of a verified Create) answers one of our polls, count it and say True;
    refuse it (``Refused``: nothing stored) if it is late, a second answer, or names no option.
    False: it is not an answer to a poll of ours (a reply, a post), for the caller to handle."""
    name = _name(obj)
    reply_to = activities.id_of(obj.get("inReplyTo"))
    if obj.get("type") != "Note" or name is None or not reply_to:
        return False
    found = poll_by_uri(reply_to)
    if found is None:
        return False
    now = timezone.now()
    # The poll's row is locked: two answers of one person arriving together are taken one by one.
    poll = PublicPoll.objects.select_for_update().select_related("proposal").get(pk=found.pk)
    closed = poll.proposal.state in (Proposal.State.CLOSED, Proposal.State.WITHDRAWN)
    if poll.closed_at is not None or poll.ends_at <= now or closed:
        raise Refused("the poll is closed", status=422)
    if name not in poll.options:
        raise Refused("the answer names no option of the poll", status=422)
    option = poll.options.index(name)
    if len(obj["id"]) > 500 or PollAnswer.objects.filter(uri=obj["id"]).exists():
        raise Refused("this answer was taken already", status=409)
    theirs = PollAnswer.objects.filter(poll=poll, actor=incoming.actor)
    if theirs.filter(option=option).exists() or (not poll.multiple and theirs.exists()):
        raise Refused("this actor has answered already", status=409)
    PollAnswer.objects.create(
        poll=poll,
        actor=incoming.actor,
        option=option,
        uri=obj["id"],
        activity_id=str(incoming.activity["id"])[:500],
    )
    if poll.update_due_at is None:
        PublicPoll.objects.filter(pk=poll.pk).update(update_due_at=now + UPDATE_EVERY)
    return True


def polls_due(now: datetime) -> str:
    """The clock job: send the Update(Question) owed (new counts, due UPDATE_EVERY after the first
    answer since the last one) and close the polls whose vote ended (endTime passed, or the
    proposal closed early or was withdrawn) with an Update carrying ``closed``. One query when
    nothing is due."""
    due = list(
        PublicPoll.objects.filter(closed_at=None)
        .filter(
            Q(update_due_at__lte=now)
            | Q(ends_at__lte=now)
            | Q(proposal__state__in=(Proposal.State.CLOSED, Proposal.State.WITHDRAWN))
        )
        .values_list("pk", flat=True)
    )
    updated = closed = 0
    for pk in due:
        with transaction.atomic():
            poll = (
                PublicPoll.objects.select_for_update(of=("self",))
                .select_related("community", "proposal__assembly__community")
                .filter(pk=pk, closed_at=None)
                .first()
            )
            if poll is None:
                continue
            ended = poll.ends_at <= now or poll.proposal.state in (
                Proposal.State.CLOSED,
                Proposal.State.WITHDRAWN,
            )
            if ended:
                poll.closed_at = now
                closed += 1
            else:
                updated += 1
            poll.update_due_at = None
            _send("Update", poll)
    if not due:
        return ""
    return f"{updated} polls updated, {closed} closed"


# --- reads ----------------------------------------------------------------------------------------


# Asked on every proposal's page (its panel): the SQL written once per process.
_of_proposal = Prepared(
    lambda proposal: (
        PublicPoll.objects.filter(proposal_id=proposal).select_related("community").order_by("pk")[:1]
    ),
    proposal=int,
)


def poll_of(proposal: Proposal) -> PublicPoll | None:
    found = _of_proposal(proposal=proposal.pk)
    return found[0] if found else None


def poll_get(*, community: Any, uuid: UUID | str) -> PublicPoll | None:
    return (
        PublicPoll.objects.filter(community=community, uuid=uuid)
        .select_related("community", "proposal__assembly__community")
        .first()
    )
