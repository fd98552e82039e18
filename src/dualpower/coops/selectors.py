"""Reads about co-ops: the registry, members, and capital computed from the register."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, FilteredRelation, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from dualpower.community.models import Community
from dualpower.coops.models import (
    CapitalEntry,
    CapitalOperation,
    Cooperative,
    CoopMember,
    PatronageAllocation,
)
from dualpower.errors import NotFound
from dualpower.ledger.models import Account
from dualpower.ledger.selectors import open_accounts_of_owner
from dualpower.members.models import Membership
from dualpower.members.selectors import members_of
from dualpower.web.prepared import Prepared

MEMBER = CoopMember.Status.MEMBER
# The board before the other members (the model's own order, by role code, put it last).
BOARD_FIRST = Case(When(role=CoopMember.Role.BOARD, then=Value(0)), default=Value(1))


def coops_of(*, community: Community) -> QuerySet[Cooperative]:
    """The community's co-ops, each with ``member_count``."""
    return Cooperative.objects.filter(community=community).annotate(
        member_count=Count("coop_members", filter=Q(coop_members__status=MEMBER))
    )


_coop_by_slug = Prepared(
    lambda community, slug: (
        Cooperative.objects.filter(community_id=community, slug=slug)
        .select_related("assembly")
        .annotate(
            member_count=Coalesce(
                Subquery(
                    CoopMember.objects.filter(coop=OuterRef("pk"), status=MEMBER)
                    .values("coop")
                    .annotate(n=Count("id"))
                    .values("n")
                ),
                0,
            )
        )
    ),
    community=int,
    slug=str,
)


def coop_get(*, community: Community, slug: str) -> Cooperative:
    """The co-op ``slug`` of ``community`` (its SQL written once per process), with its assembly
    and ``member_count``; its community is ``community`` itself, not read again."""
    found = _coop_by_slug(community=community.pk, slug=slug)
    if not found:
        raise NotFound(
            _("%(community)s has no co-op “%(slug)s”.") % {"community": community.name, "slug": slug}
        )
    coop = found[0]
    coop.community = community
    return coop


# The co-op's page: the co-op and the visitor's place in it (pending, member or left), in one query.
_coop_and_place = Prepared(
    lambda community, slug, membership: (
        Cooperative.objects.filter(community_id=community, slug=slug)
        .annotate(mine=FilteredRelation("coop_members", condition=Q(coop_members__membership_id=membership)))
        .select_related("assembly", "mine")  # type: ignore[misc]  # the stubs know no FilteredRelation
    ),
    community=int,
    slug=str,
    membership=int,
)


def coop_and_place_get(
    *, community: Community, slug: str, membership: Membership
) -> tuple[Cooperative, CoopMember | None]:
    """The co-op ``slug`` of ``community`` with its assembly (as ``coop_get``, without
    ``member_count``) and ``membership``'s place in it or None, read together."""
    found = _coop_and_place(community=community.pk, slug=slug, membership=membership.pk)
    if not found:
        raise NotFound(
            _("%(community)s has no co-op “%(slug)s”.") % {"community": community.name, "slug": slug}
        )
    coop = found[0]
    coop.community = community
    place: CoopMember | None = getattr(coop, "mine", None)
    return coop, place


def coop_member_get(*, coop: Cooperative, pk: int) -> CoopMember:
    place = (
        CoopMember.objects.filter(coop=coop, pk=pk).select_related("membership", "coop__community").first()
    )
    if place is None:
        raise NotFound(_("Nobody with id %(id)s is in %(coop)s.") % {"id": pk, "coop": coop.name})
    return place


def place_of(*, coop: Cooperative, membership: Membership | None) -> CoopMember | None:
    """My place in the co-op (pending, member or left), or None."""
    if membership is None:
        return None
    return CoopMember.objects.filter(coop=coop, membership=membership).first()


def coop_members(*, coop: Cooperative, status: str = MEMBER) -> QuerySet[CoopMember]:
    """The co-op's people of ``status``: its members board first, then by name; those asking to
    join (or who left) in the order they asked."""
    found = CoopMember.objects.filter(coop=coop, status=status).select_related("membership")
    if status == MEMBER:
        return found.order_by(BOARD_FIRST.asc(), "membership__display_name", "id")
    return found


def coops_page(*, community: Community, limit: int, offset: int = 0) -> list[Cooperative]:
    """A window of ``coops_of`` by name (the co-ops page, a page at a time: web.pages); two co-ops
    of one name keep one order, so none is shown twice or skipped between pages."""
    return list(coops_of(community=community).order_by("name", "id")[offset : offset + limit])


