"""The roll's counts the database keeps (members.RollCount, migration 0007), on both databases:
after each way a membership is added, changed or removed — through the services, in bulk, or past
the code — the counts equal the roll counted row by row."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count

from dualpower.members import selectors
from dualpower.members.models import Membership, RollCount
from dualpower.members.services import account_delete, role_change
from dualpower.members.tests.factories import make_membership
from dualpower.ops.triggers import insert_triggers

pytestmark = [pytest.mark.django_db, pytest.mark.db_sensitive]


def counted() -> dict[tuple[int, str, str], int]:
    """The roll, counted row by row."""
    rows = Membership.objects.values("community_id", "role", "status").annotate(n=Count("id")).order_by()
    return {(r["community_id"], r["role"], r["status"]): r["n"] for r in rows}


def kept() -> dict[tuple[int, str, str], int]:
    """The counts the database keeps (rows at 0 are a role no one holds any more)."""
    rows = RollCount.objects.exclude(people=0).values_list("community_id", "role", "status", "people")
    return {(c, role, status): n for c, role, status, n in rows}


def test_joining_changing_role_and_leaving_move_the_counts(community: Any, people: dict[str, Any]) -> None:
    assert kept() == counted()
    before = selectors.people_counted(community_id=community.pk)
    newcomer = make_membership(community, name="Newcomer")
    assert selectors.people_counted(community_id=community.pk) == before + 1
    voters = selectors.people_counted(community_id=community.pk, roles=["member", "coordinator"])
    role_change(
        membership=newcomer,
        role=Membership.Role.OBSERVER,
        by=people["coordinator"],
        reason="Observes for now",
    )
    assert selectors.people_counted(community_id=community.pk, roles=["member", "coordinator"]) == voters - 1
    assert kept() == counted()
    leaving = newcomer.user
    assert leaving is not None
    account_delete(user=leaving, confirm_email=leaving.email)
    assert selectors.people_counted(community_id=community.pk) == before
    assert selectors.member_count(community=community) == before
    assert kept() == counted()


def test_many_rows_in_one_statement_and_rows_written_past_the_code(
    community: Any, other_community: Any
) -> None:
    made = [make_membership(community, name=f"Bulk {i}") for i in range(6)]
    ids = [m.pk for m in made]
    Membership.objects.filter(pk__in=ids[:4]).update(role=Membership.Role.COORDINATOR)
    Membership.objects.filter(pk__in=ids[4:]).update(display_name="Renamed")  # moves no count
    assert kept() == counted()
    # A change of several rows across roles in one statement.
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE members_membership SET role = CASE WHEN role = 'coordinator' THEN 'observer' "
            "ELSE 'coordinator' END WHERE id IN (%s, %s, %s, %s, %s)",
            ids[1:6],
        )
    assert kept() == counted()
    Membership.objects.filter(pk__in=ids[:3]).update(community=other_community)
    assert kept() == counted()
    Membership.objects.filter(pk__in=ids).delete()
    assert kept() == counted()


def test_a_count_never_falls_below_nothing(community: Any, people: dict[str, Any]) -> None:
    row = RollCount.objects.get(community=community, role="member", status="active")
    with pytest.raises(IntegrityError), transaction.atomic():
        RollCount.objects.filter(pk=row.pk).update(people=-1)


def test_a_restore_holds_the_insert_trigger_off() -> None:
    assert "members_roll_joined" in {t.name for t in insert_triggers()}


@pytest.mark.django_db(transaction=True)
def test_the_migration_counts_the_roll_of_an_existing_database(
    community: Any, people: dict[str, Any]
) -> None:
    make_membership(community, role=Membership.Role.OBSERVER, name="Watcher")
    expected = counted()
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([("members", "0006_sessions_generation")])
    with connection.cursor() as cursor:
        assert "members_rollcount" not in connection.introspection.table_names(cursor)
    executor.loader.build_graph()
    executor.migrate(leaves)
    assert kept() == expected
