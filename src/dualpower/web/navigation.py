"""The community's menu: each app registers its entry in AppConfig.ready().

    from dualpower.web import navigation
    navigation.register("assemblies", _("Assemblies"), "assemblies:list", order=20)

An entry is shown to admitted members of the community (the context processor checks); the
``url_name`` takes the community slug as its only argument.

On a small screen the header shows only the *primary* entries next to the community's name and
folds the rest into a "Menu" disclosure, so a cheap phone shows the page before a wall of links.
An app asks for the front row with ``primary=True``: the entries members reach for most often
(deciding together, asking for and offering help).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, reverse

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The header adds the dashboard and notifications, which are not registered entries. The front
# row must fit beside them on a 320px-wide screen: primary entries past this many, in menu
# order, go into the disclosure with the others.
PRIMARY_LIMIT = 2


@dataclass(frozen=True)
class Entry:
    key: str
    label: StrOrPromise  # usually a lazy translation: shown in the reader's language
    url_name: str
    order: int = 100
    primary: bool = False


class Link(tuple[str, str]):
    """One menu link: still the ``(label, url)`` pair ``entries_for`` has always returned (callers
    unpack and compare it as such), carrying the entry's key and whether it is in the front row."""

    key: str
    primary: bool

    def __new__(cls, label: str, url: str, *, key: str, primary: bool = False) -> Link:
        link = super().__new__(cls, (label, url))
        link.key = key
        link.primary = primary
        return link

    # Copying and pickling would otherwise pass only the pair to __new__, which needs the key too.
    def __getnewargs_ex__(self) -> tuple[tuple[str, str], dict[str, Any]]:
        return (self[0], self[1]), {"key": self.key, "primary": self.primary}

    @property
    def label(self) -> str:
        return self[0]

    @property
    def url(self) -> str:
        return self[1]


_registry: dict[str, Entry] = {}


def register(
    key: str, label: StrOrPromise, url_name: str, *, order: int = 100, primary: bool = False
) -> None:
    _registry[key] = Entry(key=key, label=label, url_name=url_name, order=order, primary=primary)


def entries_for(community_slug: str) -> list[Link]:
    """A ``Link`` — a (label, url) pair — for each registered entry whose page exists, in menu
    order; at most ``PRIMARY_LIMIT`` of them are marked primary."""
    items: list[Link] = []
    primaries = 0
    for entry in sorted(_registry.values(), key=lambda e: (e.order, e.key)):
        try:
            url = reverse(entry.url_name, args=[community_slug])
        except NoReverseMatch:  # an app registered its entry before building its page
            continue
        primary = entry.primary and primaries < PRIMARY_LIMIT
        primaries += primary
        items.append(Link(str(entry.label), url, key=entry.key, primary=primary))
    return items
