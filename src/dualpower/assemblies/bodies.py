"""Who sits in an assembly: each kind of body says who its voters and observers are.

The general assembly and working groups are defined here; other apps register the bodies they
own in their ``registrations.py`` — the delegates app says who sits in a spokescouncil, the co-ops
app who the members of a co-op's assembly are:

    from dualpower.assemblies import bodies
    bodies.register("spokescouncil", voters=seated_delegates)

``voters(assembly)`` returns a queryset of active Memberships (eligible to vote);
``observers(assembly)`` (optional) those who may read and speak but not vote.
``voting(membership)`` (optional) is a condition on ``Assembly`` rows: the assemblies of this kind
where ``membership`` votes, so that a page listing many assemblies asks once per kind, not once per
assembly (``voting_in``). It must agree with ``voters``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.db.models import Exists, OuterRef, QuerySet

from dualpower.assemblies.models import Assembly
from dualpower.community.models import Community
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership
from dualpower.web.prepared import Prepared

Members = Callable[[Assembly], QuerySet[Membership]]
Voting = Callable[[Membership], Exists]
Shape = Callable[..., QuerySet[Membership]]
P = TypeVar("P")


@dataclass(frozen=True)
class Body:
    kind: str
    voters: Members
    observers: Members | None = None
    voting: Voting | None = None


_registry: dict[str, Body] = {}


def register(
    kind: str, *, voters: Members, observers: Members | None = None, voting: Voting | None = None
) -> None:
    _registry[kind] = Body(kind=kind, voters=voters, observers=observers, voting=voting)


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
    """Whether ``membership`` votes in ``assembly``. Asked by several permissions on one page, so
    the answer is kept on the membership object (``membership_for`` makes one per request)."""
    if membership is None:
        return False
    known: dict[int, bool] = membership.__dict__.setdefault("_dp_voter_in", {})
    if assembly.pk not in known:
        known[assembly.pk] = _is_among(voters_of, "voter", assembly, membership)
    return known[assembly.pk]


def is_observer(assembly: Assembly, membership: Membership | None) -> bool:
    """Whether ``membership`` observes ``assembly`` (reads and speaks, does not vote); kept on the
    membership object like ``is_voter``."""
    if membership is None:
        return False
    known: dict[int, bool] = membership.__dict__.setdefault("_dp_observer_in", {})
    if assembly.pk not in known:
        known[assembly.pk] = _is_among(observers_of, "observer", assembly, membership)
    return known[assembly.pk]


def _is_among(members: Members, role: str, assembly: Assembly, membership: Membership) -> bool:
    found = prepared_for(
        f"is-{role}",
        assembly,
        lambda shape: Prepared(
            lambda community, group, member: (
                shape(community, group, role).filter(pk=member).order_by().only("pk")[:1]
            ),
            community=int,
            group=int,
            member=int,
        ),
    )
    if found is None:
        return members(assembly).filter(pk=membership.pk).exists()
    plan, ids = found
    return bool(plan(**ids, member=membership.pk))


def voters_count(assembly: Assembly) -> int:
    """How many vote in ``assembly``: a general assembly's voters are read from the roll's counts
    the database keeps (members.RollCount), whatever the roll's size."""
    if counted_by_roll(assembly):
        return member_selectors.people_counted(community_id=assembly.community_id, roles=_VOTING_ROLES)
    found = prepared_for(
        "all",
        assembly,
        lambda shape: Prepared(
            lambda community, group: shape(community, group).order_by(), community=int, group=int
        ),
    )
    if found is None:
        return voters_of(assembly).count()
    plan, ids = found
    return plan.count(**ids)


# --- the built-in kinds' queries, their SQL written once per process -----------------------------
# The general assembly's and a working group's voters and observers are queries of the assembly's
# community and working group alone: their SQL can be written once per process (web/prepared.py)
# and run with each assembly's ids. Pages ask them on every visit (may I vote, how many vote, how
# many have not voted yet); other kinds' queries (registered by other apps) are built each time.

_prepared: dict[tuple[str, str], Any] = {}
_prepared_lock = threading.Lock()


def counted_by_roll(assembly: Assembly) -> bool:
    """Whether ``assembly`` is a general assembly whose voters are the built-in ones (every active
    member and coordinator): those the roll's counts (members.RollCount) and each proposal's
    turnout (assemblies.Turnout) are kept for."""
    return assembly.kind == Assembly.Kind.GENERAL and _built_in(assembly) is not None


