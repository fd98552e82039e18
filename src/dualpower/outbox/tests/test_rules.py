"""Reading the node's mail, swept over every role, with and without a mail server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dualpower.members.tests.factories import ROLES
from dualpower.outbox.rules import PERMISSIONS

pytestmark = pytest.mark.django_db

# While the node keeps its mail in a folder; with a mail server, nobody reads it here.
ALLOWED: dict[str, set[str]] = {"outbox.read_mail": {"coordinator"}}


def test_every_permission_has_a_row_in_the_matrix() -> None:
    assert set(PERMISSIONS) == set(ALLOWED)


@pytest.mark.parametrize("role", ROLES)
def test_only_coordinators_read_the_mail_folder(
    community: Any, people: dict[str, Any], mail_folder: Path, role: str
) -> None:
    got = {perm: people[role].has_perm(perm, community) for perm in PERMISSIONS}
    assert got == {perm: role in ALLOWED[perm] for perm in PERMISSIONS}


@pytest.mark.parametrize("role", ROLES)
def test_nobody_reads_mail_when_the_node_has_a_mail_server(
    community: Any, people: dict[str, Any], settings: Any, role: str
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    assert not any(people[role].has_perm(perm, community) for perm in PERMISSIONS)


def test_a_coordinator_elsewhere_does_not_read_it_through_this_community(
    community: Any, other_community: Any, people: dict[str, Any], mail_folder: Path
) -> None:
    assert not people["coordinator"].has_perm("outbox.read_mail", other_community)


def test_a_coordinator_without_the_second_factor_the_node_requires_does_not_read_it(
    community: Any, people: dict[str, Any], mail_folder: Path, settings: Any
) -> None:
    settings.DP_REQUIRE_COORDINATOR_MFA = True
    assert not people["coordinator"].has_perm("outbox.read_mail", community)
