"""Build working groups and their members for tests."""

from __future__ import annotations

from dualpower.community.models import Community
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership


def food(community: Community) -> WorkingGroup:
    """Every community starts with the food group from the templates."""
    return WorkingGroup.objects.get(community=community, slug="food")


def put_in_group(
    group: WorkingGroup,
    membership: Membership | None = None,
    *,
    convener: bool = False,
    pending: bool = False,
    name: str = "",
) -> GroupMembership:
    membership = membership or make_membership(group.community, name=name)
    return GroupMembership.objects.create(
        group=group,
        membership=membership,
        is_convener=convener,
        status=GroupMembership.Status.PENDING if pending else GroupMembership.Status.ACTIVE,
    )


def membership_of(user: object, community: Community) -> Membership:
    return Membership.objects.get(user=user, community=community)
