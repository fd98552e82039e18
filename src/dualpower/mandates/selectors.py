"""Reads about delegates and mandates: who sits where, on what instructions, and how they voted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from dualpower.assemblies.models import Assembly, Proposal
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.mandates import services, votes
from dualpower.mandates.models import DelegateSeat, Mandate, MandateBreach
from dualpower.members.models import Membership

SEATED = DelegateSeat.Status.SEATED


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


def seat_get(*, community: Community, pk: int) -> DelegateSeat:
    seat = seats_of(community=community, status=None).filter(pk=pk).first()
    if seat is None:
        raise NotFound(_("There is no delegate seat %(id)s in this community.") % {"id": pk})
    return seat


def seated_delegates(assembly: Assembly) -> QuerySet[Membership]:
    """The voters of a spokescouncil: its seated delegates who are still active members."""
    now = timezone.now()
    return Membership.objects.filter(
        Q(delegate_seats__ends_at__isnull=True) | Q(delegate_seats__ends_at__gt=now),
        community=assembly.community_id,
        status=Membership.Status.ACTIVE,
        delegate_seats__receiving=assembly,
        delegate_seats__status=SEATED,
    ).distinct()


def spokescouncils_of(*, community: Community) -> QuerySet[Assembly]:
    return Assembly.objects.filter(community=community, kind__in=services.RECEIVING_KINDS, is_archived=False)


def assembly_get(*, community: Community, slug: str) -> Assembly:
    assembly = Assembly.objects.filter(community=community, slug=slug).first()
    if assembly is None:
        raise NotFound(_("There is no assembly “%(slug)s” in this community.") % {"slug": slug})
    return assembly


def proposal_get(*, community: Community, pk: int) -> Proposal:
    proposal = (
        Proposal.objects.filter(assembly__community=community, pk=pk)
        .select_related("assembly__community", "assembly__policy")
        .first()
    )
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
    cast = votes.open_votes(proposal)
    recorded = set(MandateBreach.objects.filter(mandate__proposal=proposal).values_list("seat_id", flat=True))
    rows = []
    for seat in seats:
        mandate = in_force.get(seat.sending_id)
        raw = cast.get(seat.membership_id)
        vote = votes.position_of(raw) if raw is not None else None
        rows.append(
            MandateRow(
                seat=seat,
                mandate=mandate,
                draft=drafts.get(seat.sending_id),
                vote=vote,
                against_mandate=mandate is not None and services.breaches(mandate.position, raw),
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


def open_spokescouncil_proposals(*, community: Community) -> QuerySet[Proposal]:
    return Proposal.objects.filter(
        assembly__community=community,
        assembly__kind__in=services.RECEIVING_KINDS,
        state__in=[Proposal.State.DISCUSSION, Proposal.State.VOTING],
    ).select_related("assembly")


def spokescouncil_observers(assembly: Assembly) -> QuerySet[Membership]:
    """Everyone admitted to the community may follow a spokescouncil; the delegates vote."""
    return Membership.objects.filter(
        community=assembly.community_id, status=Membership.Status.ACTIVE
    ).exclude(pk__in=seated_delegates(assembly).values("pk"))
