"""Reads about working groups."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.members.models import Membership
from dualpower.web.prepared import Prepared

ACTIVE = GroupMembership.Status.ACTIVE
PENDING = GroupMembership.Status.PENDING


def groups_of(*, community: Community) -> QuerySet[WorkingGroup]:
    """The community's groups, each with ``member_count`` and ``request_count``."""
    return WorkingGroup.objects.filter(community=community).annotate(
        member_count=Count("group_memberships", filter=Q(group_memberships__status=ACTIVE)),
        request_count=Count("group_memberships", filter=Q(group_memberships__status=PENDING)),
    )


def groups_page(*, community: Community, limit: int, offset: int = 0) -> list[WorkingGroup]:
    """A window of ``groups_of`` by name (the groups page, a page at a time: web.pages); two groups
    of one name keep one order, so none is shown twice or skipped between pages."""
    return list(groups_of(community=community).order_by("name", "id")[offset : offset + limit])


def group_count(*, community: Community) -> int:
    return WorkingGroup.objects.filter(community=community).count()


def group_get(*, community: Community, slug: str) -> WorkingGroup:
    """One group of this community, by its slug; another community's group is not found here."""
    group = groups_of(community=community).filter(slug=slug).select_related("community").first()
    if group is None:
        raise NotFound(
            _("%(community)s has no working group “%(slug)s”.") % {"community": community.name, "slug": slug}
        )
    return group


def group_membership_get(*, group: WorkingGroup, pk: int) -> GroupMembership:
    gm = (
        GroupMembership.objects.filter(group=group, pk=pk)
        .select_related("membership", "group__community")
        .first()
    )
    if gm is None:
        raise NotFound(
            _("Nobody with id %(id)s is in or asking to join %(group)s.") % {"id": pk, "group": group.name}
        )
    return gm


def group_membership_of(*, group: WorkingGroup, membership: Membership | None) -> GroupMembership | None:
    if membership is None:
        return None
    return GroupMembership.objects.filter(group=group, membership=membership).first()


def my_group_memberships(*, membership: Membership | None) -> dict[int, GroupMembership]:
    """My place in each group of my community, keyed by group id (for lists of buttons)."""
    if membership is None:
        return {}
    return {gm.group_id: gm for gm in GroupMembership.objects.filter(membership=membership)}


def group_members(*, group: WorkingGroup, status: str = ACTIVE) -> QuerySet[GroupMembership]:
    """Conveners first, then in the order they joined."""
    return GroupMembership.objects.filter(group=group, status=status).select_related("membership")


def active_members_of_group(*, group_id: int) -> QuerySet[GroupMembership]:
    """A group's active members by the group's id (an app that keeps the id of its group)."""
    return GroupMembership.objects.filter(group_id=group_id, status=ACTIVE).select_related("membership")


def group_conveners(*, group: WorkingGroup) -> QuerySet[GroupMembership]:
    return group_members(group=group).filter(is_convener=True)


def groups_for_member(*, membership: Membership) -> QuerySet[GroupMembership]:
    return (
        GroupMembership.objects.filter(membership=membership).select_related("group").order_by("group__name")
    )


def requests_i_decide(*, membership: Membership) -> QuerySet[GroupMembership]:
    """Requests to join waiting for me: in groups I convene; coordinators also groups with no convener."""
    convened = GroupMembership.objects.filter(membership=membership, is_convener=True).values("group_id")
    scope = Q(group_id__in=convened)
    if membership.role == Membership.Role.COORDINATOR:
        scope |= Q(group__community_id=membership.community_id) & ~Q(
            group__group_memberships__is_convener=True
        )
    return (
        GroupMembership.objects.filter(scope, status=PENDING)
        .select_related("group", "membership")
        .distinct()
        .order_by("joined_at")
    )


def convened_group_ids(*, membership: Membership | None) -> set[int]:
    """Ids of the groups ``membership`` actively convenes (none for nobody)."""
    if membership is None:
        return set()
    return {row.group_id for row in _convened(membership=membership.pk)}


# Asked by permission checks on every visit of some pages (may this person add a series?): its SQL
# written once per process, its rows kept while nothing is written (web/prepared.py).
_convened = Prepared(
    lambda membership: GroupMembership.objects.filter(
        membership_id=membership, is_convener=True, status=ACTIVE
    ).only("group_id"),
    membership=int,
)


def is_active_in_group(*, group_id: int, membership: Membership) -> bool:
    """Whether ``membership`` is an active member (convener or not) of the group ``group_id``."""
    return GroupMembership.objects.filter(group_id=group_id, membership=membership, status=ACTIVE).exists()
