"""The community's menu: each app registers its entry in AppConfig.ready().

    from dualpower.web import navigation
    navigation.register("assemblies", _("Assemblies"), "assemblies:list", order=20, group="decide")

An entry is shown to admitted members of the community (the context processor checks; an entry
with ``perm`` only to those who have that permission on the community); the ``url_name`` takes
the community slug as its only argument.

The menu is grouped, on every width, under the headings in ``GROUPS`` (deciding together, meeting
needs, the economy, the community itself): an app names its group with ``group=``. A page of
eighteen links in a row is hard to read on a laptop and impossible on a phone; four short
headed lists are not.

On every width the header shows only the *primary* entries next to the community's name; the
whole menu, grouped, waits in a "Menu" disclosure, so a cheap phone shows the page before a wall
of links. An app asks for the front row with ``primary=True``: the entries members reach for most
often (deciding together, asking for and offering help). They are in their group too, so each
group is whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, get_script_prefix, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# The header adds the dashboard and notifications, which are not registered entries. The front
# row must fit beside them on a 320px-wide screen: primary entries past this many, in menu
# order, go into the disclosure with the others.
PRIMARY_LIMIT = 2


@dataclass(frozen=True)
class Group:
    key: str
    label: StrOrPromise


# The menu's headings, in the order shown. Defined here once; apps name one by its key.
GROUPS: tuple[Group, ...] = (
    Group("decide", _("Decide")),
    Group("needs", _("Meet needs")),
    Group("economy", _("Economy")),
    Group("community", _("Community")),
)
GROUP_KEYS = frozenset(group.key for group in GROUPS)
DEFAULT_GROUP = "community"


@dataclass(frozen=True)
class Entry:
    key: str
    label: StrOrPromise  # usually a lazy translation: shown in the reader's language
    url_name: str
    order: int = 100
    primary: bool = False
    group: str = DEFAULT_GROUP
    # A permission (checked on the community) the reader needs to see the entry; "" for everyone.
    perm: str = ""


class Link(tuple[str, str]):
    """One menu link: still the ``(label, url)`` pair ``entries_for`` has always returned (callers
    unpack and compare it as such), carrying the entry's key, whether it is in the front row, its
    group and the permission it needs."""

    key: str
    primary: bool
    group: str
    perm: str

    def __new__(
        cls,
        label: str,
        url: str,
        *,
        key: str,
        primary: bool = False,
        group: str = DEFAULT_GROUP,
        perm: str = "",
    ) -> Link:
        link = super().__new__(cls, (label, url))
        link.key = key
        link.primary = primary
        link.group = group
        link.perm = perm
        return link

    # Copying and pickling would otherwise pass only the pair to __new__, which needs the key too.
    def __getnewargs_ex__(self) -> tuple[tuple[str, str], dict[str, Any]]:
        return (self[0], self[1]), {
            "key": self.key,
            "primary": self.primary,
            "group": self.group,
            "perm": self.perm,
        }

    @property
    def label(self) -> str:
        return self[0]

    @property
    def url(self) -> str:
        return self[1]


_registry: dict[str, Entry] = {}
_generation = 0  # counts ``register`` calls: a cached menu knows which registry it was made from


def register(
    key: str,
    label: StrOrPromise,
    url_name: str,
    *,
    order: int = 100,
    primary: bool = False,
    group: str = DEFAULT_GROUP,
    perm: str = "",
) -> None:
    if group not in GROUP_KEYS:
        raise ValueError(f"Unknown menu group {group!r}: one of {', '.join(g.key for g in GROUPS)}.")
    global _generation
    _generation += 1
    _registry[key] = Entry(
        key=key, label=label, url_name=url_name, order=order, primary=primary, group=group, perm=perm
    )


# The menu of a community in a language is the same on every page: worked out once per process
# (fifteen-odd ``reverse`` calls and labels translated on every page otherwise). Keyed by the
# registry's generation too (``register`` counts up), so an entry registered late is not missed;
# bounded in case of many slugs.
_MENUS: dict[tuple[str, str | None, str, int], tuple[Link, ...]] = {}
_MENUS_MAX = 1_000


def entries_for(community_slug: str) -> list[Link]:
    """A ``Link`` — a (label, url) pair — for each registered entry whose page exists, in menu
    order; at most ``PRIMARY_LIMIT`` of them are marked primary."""
    key = (community_slug, get_language(), get_script_prefix(), _generation)
    menu = _MENUS.get(key)
    if menu is None:
        if len(_MENUS) >= _MENUS_MAX:
            _MENUS.clear()
        menu = _MENUS[key] = tuple(_entries(community_slug))
    return list(menu)


# The community's own home (its dashboard), shown before the menu's entries.
HOME_URL_NAME = "community-dashboard"
_HOMES: dict[tuple[str, str], str] = {}


def home_for(community_slug: str) -> str:
    """The address of the community's home page, worked out once per process."""
    key = (community_slug, get_script_prefix())
    url = _HOMES.get(key)
    if url is None:
        if len(_HOMES) >= _MENUS_MAX:
            _HOMES.clear()
        url = _HOMES[key] = reverse(HOME_URL_NAME, args=[community_slug])
    return url


def _entries(community_slug: str) -> list[Link]:
    items: list[Link] = []
    primaries = 0
    for entry in sorted(_registry.values(), key=lambda e: (e.order, e.key)):
        try:
            url = reverse(entry.url_name, args=[community_slug])
        except NoReverseMatch:  # an app registered its entry before building its page
            continue
        primary = entry.primary and primaries < PRIMARY_LIMIT
        primaries += primary
        items.append(
            Link(str(entry.label), url, key=entry.key, primary=primary, group=entry.group, perm=entry.perm)
        )
    return items


@dataclass(frozen=True)
class MenuGroup:
    key: str
    label: str
    links: list[Link]


def grouped(links: list[Link]) -> list[MenuGroup]:
    """``links`` under the menu's headings, in the order of ``GROUPS``; empty groups left out."""
    return [
        MenuGroup(group.key, str(group.label), members)
        for group in GROUPS
        if (members := [link for link in links if link.group == group.key])
    ]
