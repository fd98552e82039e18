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
from dualpower.assemblies.models import Assembly
from dualpower.members import selectors as member_selectors
from dualpower.members.models import Membership

VOTERS = "assemblies.voters"

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
