"""Reads of deliberations, each in a fixed number of queries whatever their size."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from dualpower.community.models import Community
from dualpower.deliberation.models import (
    Deliberation,
    Participant,
    PeerDeliberation,
    PeerVote,
    Statement,
    Vote,
)
from dualpower.errors import NotFound
from dualpower.members.models import Membership
from dualpower.web.prepared import Prepared

PAGE = 30


@dataclass(frozen=True)
class Page:
    rows: list[Deliberation]
    next_before: int | None


def deliberations_page(*, community: Community, before: int | None = None) -> Page:
    """The community's deliberations, newest first, by keyset pages."""
    rows = Deliberation.objects.filter(community=community).select_related("assembly")
    if before is not None:
        rows = rows.filter(pk__lt=before)
    found = list(rows.order_by("-id")[: PAGE + 1])
    more = len(found) > PAGE
    found = found[:PAGE]
    return Page(rows=found, next_before=found[-1].pk if more and found else None)


def deliberation_get(*, community: Community, pk: int) -> Deliberation:
    found = (
        Deliberation.objects.filter(community=community, pk=pk)
        .select_related("assembly", "assembly__policy", "community", "opened_by")
        .first()
    )
    if found is None:
        raise NotFound()
    return found


def statement_get(*, deliberation: Deliberation, number: int) -> Statement:
    found = Statement.objects.filter(deliberation=deliberation, number=number).first()
    if found is None:
        raise NotFound()
    found.deliberation = deliberation
    return found


def participant_of(*, deliberation: Deliberation, membership: Membership | None) -> Participant | None:
    if membership is None:
        return None
    return Participant.objects.filter(deliberation=deliberation, membership=membership).first()


def next_statement(*, deliberation: Deliberation, participant: Participant | None) -> Statement | None:
    """The next statement to show this person: one they have not voted on, the least voted first
    (so every statement gets enough votes to be placed), then the oldest."""
    shown = Statement.objects.filter(deliberation=deliberation, state=Statement.State.ACCEPTED)
    if participant is not None:
        shown = shown.exclude(Exists(Vote.objects.filter(statement=OuterRef("pk"), participant=participant)))
    return shown.annotate(n=Count("votes")).order_by("n", "number").first()


def statements_shown(*, deliberation: Deliberation) -> dict[int, Statement]:
    """Every statement shown, by number, with its counts (one query)."""
    rows = (
        Statement.objects.filter(deliberation=deliberation, state=Statement.State.ACCEPTED)
        .annotate(
            agrees=Count("votes", filter=Q(votes__value=Vote.Value.AGREE)),
            disagrees=Count("votes", filter=Q(votes__value=Vote.Value.DISAGREE)),
            passes=Count("votes", filter=Q(votes__value=Vote.Value.PASS)),
        )
        .order_by("number")
    )
    return {s.number: s for s in rows}


def statements_to_moderate(*, deliberation: Deliberation) -> QuerySet[Statement]:
    return (
        Statement.objects.filter(deliberation=deliberation)
        .select_related("duplicate_of")
        .order_by("state", "number")
    )


def my_votes(*, deliberation: Deliberation, participant: Participant | None) -> list[Vote]:
    """This person's own votes (only they see them), with their statements."""
    if participant is None:
        return []
    return list(
        Vote.objects.filter(participant=participant).select_related("statement").order_by("statement__number")
    )


def votes_for_export(*, deliberation: Deliberation) -> QuerySet[Vote, tuple[int, int, int, str]]:
    """Every vote as (participant number, statement number, value): nobody's name."""
    return (
        Vote.objects.filter(statement__deliberation=deliberation)
        .order_by("participant__number", "statement__number")
        .values_list("participant__number", "statement__number", "value", "statement__state")
    )


def votes_for_map(*, deliberation: Deliberation) -> list[tuple[int, int, int]]:
    """(participant number, statement number, value) of every vote, oldest first."""
    return list(
        Vote.objects.filter(statement__deliberation=deliberation)
        .order_by("updated_at", "id")
        .values_list("participant__number", "statement__number", "value")
    )


def moderated_out(*, deliberation: Deliberation) -> set[int]:
    return set(
        Statement.objects.filter(deliberation=deliberation)
        .exclude(state=Statement.State.ACCEPTED)
        .values_list("number", flat=True)
    )


def started_proposals(*, deliberation: Deliberation) -> list[tuple[int, str, str]]:
    """(proposal id, title, assembly slug) of the proposals started from it."""
    return list(
        deliberation.proposals_started.order_by("created_at").values_list(
            "proposal_id", "proposal__title", "proposal__assembly__slug"
        )
    )


# Asked on every proposal's page (its panel): the SQL written once per process.
_of_proposal = Prepared(
    lambda proposal: (
        Deliberation.objects.filter(proposals_started__proposal_id=proposal)
        .select_related("community")
        .order_by("pk")[:1]
    ),
    proposal=int,
)


def deliberation_of_proposal(*, proposal_id: int) -> Deliberation | None:
    found = _of_proposal(proposal=proposal_id)
    return found[0] if found else None


def open_deliberations(*, community: Community, limit: int) -> list[Deliberation]:
    return list(
        Deliberation.objects.filter(community=community, state=Deliberation.State.OPEN)
        .select_related("assembly")
        .order_by("-id")[:limit]
    )


def link_participant(*, deliberation: Deliberation, key_digest: str) -> Participant | None:
    """The link participant whose cookie's key has this digest (None: not one of them)."""
    if not key_digest:
        return None
    return Participant.objects.filter(
        deliberation=deliberation, kind=Participant.Kind.LINK, key=key_digest
    ).first()


def peer_deliberations(*, community: Community, limit: int = PAGE) -> list[PeerDeliberation]:
    """Deliberations peer communities opened to our members, open ones first, newest first."""
    return list(PeerDeliberation.objects.filter(community=community).order_by("is_closed", "-id")[:limit])


def peer_deliberation_get(*, community: Community, pk: int) -> PeerDeliberation:
    found = PeerDeliberation.objects.filter(community=community, pk=pk).select_related("community").first()
    if found is None:
        raise NotFound()
    return found


def peer_votes_of(*, deliberation: PeerDeliberation, participant: str) -> dict[int, int]:
    """statement number -> value, of the votes sent under ``participant`` (one's own pseudonym)."""
    return dict(
        PeerVote.objects.filter(deliberation=deliberation, participant=participant).values_list(
            "statement", "value"
        )
    )
