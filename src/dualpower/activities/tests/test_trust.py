"""Trust-granted roles: vouches, the threshold, withdrawal."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.activities import services
from dualpower.activities.models import RoleGrant, SignUp, Vouch
from dualpower.activities.tests.factories import SeriesFactory, first_activity, slot_of
from dualpower.community.models import AuditEntry
from dualpower.errors import Conflict, InvalidInput, PermissionDenied
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def role(community: Any) -> Any:
    return services.trust_role_create(community=community, name="Accompanier", threshold=2, by=None)


def test_the_role_is_granted_at_the_threshold_and_records_who_vouched(
    community: Any, people: Any, role: Any
) -> None:
    me = membership_of(people["member"], community)
    a, b = make_membership(community, name="A"), make_membership(community, name="B")
    services.vouch_give(role=role, voucher=a, vouchee=me)
    assert not RoleGrant.objects.exists()
    services.vouch_give(role=role, voucher=b, vouchee=me)
    assert RoleGrant.objects.filter(role=role, membership=me).exists()
    grant = AuditEntry.objects.get(action="activities.role_grant")
    assert [v["name"] for v in grant.data["vouched_by"]] == ["A", "B"]


def test_one_cannot_vouch_for_oneself_or_twice(community: Any, people: Any, role: Any) -> None:
    me = membership_of(people["member"], community)
    other = make_membership(community)
    with pytest.raises(InvalidInput):
        services.vouch_give(role=role, voucher=me, vouchee=me)
    services.vouch_give(role=role, voucher=me, vouchee=other)
    with pytest.raises(Conflict):
        services.vouch_give(role=role, voucher=me, vouchee=other)
    assert Vouch.objects.count() == 1


def test_observers_neither_vouch_nor_are_vouched_for(community: Any, people: Any, role: Any) -> None:
    observer = membership_of(people["observer"], community)
    member = membership_of(people["member"], community)
    with pytest.raises(PermissionDenied):
        services.vouch_give(role=role, voucher=observer, vouchee=member)
    with pytest.raises(PermissionDenied):
        services.vouch_give(role=role, voucher=member, vouchee=observer)
    assert not Vouch.objects.exists()


def test_no_vouching_across_communities(community: Any, other_community: Any, people: Any, role: Any) -> None:
    with pytest.raises(PermissionDenied):
        services.vouch_give(
            role=role,
            voucher=membership_of(people["outsider"], other_community),
            vouchee=make_membership(community),
        )


def test_withdrawing_below_the_threshold_takes_the_role_and_its_places_back(
    community: Any, people: Any, role: Any
) -> None:
    me = membership_of(people["member"], community)
    a, b = make_membership(community), make_membership(community)
    services.vouch_give(role=role, voucher=a, vouchee=me)
    services.vouch_give(role=role, voucher=b, vouchee=me)
    series = SeriesFactory.create(community=community, slots=[("Accompaniers", 2, role)])
    slot = slot_of(first_activity(series), "Accompaniers")
    services.slot_sign_up(slot=slot, membership=me)
    services.vouch_withdraw(role=role, voucher=a, vouchee=me)
    assert not RoleGrant.objects.filter(membership=me).exists()
    assert not SignUp.objects.filter(membership=me).exists()
    assert slot_of(first_activity(series), "Accompaniers").taken == 0
    assert AuditEntry.objects.get(action="activities.role_revoke").data["places_released"] == 1


def test_lowering_the_threshold_grants_at_once(community: Any, people: Any, role: Any) -> None:
    me = membership_of(people["member"], community)
    services.vouch_give(role=role, voucher=make_membership(community), vouchee=me)
    services.trust_role_update(role=role, by=None, threshold=1)
    assert RoleGrant.objects.filter(membership=me).exists()


@pytest.mark.parametrize("threshold", [0, -1, 51, "two", True])
def test_a_threshold_is_a_sensible_whole_number(community: Any, role: Any, threshold: Any) -> None:
    with pytest.raises(InvalidInput):
        services.trust_role_update(role=role, by=None, threshold=threshold)
    role.refresh_from_db()
    assert role.threshold == 2


def test_two_roles_cannot_share_a_name(community: Any, role: Any) -> None:
    with pytest.raises(Conflict):
        services.trust_role_create(community=community, name="accompanier", by=None)
