"""Who sits in an assembly: each kind of body says who its voters and observers are.

The general assembly and working groups are defined here; other apps register the bodies they
own in their ``registrations.py`` — the delegates app says who sits in a spokescouncil, the co-ops
app who the members of a co-op's assembly are:

    from dualpower.assemblies import bodies
    bodies.register("spokescouncil", voters=seated_delegates)

``voters(assembly)`` returns a queryset of active Memberships (eligible to vote);
``observers(assembly)`` (optional) those who may read and speak but not vote.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet

from dualpower.assemblies.models import Assembly
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership

Members = Callable[[Assembly], QuerySet[Membership]]


@dataclass(frozen=True)
class Body:
    kind: str
    voters: Members
    observers: Members | None = None


_registry: dict[str, Body] = {}


def register(kind: str, *, voters: Members, observers: Members | None = None) -> None:
    _registry[kind] = Body(kind=kind, voters=voters, observers=observers)


def _active(assembly: Assembly) -> QuerySet[Membership]:
    return member_selectors.members_of(community=assembly.community)


def voters_of(assembly: Assembly) -> QuerySet[Membership]:
    """Active memberships eligible to vote in ``assembly`` (none if its kind is not registered)."""
    body = _registry.get(assembly.kind)
    if body is None:
        return _active(assembly).none()
    return body.voters(assembly)


def observers_of(assembly: Assembly) -> QuerySet[Membership]:
    body = _registry.get(assembly.kind)
    if body is None or body.observers is None:
        return _active(assembly).none()
    return body.observers(assembly)


def is_voter(assembly: Assembly, membership: Membership | None) -> bool:
    return membership is not None and voters_of(assembly).filter(pk=membership.pk).exists()


def _general_voters(assembly: Assembly) -> QuerySet[Membership]:
    return _active(assembly).filter(role__in=[Membership.Role.MEMBER, Membership.Role.COORDINATOR])


def _general_observers(assembly: Assembly) -> QuerySet[Membership]:
    return _active(assembly).filter(role=Membership.Role.OBSERVER)


def _working_group_voters(assembly: Assembly) -> QuerySet[Membership]:
    return _general_voters(assembly).filter(
        group_memberships__group_id=assembly.working_group_id, group_memberships__status="active"
    )


register(Assembly.Kind.GENERAL, voters=_general_voters, observers=_general_observers)
register(Assembly.Kind.WORKING_GROUP, voters=_working_group_voters, observers=_general_voters)
