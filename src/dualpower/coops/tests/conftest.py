"""Co-op fixtures: the community's roles plus a co-op member and a co-op board member."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import connection

from dualpower.community.tests.audit_flush import audit_log_emptied_after, empty_audit_log  # noqa: F401
from dualpower.coops.models import Cooperative, CoopMember
from dualpower.coops.tests.factories import CooperativeFactory, CoopMemberFactory
from dualpower.members.tests.factories import ROLES, make_membership

COOP_ROLES = (*ROLES, "coop_member", "coop_board")


@pytest.fixture
def coop_people(people: dict[str, Any], community: Any) -> dict[str, Any]:
    """``people`` plus ``coop_board`` (founder, on the board) and ``coop_member``, both community members."""
    board = make_membership(community, name="Bea")
    member = make_membership(community, name="Kofi")
    return {**people, "coop_board": board.user, "coop_member": member.user}


@pytest.fixture
def coop(coop_people: dict[str, Any], community: Any) -> Cooperative:
    board = coop_people["coop_board"].memberships.get(community=community)
    coop = CooperativeFactory.create(
        community=community, founder=board, share_price=2500, min_shares=1, max_shares=10
    )
    CoopMemberFactory.create(
        coop=coop, membership=coop_people["coop_member"].memberships.get(community=community)
    )
    return coop


@pytest.fixture
def coop_client(client: Any, coop_people: dict[str, Any]) -> Any:
    def make(role: str) -> Any:
        client.logout()
        if role != "anonymous":
            client.force_login(coop_people[role])
        return client

    return make


def place(coop: Cooperative, user: Any) -> CoopMember:
    return CoopMember.objects.get(coop=coop, membership__user=user)


@pytest.fixture
def register_emptied_after(transactional_db: None) -> Iterator[None]:
    """Transactional tests end by emptying every table; the register's triggers refuse DELETE on
    SQLite, so lift them briefly (PostgreSQL empties with TRUNCATE, which they do not see)."""
    yield
    if connection.vendor == "sqlite":
        import importlib

        migration = importlib.import_module("dualpower.coops.migrations.0002_register_append_only")
        with connection.cursor() as cursor:
            for sql in migration.SQLITE_DOWN:
                cursor.execute(sql)
            cursor.execute("DELETE FROM coops_capitalentry")
            for sql in migration.SQLITE_UP:
                cursor.execute(sql)
    empty_audit_log()
