"""What other apps add to a proposal's page: a panel of their own, below the vote.

Assemblies sit below the apps that may have something to show about a proposal (federation shows
the answers people on the fediverse gave to the proposal published as an advisory poll), so they
never import them; such an app registers, in its ``registrations.py``, how to render its panel:

    from dualpower.assemblies import panels
    panels.register("federation.poll", poll_panel)

where ``poll_panel(proposal, request) -> SafeString | None`` returns the panel's HTML (rendered
from the app's own template, so every value in it is escaped) or None when it has nothing to show
this reader. A panel reads with a fixed number of queries: the page's count must not grow with
what the panel lists.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest
from django.utils.safestring import SafeString

from dualpower.assemblies.models import Proposal

Panel = Callable[[Proposal, HttpRequest], "SafeString | None"]
_registry: dict[str, Panel] = {}


def register(key: str, panel: Panel) -> None:
    """Add (or replace) the app ``key``'s panel on the proposal's page."""
    _registry[key] = panel


def render(proposal: Proposal, request: HttpRequest) -> list[SafeString]:
    """Every registered panel that has something to show, in the order they were registered."""
    shown: list[SafeString] = []
    for panel in _registry.values():
        html = panel(proposal, request)
        if html:
            shown.append(html)
    return shown
