"""The rules of working groups, as the services keep them."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from dualpower.groups import services
from dualpower.groups.models import GroupMembership, WorkingGroup
from dualpower.groups.tests.factories import food, put_in_group
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(people: dict[str, Any], community: Any) -> Membership:
    return membership_of(people["coordinator"], community)


@pytest.fixture
def member(people: dict[str, Any], community: Any) -> Membership:
    return membership_of(people["member"], community)


def actions(community: Any) -> list[str]:
    return list(
        AuditEntry.objects.filter(community=community).order_by("id").values_list("action", flat=True)
    )


def test_a_new_community_starts_with_the_five_template_groups(community: Any) -> None:
    slugs = set(WorkingGroup.objects.filter(community=community).values_list("slug", flat=True))
    assert slugs == {"housing", "health", "food", "education", "community-defence"}


def test_a_coordinator_starts_a_group_whose_address_comes_from_its_name(
    community: Any, coordinator: Any
) -> None:
    group = services.working_group_create(
        community=community, name="  Tenants' Union ", purpose="Organise.", is_open=False, by=coordinator
    )
    assert (group.slug, group.name, group.is_open) == ("tenants-union", "Tenants' Union", False)
    entry = AuditEntry.objects.filter(community=community).first()
    assert entry is not None
    assert (entry.action, entry.actor, entry.target_id) == ("group.create", coordinator, str(group.pk))


def test_two_groups_of_one_community_cannot_share_a_name(community: Any, coordinator: Any) -> None:
    with pytest.raises(Conflict):
        services.working_group_create(community=community, name="FOOD", by=coordinator)
    assert WorkingGroup.objects.filter(community=community, name__iexact="food").count() == 1


def test_another_community_may_use_the_same_name_and_slug(other_community: Any) -> None:
    group = services.working_group_create(community=other_community, name="Bike repair", by=None)
    assert group.slug == "bike-repair"
    assert WorkingGroup.objects.get(community=other_community, slug="food")


def test_a_taken_or_reserved_slug_gets_a_number(community: Any, coordinator: Any) -> None:
    WorkingGroup.objects.create(community=community, slug="garden", name="Old garden")
    assert (
        services.working_group_create(community=community, name="Garden", by=coordinator).slug == "garden-2"
    )
    assert services.working_group_create(community=community, name="New", by=coordinator).slug == "new-2"
    assert services.working_group_create(community=community, name="¡¿!", by=coordinator).slug == "group"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 121}, "name"),
        ({"name": None}, "name"),
        ({"purpose": "x" * 5001}, "purpose"),
        ({"is_open": "yes"}, "is_open"),
    ],
)
def test_a_bad_change_to_a_group_changes_nothing(
    community: Any, coordinator: Any, changes: Any, field: str
) -> None:
    group = food(community)
    before = len(actions(community))
    with pytest.raises(InvalidInput) as exc:
        services.working_group_update(group=group, by=coordinator, **changes)
    assert exc.value.field == field
    group.refresh_from_db()
    assert (group.name, group.is_open) == ("Food", True)
    assert len(actions(community)) == before


def test_a_group_cannot_take_the_name_of_another(community: Any, coordinator: Any) -> None:
    with pytest.raises(Conflict):
        services.working_group_update(group=food(community), by=coordinator, name="housing")


def test_renaming_a_group_keeps_its_address_and_records_before_and_after(
    community: Any, coordinator: Any
) -> None:
    group = services.working_group_update(group=food(community), by=coordinator, name="Food sovereignty")
    assert group.slug == "food"
    entry = AuditEntry.objects.filter(community=community, action="group.update").get()
    assert entry.data == {"before": {"name": "Food"}, "after": {"name": "Food sovereignty"}}


def test_deleting_a_group_with_members_ends_their_memberships_and_the_log_keeps_who_was_in_it(
    community: Any, coordinator: Any, member: Any
) -> None:
    group = food(community)
    put_in_group(group, member, convener=True)
    services.working_group_delete(group=group, by=coordinator)
    assert not WorkingGroup.objects.filter(pk=group.pk).exists()
    assert not GroupMembership.objects.filter(membership=member).exists()
    entry = AuditEntry.objects.get(community=community, action="group.delete")
    assert entry.data["members"] == [{"id": member.pk, "name": "Mara"}]


def test_joining_an_open_group_makes_you_a_member_at_once(community: Any, member: Any) -> None:
    gm = services.group_join(group=food(community), membership=member)
    assert gm.status == GroupMembership.Status.ACTIVE
    assert actions(community)[-1] == "group.join"


def test_joining_a_group_by_approval_is_a_request(community: Any, member: Any) -> None:
    group = food(community)
    group.is_open = False
    group.save()
    gm = services.group_join(group=group, membership=member)
    assert gm.status == GroupMembership.Status.PENDING
    assert actions(community)[-1] == "group.request"


def test_observers_follow_groups_but_do_not_join_them(community: Any, people: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.group_join(group=food(community), membership=membership_of(people["observer"], community))
    assert not GroupMembership.objects.exists()


def test_a_member_of_another_community_cannot_join(community: Any, people: Any, other_community: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.group_join(
            group=food(community), membership=membership_of(people["outsider"], other_community)
        )
    assert not GroupMembership.objects.exists()


def test_joining_twice_is_a_conflict(community: Any, member: Any) -> None:
    services.group_join(group=food(community), membership=member)
    with pytest.raises(Conflict):
        services.group_join(group=food(community), membership=member)
    assert GroupMembership.objects.count() == 1


def test_leaving_a_group_you_are_not_in_is_not_found(community: Any, member: Any) -> None:
    with pytest.raises(NotFound):
        services.group_leave(group=food(community), membership=member)


def test_a_member_leaves_and_it_is_recorded(community: Any, member: Any) -> None:
    put_in_group(food(community), member)
    services.group_leave(group=food(community), membership=member)
    assert not GroupMembership.objects.filter(membership=member).exists()
    assert actions(community)[-1] == "group.leave"


def test_the_last_convener_cannot_leave_without_naming_another(community: Any, member: Any) -> None:
    group = food(community)
    mine = put_in_group(group, member, convener=True)
    put_in_group(group, name="Rosa")
    with pytest.raises(Conflict) as exc:
        services.group_leave(group=group, membership=member)
    assert "convener" in exc.value.detail
    assert GroupMembership.objects.filter(pk=mine.pk, is_convener=True).exists()


def test_the_last_convener_leaves_after_naming_who_takes_over(community: Any, member: Any) -> None:
    group = food(community)
    put_in_group(group, member, convener=True)
    rosa = put_in_group(group, name="Rosa")
    services.group_leave(group=group, membership=member, new_convener=rosa)
    rosa.refresh_from_db()
    assert rosa.is_convener
    assert actions(community)[-2:] == ["group.convener_set", "group.leave"]


def test_the_successor_must_be_an_active_member_of_the_same_group(community: Any, member: Any) -> None:
    group = food(community)
    put_in_group(group, member, convener=True)
    put_in_group(group, name="Rosa")
    asking = put_in_group(group, pending=True, name="Pat")
    elsewhere = put_in_group(WorkingGroup.objects.get(community=community, slug="health"), name="Lee")
    for successor in (asking, elsewhere):
        with pytest.raises(InvalidInput):
            services.group_leave(group=group, membership=member, new_convener=successor)
    assert GroupMembership.objects.filter(membership=member).exists()


def test_a_plain_member_cannot_name_a_convener_on_the_way_out(community: Any, member: Any) -> None:
    group = food(community)
    put_in_group(group, member)
    rosa = put_in_group(group, name="Rosa")
    with pytest.raises(InvalidInput):
        services.group_leave(group=group, membership=member, new_convener=rosa)
    rosa.refresh_from_db()
    assert not rosa.is_convener
    assert GroupMembership.objects.filter(membership=member).exists()


def test_a_convener_alone_in_the_group_may_leave(community: Any, member: Any) -> None:
    put_in_group(food(community), member, convener=True)
    services.group_leave(group=food(community), membership=member)
    assert not GroupMembership.objects.exists()


def test_a_coordinator_can_remove_the_last_convener(community: Any, coordinator: Any, member: Any) -> None:
    group = food(community)
    mine = put_in_group(group, member, convener=True)
    put_in_group(group, name="Rosa")
    services.group_member_remove(group_membership=mine, by=coordinator)
    assert not GroupMembership.objects.filter(pk=mine.pk).exists()
    assert actions(community)[-1] == "group.remove_member"


def test_a_convener_removes_a_member_but_not_themselves(community: Any, member: Any) -> None:
    group = food(community)
    mine = put_in_group(group, member, convener=True)
    rosa = put_in_group(group, name="Rosa")
    with pytest.raises(InvalidInput):
        services.group_member_remove(group_membership=mine, by=member)
    services.group_member_remove(group_membership=rosa, by=member)
    assert list(GroupMembership.objects.all()) == [mine]


def test_a_convener_approves_a_request_to_join(community: Any, member: Any) -> None:
    group = food(community)
    put_in_group(group, member, convener=True)
    asking = put_in_group(group, pending=True, name="Pat")
    services.group_request_approve(group_membership=asking, by=member)
    asking.refresh_from_db()
    assert asking.status == GroupMembership.Status.ACTIVE
    assert actions(community)[-1] == "group.request_approve"


def test_a_declined_request_is_gone_and_recorded(community: Any, coordinator: Any) -> None:
    asking = put_in_group(food(community), pending=True, name="Pat")
    services.group_request_decline(group_membership=asking, by=coordinator)
    assert not GroupMembership.objects.filter(pk=asking.pk).exists()
    assert actions(community)[-1] == "group.request_decline"


def test_only_an_open_request_can_be_decided(community: Any, coordinator: Any) -> None:
    already = put_in_group(food(community), name="Pat")
    with pytest.raises(Conflict):
        services.group_request_approve(group_membership=already, by=coordinator)
    with pytest.raises(Conflict):
        services.group_request_decline(group_membership=already, by=coordinator)
    assert GroupMembership.objects.filter(pk=already.pk).exists()


def test_someone_asking_to_join_cannot_be_made_convener(community: Any, coordinator: Any) -> None:
    asking = put_in_group(food(community), pending=True, name="Pat")
    with pytest.raises(Conflict):
        services.convener_set(group_membership=asking, is_convener=True, by=coordinator)


def test_the_last_convener_steps_down_only_when_a_coordinator_decides(
    community: Any, coordinator: Any, member: Any
) -> None:
    group = food(community)
    mine = put_in_group(group, member, convener=True)
    put_in_group(group, name="Rosa")
    with pytest.raises(Conflict):
        services.convener_set(group_membership=mine, is_convener=False, by=member)
    services.convener_set(group_membership=mine, is_convener=False, by=coordinator)
    mine.refresh_from_db()
    assert not mine.is_convener
    assert actions(community)[-1] == "group.convener_unset"


def test_naming_a_second_convener_is_recorded(community: Any, member: Any) -> None:
    group = food(community)
    put_in_group(group, member, convener=True)
    rosa = put_in_group(group, name="Rosa")
    services.convener_set(group_membership=rosa, is_convener=True, by=member)
    assert GroupMembership.objects.filter(group=group, is_convener=True).count() == 2
    entry = AuditEntry.objects.filter(community=community).first()
    assert entry is not None
    assert (entry.action, entry.summary) == ("group.convener_set", "Rosa")


def test_a_former_member_cannot_join(community: Any) -> None:
    former = make_membership(community, name="Gone")
    Membership.objects.filter(pk=former.pk).update(status=Membership.Status.FORMER, user=None)
    former.refresh_from_db()
    with pytest.raises(PermissionDenied):
        services.group_join(group=food(community), membership=former)
