"""The home dashboard, "what needs me": each app registers a panel here.

A panel is a function ``(request, community) -> Panel | None``; each app registers its own
(kept in ``<app>/widgets.py``) from its ``registrations.py`` with ``register``. The registry is
here, in the lowest app, so that every app can register with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest

from dualpower.community.models import Community


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    template: str
    context: dict[str, Any] = field(default_factory=dict)
    order: int = 100


PanelFactory = Callable[[HttpRequest, Community], Panel | None]
_registry: dict[str, PanelFactory] = {}


def register(key: str, factory: PanelFactory) -> None:
    _registry[key] = factory


# How long a community-wide total may be kept in the shared cache: a minute-old member count on
# the dashboard is fine; the pages that list the members count them afresh.
SHARED_TIMEOUT = 60


def community_wide(community: Community, name: str, compute: Callable[[], Any]) -> Any:
    """``compute()``, kept briefly in the shared (database) cache for the whole community: one
    query (the cache read) instead of the several ``compute`` runs, so only worth it for several.
    Only for slowly-changing figures every viewer sees alike (totals), never anything personal."""
    key = f"dashboard:{community.pk}:{name}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, SHARED_TIMEOUT)
    return value


def panels_for(*, request: HttpRequest, community: Community) -> list[Panel]:
    panels = [p for factory in _registry.values() if (p := factory(request, community)) is not None]
    return sorted(panels, key=lambda p: (p.order, p.key))


def rendered_panels(*, request: HttpRequest, community: Community) -> list[tuple[Panel, str]]:
    """Each panel with its HTML. A panel's template sees its context's keys as plain variables
    (``open_count``), as well as ``panel``, ``community`` and ``request``."""
    from django.template.loader import render_to_string

    return [
        (
            panel,
            render_to_string(
                panel.template, {**panel.context, "panel": panel, "community": community}, request=request
            ),
        )
        for panel in panels_for(request=request, community=community)
    ]
