"""Notifications of assemblies, and a switch to hold them while loading past records.

``send`` tells a few people, written at once; ``tell_voters`` tells everyone who votes in an
assembly (tens of thousands, maybe) by a fan-out: one row in the service's transaction, each
person's notification written by a background job after the commit (``voters`` is the audience
the job reads, registered in ``registrations.py``).

The demo (and any import of an assembly's history) builds decisions that closed weeks ago
through the services; nobody should be told today that a vote opened last month.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db.models import QuerySet

from dualpower.assemblies import bodies
from dualpower.assemblies.models import Assembly, Participation, Proposal, Vote
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership

VOTERS = "assemblies.voters"
NOT_YET_VOTED = "assemblies.not_yet_voted"

_quiet: ContextVar[bool] = ContextVar("assemblies_quiet", default=False)


@contextmanager
def held() -> Iterator[None]:
    """Within this block the assemblies' services notify nobody."""
    token = _quiet.set(True)
    try:
        yield
    finally:
        _quiet.reset(token)


def send(**kwargs: Any) -> int:
    if _quiet.get():
        return 0
    from dualpower.notifications.services import notification_send

    return notification_send(**kwargs)


def tell_voters(*, assembly: Assembly, **kwargs: Any) -> None:
    """Notify everyone who votes in ``assembly`` (``notification_fanout``'s other arguments)."""
    if _quiet.get():
        return
    from dualpower.notifications.services import notification_fanout

    notification_fanout(audience=VOTERS, ref=assembly.pk, community=assembly.community, **kwargs)


def voters(assembly_id: int) -> QuerySet[Membership]:
    """The audience ``VOTERS``: who votes in the assembly ``assembly_id`` (nobody if it is gone)."""
    assembly = Assembly.objects.select_related("community").filter(pk=assembly_id).first()
    if assembly is None:
        return member_selectors.memberships_with_ids(ids=[])
    return bodies.voters_of(assembly)


def tell_waiting_voters(*, proposal: Proposal, **kwargs: Any) -> None:
    """Notify everyone who may vote on ``proposal`` and has not yet (a fan-out, like ``tell_voters``;
    who has voted is read when the job runs, so someone who votes meanwhile is not reminded)."""
    if _quiet.get():
        return
    from dualpower.notifications.services import notification_fanout

    community = proposal.assembly.community
    notification_fanout(audience=NOT_YET_VOTED, ref=proposal.pk, community=community, **kwargs)


def not_yet_voted(proposal_id: int) -> QuerySet[Membership]:
    """The audience ``NOT_YET_VOTED``: who votes in the proposal's assembly and has not voted on it."""
    proposal = Proposal.objects.select_related("assembly__community").filter(pk=proposal_id).first()
    if proposal is None:
        return member_selectors.memberships_with_ids(ids=[])
    voted = (
        Participation.objects.filter(proposal=proposal).values_list("membership_id", flat=True)
        if proposal.is_secret
        else Vote.objects.filter(proposal=proposal).values_list("voter_id", flat=True)
    )
    return bodies.voters_of(proposal.assembly).exclude(pk__in=voted)
