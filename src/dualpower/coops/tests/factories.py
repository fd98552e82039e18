"""Build co-ops for tests: a co-op with a board member and members, capital already subscribed."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from dualpower.coops import services
from dualpower.coops.models import CapitalOperation, Cooperative, CoopMember
from dualpower.members.models import Membership
from dualpower.members.tests.factories import CommunityFactory, MembershipFactory


class CooperativeFactory(DjangoModelFactory[Cooperative]):
    """A worker co-op made by ``coop_create``; its ``founder`` (a new member of ``community``
    unless given) sits on the board. Other keyword arguments are bylaws."""

    class Meta:
        model = Cooperative

    community = factory.SubFactory(CommunityFactory)
    founder = factory.LazyAttribute(lambda o: MembershipFactory.create(community=o.community))
    by = factory.SelfAttribute("founder")
    name = "Bread & Roses Bakery"
    kind = "worker"

    @classmethod
    def _create(cls, model_class: type[Cooperative], *args: Any, **kwargs: Any) -> Cooperative:
        return services.coop_create(**kwargs)


class CoopMemberFactory(DjangoModelFactory[CoopMember]):
    """A member of ``coop``: joined through ``coop_join`` and approved by its board."""

    class Meta:
        model = CoopMember

    coop = factory.SubFactory(CooperativeFactory)
    membership = factory.LazyAttribute(lambda o: MembershipFactory.create(community=o.coop.community))

    @classmethod
    def _create(cls, model_class: type[CoopMember], *args: Any, **kwargs: Any) -> CoopMember:
        place = services.coop_join(**kwargs)
        return services.coop_request_approve(place=place, by=board_of(kwargs["coop"]))


def board_of(coop: Cooperative) -> Membership:
    return CoopMember.objects.filter(coop=coop, role=CoopMember.Role.BOARD).first().membership  # type: ignore[union-attr]


def subscribe(coop: Cooperative, place: CoopMember, shares: int) -> CapitalOperation:
    """A subscription drafted, approved and done."""
    board = board_of(coop)
    op = services.capital_operation_create(
        coop=coop, kind="subscription", member=place, shares=shares, by=board
    )
    services.capital_operation_approve(operation=op, by=board)
    return services.capital_operation_complete(operation=op, by=board)
