"""The community's menu: each app registers its entry in AppConfig.ready().

    from dualpower.web import navigation
    navigation.register("assemblies", _("Assemblies"), "assemblies:list", order=20)

An entry is shown to admitted members of the community (the context processor checks); the
``url_name`` takes the community slug as its only argument.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class Entry:
    key: str
    label: str
    url_name: str
    order: int = 100


_registry: dict[str, Entry] = {}


def register(key: str, label: str, url_name: str, *, order: int = 100) -> None:
    _registry[key] = Entry(key=key, label=label, url_name=url_name, order=order)


def entries_for(community_slug: str) -> list[tuple[str, str]]:
    """(label, url) for each registered entry whose page exists, in menu order."""
    items = []
    for entry in sorted(_registry.values(), key=lambda e: (e.order, e.key)):
        try:
            items.append((str(entry.label), reverse(entry.url_name, args=[community_slug])))
        except NoReverseMatch:  # an app registered its entry before building its page
            continue
    return items
