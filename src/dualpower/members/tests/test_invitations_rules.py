"""Who may do what with invitation links: every role against each permission."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.mfa.models import Authenticator

from dualpower.community.models import Community
from dualpower.members.invitation_models import Invitation
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db

Y, N = True, False
# perm → expected for anonymous, applicant, observer, member, coordinator, outsider.
MATRIX: dict[str, tuple[bool, ...]] = {
    "members.manage_invitations": (N, N, N, N, Y, N),
    # Anyone not admitted yet may use a link (signed in or not); members are already in.
    "members.use_invitation": (Y, Y, N, N, N, Y),
}


@pytest.fixture
def invitation(community: Community) -> Invitation:
    return Invitation.objects.create(community=community, token="t0ken")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("perm", sorted(MATRIX))
def test_permission_matrix(perm: str, role: str, invitation: Invitation, people: dict[str, Any]) -> None:
    obj = invitation if perm == "members.use_invitation" else invitation.community
    assert people[role].has_perm(perm, obj) is MATRIX[perm][ROLES.index(role)]


def test_a_coordinator_without_totp_cannot_manage_links_when_the_node_requires_it(
    community: Community, people: dict[str, Any], settings: Any
) -> None:
    settings.DP_REQUIRE_COORDINATOR_MFA = True
    coordinator = people["coordinator"]
    assert not coordinator.has_perm("members.manage_invitations", community)
    Authenticator.objects.create(user=coordinator, type=Authenticator.Type.TOTP, data={"secret": "x"})
    coordinator.__dict__.pop("_dp_has_totp", None)
    assert coordinator.has_perm("members.manage_invitations", community)
