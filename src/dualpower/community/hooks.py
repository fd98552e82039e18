"""Where the apps above the community plug into it.

The community is the lowest app: it imports no other app. When it needs them (a new community
gets its starter working groups; the audit log names the member who acted; the dashboard counts
members and groups) the higher app registers a function here, from its ``registrations.py``.

- ``on_community_created(fn)``: ``fn(event)`` runs inside the transaction that creates a
  community, in the order registered; an exception undoes the creation.
- ``register_actor_lookup(fn)``: ``fn(user, community)`` returns the membership through which
  ``user`` acts in ``community`` (or None); the audit log records it as the actor.
- ``register_overview_count(key, fn)``: ``fn(community=community)`` is a number the community's dashboard
  panel shows under ``key`` (``member_count``, ``group_count``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from dualpower.community.models import Community

if TYPE_CHECKING:  # members sits above the community: only its type is named here
    from dualpower.members.models import Membership


@dataclass(frozen=True)
class CommunityCreated:
    """What ``community_create`` was asked for, as its hooks see it."""

    community: Community
    # Whether the new community starts with the starter working groups (housing, health...).
    with_group_templates: bool = True


CreatedHook = Callable[[CommunityCreated], None]
# ``lookup(user, community)``: the acting membership (an audit entry's ``actor``) or None.
ActorLookup = Callable[[Any, Community], "Membership | None"]


class OverviewCount(Protocol):
    def __call__(self, *, community: Community) -> int: ...


_created: list[CreatedHook] = []
_actor_lookups: list[ActorLookup] = []
_overview_counts: dict[str, OverviewCount] = {}


def on_community_created(hook: CreatedHook) -> CreatedHook:
    """Register ``hook`` to run when a community is created; usable as a decorator."""
    if hook not in _created:
        _created.append(hook)
    return hook


def community_created(event: CommunityCreated) -> None:
    """Run every registered creation hook (called by ``services.community_create``)."""
    for hook in _created:
        hook(event)


def register_actor_lookup(lookup: ActorLookup) -> None:
    if lookup not in _actor_lookups:
        _actor_lookups.append(lookup)


def actor_for(user: Any, community: Community) -> Membership | None:
    """The membership through which ``user`` acts in ``community``, or None."""
    for lookup in _actor_lookups:
        actor = lookup(user, community)
        if actor is not None:
            return actor
    return None


def register_overview_count(key: str, count: OverviewCount) -> None:
    _overview_counts[key] = count


def overview_counts(community: Community) -> dict[str, int]:
    return {key: count(community=community) for key, count in _overview_counts.items()}
