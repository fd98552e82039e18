"""Reads about delegates and mandates: who sits where, on what instructions, and how they voted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.assemblies import selectors as assembly_selectors
from dualpower.assemblies.models import Assembly, Proposal
from dualpower.assemblies.processes import POSITION_LABELS
from dualpower.community.models import Community
from dualpower.core.choice.decision import POSITIONS, count_positions
from dualpower.errors import NotFound
from dualpower.mandates.models import DelegateSeat, Mandate, MandateBreach
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership

SEATED = DelegateSeat.Status.SEATED
# The assemblies that receive delegates (and where mandates bind them).
RECEIVING_KINDS = frozenset({Assembly.Kind.SPOKESCOUNCIL})


def seats_of(
    *,
    community: Community,
    sending: Assembly | None = None,
    receiving: Assembly | None = None,
    membership: Membership | None = None,
    status: str | None = SEATED,
) -> QuerySet[DelegateSeat]:
    seats = DelegateSeat.objects.filter(community=community).select_related(
        "membership", "sending", "receiving", "elected_by"
    )
    if sending is not None:
        seats = seats.filter(sending=sending)
    if receiving is not None:
        seats = seats.filter(receiving=receiving)
    if membership is not None:
        seats = seats.filter(membership=membership)
    if status:
        seats = seats.filter(status=status)
    return seats


def seats_page(
    *,
    community: Community,
    limit: int,
    offset: int = 0,
    sending: Assembly | None = None,
    receiving: Assembly | None = None,
    status: str | None = SEATED,
) -> list[DelegateSeat]:
    """A window of ``seats_of`` (an assembly's delegates, a page at a time: web.pages), in one
    query."""
    seats = seats_of(community=community, sending=sending, receiving=receiving, status=status)
    return list(seats[offset : offset + limit])


def seat_get(*, community: Community, pk: int) -> DelegateSeat:
    seat = seats_of(community=community, status=None).filter(pk=pk).first()
    if seat is None:
        raise NotFound(_("There is no delegate seat %(id)s in this community.") % {"id": pk})
    return seat


def seated_delegates(assembly: Assembly) -> QuerySet[Membership]:
    """The voters of a spokescouncil: its seated delegates who are still active members."""
    now = timezone.now()
    seats = DelegateSeat.objects.filter(
        Q(ends_at__isnull=True) | Q(ends_at__gt=now), receiving=assembly, status=SEATED
    ).values("membership_id")
    return member_selectors.members_of(community=assembly.community).filter(pk__in=seats)


def spokescouncils_of(*, community: Community) -> QuerySet[Assembly]:
    return assembly_selectors.assemblies_for(community=community).filter(kind__in=RECEIVING_KINDS)


def council_seats_page(*, community: Community, limit: int, offset: int = 0) -> list[DelegateSeat]:
    """A window of the seated delegates of every spokescouncil of ``community`` (the delegates
    page, a page at a time: web.pages), council by council (by name, two councils of one name
    apart), then as the seats are ordered: one query, whatever the number of councils and seats."""
    seats = seats_of(community=community).filter(receiving__kind__in=RECEIVING_KINDS)
    ordered = seats.order_by("receiving__name", "receiving_id", "sending__name", "started_at", "id")
    return list(ordered[offset : offset + limit])


def assembly_get(*, community: Community, slug: str) -> Assembly:
    assembly = assembly_selectors.assemblies_all(community=community).filter(slug=slug).first()
    if assembly is None:
        raise NotFound(_("There is no assembly “%(slug)s” in this community.") % {"slug": slug})
    return assembly


def proposal_get(*, community: Community, pk: int) -> Proposal:
    proposal = assembly_selectors.proposals_of(community=community).filter(pk=pk).first()
    if proposal is None:
        raise NotFound(_("There is no proposal %(id)s in this community.") % {"id": pk})
    return proposal


def mandates_of(
    *, community: Community, proposal: Proposal | None = None, sending: Assembly | None = None
) -> QuerySet[Mandate]:
    found = Mandate.objects.filter(community=community).select_related(
        "sending", "proposal__assembly", "drafted_by"
    )
    if proposal is not None:
        found = found.filter(proposal=proposal)
    if sending is not None:
        found = found.filter(sending=sending)
    return found.exclude(status=Mandate.Status.SUPERSEDED)


def mandates_page(
    *, community: Community, limit: int, offset: int = 0, sending: Assembly | None = None
) -> list[Mandate]:
    """A window of ``mandates_of``, the latest first (an assembly's mandates, a page at a time:
    web.pages), in one query."""
    return list(mandates_of(community=community, sending=sending)[offset : offset + limit])


def mandate_get(*, community: Community, pk: int) -> Mandate:
    mandate = mandates_of(community=community).filter(pk=pk).first()
    if mandate is None:
        raise NotFound(_("There is no mandate %(id)s in this community.") % {"id": pk})
    return mandate


@dataclass(frozen=True)
class MandateRow:
    """One line of a spokescouncil proposal's mandate table."""

    seat: DelegateSeat
    mandate: Mandate | None  # in force and not expired
    draft: Mandate | None
    vote: str | None  # position of the decision engine, None if not voted (or secret)
    against_mandate: bool
    breach_recorded: bool

    @property
    def vote_label(self) -> str:
        """The vote in the reader's words ("Agree"), not the engine's code."""
        return str(POSITION_LABELS.get(self.vote or "", self.vote or ""))


def mandates_for_proposal(proposal: Proposal, *, now: datetime | None = None) -> list[MandateRow]:
    """Each seated delegate of the proposal's assembly, their mandate, their vote, and a flag when
    the vote goes against the mandate."""
    now = now or timezone.now()
    seats = list(
        DelegateSeat.objects.filter(receiving=proposal.assembly_id, status=SEATED)
        .select_related("membership", "sending")
        .order_by("sending__name", "membership__display_name", "id")
    )
    found = Mandate.objects.filter(
        proposal=proposal, status__in=[Mandate.Status.IN_FORCE, Mandate.Status.DRAFT]
    )
    in_force = {m.sending_id: m for m in found if m.is_current(now)}
    drafts = {m.sending_id: m for m in found if m.status == Mandate.Status.DRAFT}
    cast = open_votes(proposal)
    recorded = set(MandateBreach.objects.filter(mandate__proposal=proposal).values_list("seat_id", flat=True))
    rows = []
    for seat in seats:
        mandate = in_force.get(seat.sending_id)
        raw = cast.get(seat.membership_id)
        vote = position_of(raw) if raw is not None else None
        rows.append(
            MandateRow(
                seat=seat,
                mandate=mandate,
                draft=drafts.get(seat.sending_id),
                vote=vote,
                against_mandate=mandate is not None and breaches(mandate.position, raw),
                breach_recorded=seat.pk in recorded,
            )
        )
    return rows


def mandates_for_seat(seat: DelegateSeat) -> QuerySet[Mandate]:
    """The mandates in force (and drafts) of the seat's sending assembly on proposals of its
    receiving assembly: what this delegate has been told to do."""
    return (
        Mandate.objects.filter(
            sending=seat.sending_id,
            proposal__assembly=seat.receiving_id,
            status__in=[Mandate.Status.IN_FORCE, Mandate.Status.DRAFT],
        )
        .select_related("proposal")
        .order_by("-created_at")
    )


def breaches_of(*, community: Community, sending: Assembly | None = None) -> QuerySet[MandateBreach]:
    found = MandateBreach.objects.filter(community=community).select_related(
        "seat__membership", "mandate__proposal", "mandate__sending"
    )
    if sending is not None:
        found = found.filter(mandate__sending=sending)
    return found


def breaches_page(
    *, community: Community, limit: int, offset: int = 0, sending: Assembly | None = None
) -> list[MandateBreach]:
    """A window of ``breaches_of``, the latest first (a page at a time: web.pages), in one query."""
    return list(breaches_of(community=community, sending=sending)[offset : offset + limit])


def seat_breaches_page(*, seat: DelegateSeat, limit: int, offset: int = 0) -> list[MandateBreach]:
    """A window of the seat's votes against a mandate, the latest first (web.pages), in one query."""
    found = seat.breaches.select_related("seat__membership", "mandate__proposal", "mandate__sending")
    return list(found.order_by("-recorded_at", "-pk")[offset : offset + limit])


def open_spokescouncil_proposals(*, community: Community) -> QuerySet[Proposal]:
    return assembly_selectors.proposals_of(community=community).filter(
        assembly__kind__in=RECEIVING_KINDS,
        state__in=[Proposal.State.DISCUSSION, Proposal.State.VOTING],
    )


def spokescouncil_observers(assembly: Assembly) -> QuerySet[Membership]:
    """Everyone admitted to the community may follow a spokescouncil; the delegates vote."""
    return member_selectors.members_of(community=assembly.community).exclude(
        pk__in=seated_delegates(assembly).values("pk")
    )


# --- how delegates voted (non-secret proposals only) ---------------------------------------------


def open_votes(proposal: Proposal) -> dict[int, str]:
    """membership id → vote on ``proposal``; empty for secret ballots, whose votes nobody can read."""
    if proposal.is_secret:
        return {}
    return dict(assembly_selectors.open_votes(proposal))


def position_of(vote: str) -> str:
    """The vote as a position of the decision engine (``yes`` → ``agree``...), or as given."""
    try:
        counts = count_positions([vote])
    except ValueError:
        return str(vote)
    return next(p for p in POSITIONS if counts[p])


def breaches(position: str, vote: str | None) -> bool:
    """Whether ``vote`` goes against a mandate to vote ``position``. Not voting is not a breach;
    a mandate to vote for is broken by anything but agreeing, one to vote against by anything but
    disagreeing (a block or an objection is disagreeing)."""
    if vote is None or position == Mandate.Position.FREE:
        return False
    kind = position_of(vote)
    if position == Mandate.Position.FOR:
        return kind != "agree"
    return kind not in {"disagree", "block", "object"}


def sending_assemblies(*, community: Community) -> QuerySet[Assembly]:
    """The assemblies of ``community`` that have sent delegates somewhere (spokescouncils excluded)."""
    return (
        assembly_selectors.assemblies_all(community=community)
        .exclude(kind__in=RECEIVING_KINDS)
        .filter(delegations_sent__isnull=False)
        .distinct()
    )
