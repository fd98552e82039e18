"""Where an assembly sits in person: the meetings other apps hold for it.

Assemblies sit below the apps that hold meetings, so they never import them; such an app
registers, in its ``registrations.py``, how to find its meetings:

    from dualpower.assemblies import sittings
    sittings.register("meetings", upcoming=upcoming_for_assembly, link=meeting_link_for)

``upcoming(assembly, limit)`` returns the next meetings of the assembly, soonest first (objects
that print as their title and have ``get_absolute_url()``); ``link(proposal)`` returns the page of
the meeting whose agenda carries the proposal, or "" if none does. The assembly page lists the
upcoming meetings; a closed proposal's outcome links to its meeting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from dualpower.assemblies.models import Assembly, Proposal


class Sitting(Protocol):
    """A meeting as the assemblies show it: its ``str()`` and its page."""

    def get_absolute_url(self) -> str: ...


Upcoming = Callable[[Assembly, int], Sequence[Sitting]]
Link = Callable[[Proposal], str]


@dataclass(frozen=True)
class Provider:
    key: str
    upcoming: Upcoming
    link: Link


_registry: dict[str, Provider] = {}


def register(key: str, *, upcoming: Upcoming, link: Link) -> None:
    """Add (or replace) the app ``key``'s way of finding meetings of an assembly."""
    _registry[key] = Provider(key=key, upcoming=upcoming, link=link)


def upcoming(assembly: Assembly, *, limit: int = 5) -> list[Sitting]:
    """The next meetings of ``assembly`` (at most ``limit``), from every registered app."""
    found: list[Sitting] = []
    for provider in _registry.values():
        found.extend(provider.upcoming(assembly, limit))
    return found[:limit]


def link_for(proposal: Proposal) -> str:
    """The page of the meeting whose agenda carries ``proposal``, or ""."""
    for provider in _registry.values():
        link = provider.link(proposal)
        if link:
            return link
    return ""
