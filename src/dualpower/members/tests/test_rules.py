"""Who may do what with people: every role against every permission of the members app."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from dualpower.community.models import Community
from dualpower.members.models import Application, Membership
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db

Y, N = True, False
# perm → (object it is checked on, expected for anonymous, applicant, observer, member, coordinator, outsider)
MATRIX: dict[str, tuple[str, tuple[bool, ...]]] = {
    "members.list_members": ("community", (N, N, Y, Y, Y, N)),
    "members.view_member": ("community", (N, N, Y, Y, Y, N)),
    # Mara (the member) lets coordinators see her contact details: she and coordinators see them.
    "members.view_contact": ("mara", (N, N, N, Y, Y, N)),
    "members.apply": ("community", (N, Y, N, N, N, Y)),
    "members.withdraw_application": ("application", (N, Y, N, N, N, N)),
    "members.change_own_profile": ("community", (N, N, Y, Y, Y, N)),
    "members.list_applications": ("community", (N, N, N, N, Y, N)),
    "members.decide_application": ("application", (N, N, N, N, Y, N)),
    "members.give_trust": ("application", (N, N, N, N, N, N)),
    "members.change_role": ("community", (N, N, N, N, Y, N)),
    "members.manage_invitations": ("community", (N, N, N, N, Y, N)),
    # Anyone not yet admitted may take up an invitation link (signed in or not).
    "members.use_invitation": ("community", (Y, Y, N, N, N, Y)),
}
# In a community where members admit by trust, members see applications and give trust.
TRUST_MATRIX: dict[str, tuple[str, tuple[bool, ...]]] = {
    "members.list_applications": ("community", (N, N, N, Y, Y, N)),
    "members.give_trust": ("application", (N, N, N, Y, Y, N)),
    "members.decide_application": ("application", (N, N, N, N, Y, N)),
}
COORDINATOR_ACTIONS = ["members.list_applications", "members.decide_application", "members.change_role"]


def target(name: str, community: Community, people: dict[str, Any]) -> Any:
    if name == "community":
        return community
    if name == "application":
        return Application.objects.get(user=people["applicant"], community=community)
    mara = Membership.objects.get(user=people["member"], community=community)
    mara.contact, mara.contact_visibility = "mara@example.org", Membership.Visibility.COORDINATORS
    mara.save()
    return mara


def test_the_matrix_covers_every_members_permission() -> None:
    import rules

    perms = {name for name in rules.permissions.permissions if name.startswith("members.")}
    assert perms == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(MATRIX))
def test_permission_matrix(perm: str, role: str, community: Community, people: dict[str, Any]) -> None:
    obj_name, expected = MATRIX[perm]
    obj = target(obj_name, community, people)
    assert people[role].has_perm(perm, obj) is expected[ROLES.index(role)]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(TRUST_MATRIX))
def test_permission_matrix_where_members_admit_by_trust(
    perm: str, role: str, community: Community, people: dict[str, Any]
) -> None:
    Community.objects.filter(pk=community.pk).update(admission=Community.Admission.TRUST)
    community.refresh_from_db()
    obj_name, expected = TRUST_MATRIX[perm]
    obj = target(obj_name, community, people)
    obj = community if obj_name == "community" else Application.objects.get(pk=obj.pk)
    assert people[role].has_perm(perm, obj) is expected[ROLES.index(role)]


@pytest.mark.parametrize("perm", COORDINATOR_ACTIONS)
def test_a_coordinator_without_totp_cannot_act_when_the_node_requires_it(
    perm: str, community: Community, people: dict[str, Any], settings: Any
) -> None:
    settings.DP_REQUIRE_COORDINATOR_MFA = True
    obj = target(MATRIX[perm][0], community, people)
    coordinator = people["coordinator"]
    assert not coordinator.has_perm(perm, obj)
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    coordinator.__dict__.pop("_dp_has_totp", None)
    assert coordinator.has_perm(perm, obj)


@pytest.mark.parametrize(
    ("visibility", "expected"),
    [
        # viewer:            observer, member (self), coordinator, outsider
        ("nobody", (N, Y, N, N)),
        ("coordinators", (N, Y, Y, N)),
        ("members", (Y, Y, Y, N)),
    ],
)
def test_contact_details_are_seen_only_by_whom_the_member_allows(
    visibility: str, expected: tuple[bool, ...], community: Community, people: dict[str, Any]
) -> None:
    from dualpower.members.selectors import profile_for

    mara = Membership.objects.get(user=people["member"], community=community)
    mara.contact, mara.contact_visibility = "+34 600 000 000", visibility
    mara.save()
    for viewer, sees in zip(("observer", "member", "coordinator", "outsider"), expected, strict=True):
        profile = profile_for(viewer=people[viewer], membership=mara)
        assert (profile.contact == "+34 600 000 000") is sees, viewer
