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


def _fresh(membership: Membership) -> Membership:
    """The membership without the answers ``is_voter``/``is_observer`` keep on it."""
    return Membership.objects.get(pk=membership.pk)


def test_the_prepared_queries_of_the_built_in_bodies_agree_with_the_orm(
    community: Any, people: Any, django_assert_num_queries: Any
) -> None:
    """Voter, observer, how many vote and how many have not voted: the SQL written once per process
    (general assembly, working groups) gives the ORM's answers; other kinds stay the ORM's."""
    from dualpower.assemblies import selectors
    from dualpower.assemblies.models import Participation, Proposal, Vote

    assemblies = _assemblies(community)
    assemblies.append(AssemblyFactory.create(community=community, kind=Assembly.Kind.SPOKESCOUNCIL))
    in_food = make_membership(community, name="Gina")
    put_in_group(food(community), in_food)
    observer = make_membership(community, role=Membership.Role.OBSERVER, name="Obi")
    former = make_membership(community, name="Fay")
    Membership.objects.filter(pk=former.pk).update(status=Membership.Status.FORMER, user=None)
    everyone = [in_food, observer, _fresh(former), people["outsider"].memberships.get()] + [
        membership_of(people[role], community) for role in ("observer", "member", "coordinator")
    ]
    prepared = 0
    for assembly in assemblies:
        prepared += bodies.prepared_for("is-voter", assembly, lambda shape: shape) is not None
        voters = bodies.voters_of(assembly)
        observers = bodies.observers_of(assembly)
        for m in everyone:
            assert bodies.is_voter(assembly, _fresh(m)) == voters.filter(pk=m.pk).exists(), (assembly, m)
            assert bodies.is_observer(assembly, _fresh(m)) == observers.filter(pk=m.pk).exists()
        assert bodies.voters_count(assembly) == voters.count()
        for secret in (False, True):
            proposal = Proposal.objects.create(assembly=assembly, title="Tools", is_secret=secret)
            member = membership_of(people["member"], community)
            if secret:
                Participation.objects.create(proposal=proposal, membership=member)
            else:
                Vote.objects.create(proposal=proposal, voter=member, position="yes")
            voted = Participation if secret else Vote
            field = "membership_id" if secret else "voter_id"
            expected = voters.exclude(pk__in=voted.objects.filter(proposal=proposal).values(field)).count()
            assert selectors.waiting_voters(proposal) == expected
    # The general assembly and the working groups; not the spokescouncil.
    assert prepared == sum(a.kind in ("general", "working_group") for a in assemblies) == 3
    # The answer is kept on the membership: asked again, no query.
    me = membership_of(people["member"], community)
    bodies.is_voter(assemblies[0], me)
    with django_assert_num_queries(0):
        bodies.is_voter(assemblies[0], me)


def test_a_kind_whose_bodies_another_app_replaced_is_read_through_the_orm(
    community: Any, people: Any, monkeypatch: Any
) -> None:
    assembly = general(community)
    monkeypatch.setitem(
        bodies._registry,
        Assembly.Kind.GENERAL,
        bodies.Body(kind=Assembly.Kind.GENERAL, voters=lambda a: bodies._general_observers(a)),
    )
    assert bodies.prepared_for("count", assembly, lambda shape: shape) is None
    observer = membership_of(people["observer"], community)
    assert bodies.is_voter(assembly, observer)
    assert bodies.voters_count(assembly) == 1


def test_a_proposals_address_is_the_one_django_reverses(community: Any, people: Any) -> None:
    """``Proposal.get_absolute_url`` builds on its assembly's address, worked out once per object."""
    from django.urls import reverse

    from dualpower.assemblies.models import Proposal

    assembly = general(community)
    proposal = Proposal.objects.create(assembly=assembly, title="Tools")
    expected = reverse(
        "assemblies:proposal",
        kwargs={"community": community.slug, "assembly": assembly.slug, "pk": proposal.pk},
    )
    assert proposal.get_absolute_url() == expected
    assembly.slug = "renamed"  # a changed address is worked out again
    proposal.assembly = assembly
    assert proposal.get_absolute_url() == expected.replace(f"/{general(community).slug}/", "/renamed/")
