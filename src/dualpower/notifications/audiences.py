"""Who a fan-out tells: the audiences other apps register.

A notification to a whole assembly (tens of thousands of people) is not written inside the
service that decides something: the service records a fan-out naming an audience and one of its
objects ("assemblies.voters", the assembly's id), and a background job writes each person's
notification after the commit, in short transactions (``notifications.tasks.fanout_run``). The
people are read when the job runs. An app registers its audiences in its ``registrations.py``:

    from dualpower.notifications import audiences
    audiences.register("assemblies.voters", notify.voters)

An audience is a function of the recorded id returning a queryset of the Memberships to tell
(duplicates and former members without an account are left out here).
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

from dualpower.members.models import Membership

Audience = Callable[[int], QuerySet[Membership]]

_registry: dict[str, Audience] = {}


def register(key: str, members: Audience) -> None:
    """Register ``members`` as the audience ``key`` ("<app>.<who>"); registering again replaces it."""
    _registry[key] = members


def is_known(key: str) -> bool:
    return key in _registry


def user_ids(key: str, ref: int, *, after: int, limit: int) -> list[int]:
    """The next ``limit`` accounts of the audience, by id, after ``after``: the job's next chunk."""
    members = _registry[key](ref)
    return list(
        members.filter(user_id__gt=after)
        .order_by("user_id")
        .values_list("user_id", flat=True)
        .distinct()[:limit]
    )