def coop_members_page(
    *, coop: Cooperative, limit: int, offset: int = 0, status: str = MEMBER
) -> list[CoopMember]:
    """A window of ``coop_members`` (the co-op's page, a page at a time: web.pages)."""
    return list(coop_members(coop=coop, status=status)[offset : offset + limit])


def coop_voters(*, coop: Cooperative) -> QuerySet[Membership]:
    """The co-op's assembly: its current members, one member one vote."""
    return members_of(community=coop.community).filter(coop_places__coop=coop, coop_places__status=MEMBER)


def operation_get(*, coop: Cooperative, pk: int) -> CapitalOperation:
    op = (
        CapitalOperation.objects.filter(coop=coop, pk=pk)
        .select_related("coop__community", "member__membership", "to_member__membership")
        .first()
    )
    if op is None:
        raise NotFound(_("%(coop)s has no capital operation %(id)s.") % {"coop": coop.name, "id": pk})
    return op


def operations_of(*, coop: Cooperative, member: CoopMember | None = None) -> QuerySet[CapitalOperation]:
    ops = CapitalOperation.objects.filter(coop=coop).select_related(
        "member__membership", "to_member__membership"
    )
    if member is not None:
        ops = ops.filter(Q(member=member) | Q(to_member=member))
    return ops


@dataclass(frozen=True)
class Capital:
    member: CoopMember
    shares: int
    amount: int  # cents: shares at the price paid, plus retained patronage


def capital_of(*, coop: Cooperative) -> list[Capital]:
    """Each member's (and former member's) capital, computed from the register alone."""
    sums: dict[int, Mapping[str, Any]] = {
        row["member"]: row
        for row in CapitalEntry.objects.filter(coop=coop)
        .values("member")
        .annotate(shares=Sum("shares"), amount=Sum("amount"))
    }
    places = CoopMember.objects.filter(coop=coop).exclude(status=CoopMember.Status.PENDING)
    return [
        Capital(
            member=p,
            shares=sums.get(p.pk, {}).get("shares") or 0,
            amount=sums.get(p.pk, {}).get("amount") or 0,
        )
        for p in places.select_related("membership")
    ]


def capital_for(*, member: CoopMember) -> Capital:
    row = CapitalEntry.objects.filter(member=member).aggregate(shares=Sum("shares"), amount=Sum("amount"))
    return Capital(member=member, shares=row["shares"] or 0, amount=row["amount"] or 0)


def register_of(*, coop: Cooperative, member: CoopMember | None = None) -> QuerySet[CapitalEntry]:
    entries = CapitalEntry.objects.filter(coop=coop).select_related("member__membership", "operation")
    if member is not None:
        entries = entries.filter(member=member)
    return entries


def coop_totals(*, coop: Cooperative) -> dict[str, int]:
    row = CapitalEntry.objects.filter(coop=coop).aggregate(shares=Sum("shares"), amount=Sum("amount"))
    return {"shares": row["shares"] or 0, "amount": row["amount"] or 0}


def allocation_get(*, coop: Cooperative, pk: int) -> PatronageAllocation:
    allocation = (
        PatronageAllocation.objects.filter(coop=coop, pk=pk).select_related("coop__community").first()
    )
    if allocation is None:
        raise NotFound(_("%(coop)s has no patronage allocation %(id)s.") % {"coop": coop.name, "id": pk})
    return allocation


def allocations_of(*, coop: Cooperative) -> QuerySet[PatronageAllocation]:
    return PatronageAllocation.objects.filter(coop=coop)


def coops_for_member(*, membership: Membership) -> QuerySet[CoopMember]:
    return (
        CoopMember.objects.filter(membership=membership)
        .exclude(status=CoopMember.Status.LEFT)
        .select_related("coop")
    )


def operations_to_decide(*, membership: Membership) -> QuerySet[CapitalOperation]:
    """Operations waiting for a board I sit on."""
    boards = CoopMember.objects.filter(membership=membership, role=CoopMember.Role.BOARD, status=MEMBER)
    return CapitalOperation.objects.filter(
        coop_id__in=boards.values("coop_id"),
        status__in=[CapitalOperation.Status.DRAFT, CapitalOperation.Status.APPROVED],
    ).select_related("coop", "member__membership")


def ledger_accounts(*, coop: Cooperative) -> list[Account]:
    """The co-op's open accounts in the community's currencies."""
    return open_accounts_of_owner(
        community=coop.community, owner_kind=Account.OwnerKind.COOPERATIVE, owner_id=coop.pk
    )
