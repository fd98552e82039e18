"""Who votes where: ``bodies.voting_in`` (many assemblies at once) agrees with ``bodies.is_voter``."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dualpower.assemblies import bodies, services
from dualpower.assemblies.models import Assembly
from dualpower.assemblies.tests.factories import AssemblyFactory, general
from dualpower.groups.tests.factories import WorkingGroupFactory, food, put_in_group
from dualpower.members.models import Membership
from dualpower.members.tests.factories import make_membership, membership_of

pytestmark = pytest.mark.django_db


def _assemblies(community: Any) -> list[Assembly]:
    kitchen = WorkingGroupFactory.create(community=community)
    for group in (food(community), kitchen):
        services.assembly_create(
            community=community, name=f"{group.name} assembly", kind="working_group", working_group=group
        )
    AssemblyFactory.create(community=community, name="Second general")
    general(community)
    return list(Assembly.objects.filter(community=community).select_related("community"))


def test_voting_in_agrees_with_is_voter(community: Any, people: Any) -> None:
    assemblies = _assemblies(community)
    in_food = make_membership(community, name="Gina")
    put_in_group(food(community), in_food)
    pending = make_membership(community, name="Pat")
    put_in_group(food(community), pending, pending=True)
    observer_in_food = make_membership(community, role=Membership.Role.OBSERVER, name="Obi")
    put_in_group(food(community), observer_in_food)
    former = make_membership(community, name="Fay")
    put_in_group(food(community), former)
    Membership.objects.filter(pk=former.pk).update(status=Membership.Status.FORMER, user=None)
    former.refresh_from_db()
    everyone = [in_food, pending, observer_in_food, former] + [
        membership_of(people[role], community) for role in ("observer", "member", "coordinator")
    ]
    everyone.append(people["outsider"].memberships.get())
    for membership in everyone:
        expected = {a.pk for a in assemblies if bodies.is_voter(a, membership)}
        assert bodies.voting_in(assemblies, membership) == expected, membership.display_name
    assert bodies.voting_in(assemblies, None) == set()
    assert {a.kind for a in assemblies if a.pk in bodies.voting_in(assemblies, in_food)} == {
        "general",
        "working_group",
    }


def test_voting_in_asks_once_per_kind(community: Any, people: Any) -> None:
    assemblies = _assemblies(community)
    me = membership_of(people["member"], community)
    with CaptureQueriesContext(connection) as few:
        bodies.voting_in(assemblies, me)
    more = assemblies + [AssemblyFactory.create(community=community) for _ in range(5)]
    with CaptureQueriesContext(connection) as many:
        bodies.voting_in(more, me)
    assert len(many) == len(few) == 2
