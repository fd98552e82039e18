"""Who may read the node's federation identity (actors, collections, WebFinger, NodeInfo), swept
over every role: everyone, for a listed community and an unlisted one alike (the documents say no
more than the community's public page; test_discovery.py checks what they say)."""

from __future__ import annotations

from typing import Any

import pytest

from dualpower.federation.rules import IDENTITY_PERMISSIONS
from dualpower.members.tests.factories import ROLES

pytestmark = pytest.mark.django_db

ALLOWED: dict[str, set[str]] = {
    "federation.view_actor": set(ROLES),
    "federation.view_node": set(ROLES),
}


def test_every_identity_permission_has_a_row_in_the_matrix() -> None:
    assert set(IDENTITY_PERMISSIONS) == set(ALLOWED)


@pytest.mark.parametrize("listed", [True, False])
@pytest.mark.parametrize("role", ROLES)
def test_everyone_reads_the_identity_documents(
    community: Any, people: dict[str, Any], role: str, listed: bool
) -> None:
    community.is_public = listed
    community.save()
    got = {perm: people[role].has_perm(perm, community) for perm in IDENTITY_PERMISSIONS}
    assert got == {perm: role in ALLOWED[perm] for perm in IDENTITY_PERMISSIONS}