def _built_in(assembly: Assembly) -> tuple[Members, Members] | None:
    """The built-in voters and observers of ``assembly``'s kind, or None for another kind or one
    whose body another app replaced."""
    body = _registry.get(assembly.kind)
    built_in = _BUILT_IN.get(assembly.kind)
    if body is None or built_in is None or (body.voters, body.observers) != built_in:
        return None
    return built_in


def _stand_in(kind: str, community: int, group: int) -> Assembly:
    """An assembly of ``kind`` as the built-in bodies read it: its community and working group."""
    assembly = Assembly(kind=kind, working_group_id=group)
    assembly.community = Community(pk=community)
    return assembly


def prepared_for(
    purpose: str, assembly: Assembly, make: Callable[[Shape], P]
) -> tuple[P, dict[str, int]] | None:
    """For an assembly of a built-in kind: the query ``make`` builds from ``shape(community, group,
    role)`` (the queryset of the assembly's "voter"s or "observer"s, from the ids of its community
    and working group), made once per process for ``purpose`` and the kind, and the assembly's ids
    to call it with (``community``, ``group``). None for the other kinds (or one whose bodies
    another app replaced): the caller builds its query through the ORM."""
    built_in = _built_in(assembly)
    if built_in is None:
        return None
    key = (purpose, assembly.kind)
    found = _prepared.get(key)
    if found is None:
        kind = assembly.kind

        def shape(community: int, group: int, role: str = "voter") -> QuerySet[Membership]:
            members = built_in[0] if role == "voter" else built_in[1]
            return members(_stand_in(kind, community, group))

        with _prepared_lock:
            found = _prepared.get(key)
            if found is None:
                found = _prepared[key] = make(shape)
    return found, {"community": assembly.community_id, "group": assembly.working_group_id or 0}


def voting_in(assemblies: Iterable[Assembly], membership: Membership | None) -> set[int]:
    """The ids of ``assemblies`` where ``membership`` votes: one query per kind of body that says
    where someone votes (``voting``), one per assembly of the other kinds."""
    if membership is None:
        return set()
    by_kind: dict[str, list[Assembly]] = {}
    for assembly in assemblies:
        by_kind.setdefault(assembly.kind, []).append(assembly)
    found: set[int] = set()
    for kind, group in by_kind.items():
        body = _registry.get(kind)
        if body is None:
            continue
        if body.voting is None:
            found.update(a.pk for a in group if body.voters(a).filter(pk=membership.pk).exists())
            continue
        ids = [a.pk for a in group]
        found.update(
            Assembly.objects.filter(body.voting(membership), pk__in=ids).values_list("pk", flat=True)
        )
    return found


_VOTING_ROLES = [Membership.Role.MEMBER, Membership.Role.COORDINATOR]


def _general_voters(assembly: Assembly) -> QuerySet[Membership]:
    return _active(assembly).filter(role__in=_VOTING_ROLES)


def _general_voter_rows(membership: Membership) -> QuerySet[Membership]:
    """``membership``, if it is among the general voters of the assembly of the outer query."""
    return member_selectors.memberships_with_ids(ids=[membership.pk]).filter(
        community=OuterRef("community"),
        status=Membership.Status.ACTIVE,
        role__in=_VOTING_ROLES,
    )


def _general_voting(membership: Membership) -> Exists:
    return Exists(_general_voter_rows(membership))


def _working_group_voting(membership: Membership) -> Exists:
    return Exists(
        _general_voter_rows(membership).filter(
            group_memberships__group_id=OuterRef("working_group_id"), group_memberships__status="active"
        )
    )


def _general_observers(assembly: Assembly) -> QuerySet[Membership]:
    return _active(assembly).filter(role=Membership.Role.OBSERVER)


def _working_group_voters(assembly: Assembly) -> QuerySet[Membership]:
    return _general_voters(assembly).filter(
        group_memberships__group_id=assembly.working_group_id, group_memberships__status="active"
    )


_BUILT_IN: dict[str, tuple[Members, Members]] = {
    Assembly.Kind.GENERAL: (_general_voters, _general_observers),
    Assembly.Kind.WORKING_GROUP: (_working_group_voters, _general_voters),
}

register(Assembly.Kind.GENERAL, voters=_general_voters, observers=_general_observers, voting=_general_voting)
register(
    Assembly.Kind.WORKING_GROUP,
    voters=_working_group_voters,
    observers=_general_voters,
    voting=_working_group_voting,
)
