"""Who may see a community, its dashboard and audit log, and change its settings (stated in
members/rules.py: they are about membership)."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db

READERS = {"observer", "member", "coordinator"}
EXPECTED: dict[str, set[str]] = {
    # A public community's front page is for everyone.
    "community.view_community": set(ROLES),
    "community.view_dashboard": READERS,
    "community.view_audit": READERS,
    "community.change_community": {"coordinator"},
}


@pytest.mark.parametrize("perm", sorted(EXPECTED))
@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(people: dict[str, Any], community: Any, role: str, perm: str) -> None:
    assert people[role].has_perm(perm, community) is (role in EXPECTED[perm])


@pytest.mark.parametrize("role", ROLES)
def test_an_unlisted_community_shows_itself_only_to_its_members(
    people: dict[str, Any], community: Any, role: str
) -> None:
    community.is_public = False
    community.save()
    assert people[role].has_perm("community.view_community", community) is (role in READERS)


@pytest.mark.parametrize("role", ROLES)
def test_nobody_here_changes_another_community(
    people: dict[str, Any], other_community: Any, role: str
) -> None:
    assert not people[role].has_perm("community.change_community", other_community)
    assert people[role].has_perm("community.view_audit", other_community) is (role == "outsider")


def test_there_is_no_permission_to_edit_the_audit_log(people: dict[str, Any], community: Any) -> None:
    import rules

    assert not [
        name for name in ("community.change_audit", "community.delete_audit") if rules.perm_exists(name)
    ]
