"""Build working groups and their members for tests (factory_boy)."""

from __future__ import annotations

from typing import Any

import factory
from factory.django import DjangoModelFactory

from dualpower.community.models import Community
from dualpower.groups import services
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.members.models import Membership
from dualpower.members.tests.factories import CommunityFactory, MembershipFactory


class WorkingGroupFactory(DjangoModelFactory[WorkingGroup]):
    """A group started through ``working_group_create`` (free slug, audit entry)."""

    class Meta:
        model = WorkingGroup

    community = factory.SubFactory(CommunityFactory)
    name = factory.Sequence(lambda n: f"Working group {n}")
    purpose = ""
    is_open = True

    @classmethod
    def _create(cls, model_class: type[WorkingGroup], *args: Any, **kwargs: Any) -> WorkingGroup:
        return services.working_group_create(by=None, **kwargs)


class GroupMembershipFactory(DjangoModelFactory[GroupMembership]):
    """A person in a group: active unless ``pending=True``; ``convener=True`` convenes it."""

    class Meta:
        model = GroupMembership

    class Params:
        convener = False
        pending = False

    group = factory.SubFactory(WorkingGroupFactory)
    membership = factory.SubFactory(MembershipFactory, community=factory.SelfAttribute("..group.community"))
    is_convener = factory.SelfAttribute("convener")
    status = factory.LazyAttribute(
        lambda o: GroupMembership.Status.PENDING if o.pending else GroupMembership.Status.ACTIVE
    )


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
    """The old name, a thin wrapper over GroupMembershipFactory (about sixty tests call it)."""
    extra: dict[str, Any] = {"membership": membership} if membership else {}
    if name and not membership:
        extra["membership__display_name"] = name
    return GroupMembershipFactory.create(group=group, convener=convener, pending=pending, **extra)
