"""The home dashboard, "what needs me": each app registers a panel here.

A panel is a function ``(request, community) -> Panel | None``; each app registers its own
(kept in ``<app>/widgets.py``) from its ``registrations.py`` with ``register``. The registry is
here, in the lowest app, so that every app can register with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
