"""Build co-ops for tests: a co-op with a board member and members, capital already subscribed."""

from __future__ import annotations

from typing import Any

from dualpower.community.models import Community
from dualpower.coops import capital, services
from dualpower.coops.models import CapitalOperation, Cooperative, CoopMember
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership


def membership_of(user: Any, community: Community) -> Membership:
    return Membership.objects.get(user=user, community=community)


def make_coop(
    community: Community, *, founder: Membership, name: str = "Bread & Roses Bakery", **bylaws: Any
) -> Cooperative:
    return services.coop_create(
        community=community,
        name=name,
        kind=bylaws.pop("kind", "worker"),
        founder=founder,
        by=founder,
        **bylaws,
    )


def board_of(coop: Cooperative) -> Membership:
    return CoopMember.objects.filter(coop=coop, role=CoopMember.Role.BOARD).first().membership  # type: ignore[union-attr]


def add_member(coop: Cooperative, membership: Membership | None = None, *, name: str = "") -> CoopMember:
    membership = membership or make_membership(coop.community, name=name)
    place = services.coop_join(coop=coop, membership=membership)
    return services.coop_request_approve(place=place, by=board_of(coop))


def subscribe(coop: Cooperative, place: CoopMember, shares: int) -> CapitalOperation:
    """A subscription drafted, approved and done."""
    board = board_of(coop)
    op = capital.capital_operation_create(
        coop=coop, kind="subscription", member=place, shares=shares, by=board
    )
    capital.capital_operation_approve(operation=op, by=board)
    return capital.capital_operation_complete(operation=op, by=board)
