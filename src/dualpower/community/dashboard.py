"""The home dashboard, "what needs me": each app registers a panel here.

A panel is a function ``(request, community) -> Panel | None``; each app registers its own
(kept in ``<app>/widgets.py``) from its ``registrations.py`` with ``register``. The registry is
here, in the lowest app, so that every app can register with it.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import get_language

from dualpower.community.models import AuditEntry, Community
from dualpower.web.prepared import Prepared


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


def _render(*, request: HttpRequest, community: Community) -> list[tuple[Panel, str]]:
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


# --- The rendered panels, kept in each process --------------------------------------------------
# Working out the panels is most of the dashboard's cost (a query or two per panel, ~30 in all),
# and most visits change nothing: the panels a person saw a moment ago are the ones they see now
# unless something was written in the community since. Every service that writes records an
# audit entry in its own transaction (community.services.audit_record), so the community's
# newest audit entry is a version of everything the panels show: one indexed read per visit,
# atomic with the writes (a reader sees the new entry exactly when it sees the new rows). The
# panels are kept per person (they are personal: my votes, my shifts, my matches), per language,
# in this process's memory, for at most ``DP_DASHBOARD_CACHE_SECONDS`` (default 60): what changes
# without a write (time passing — a meeting starting, a request growing stale — or a second factor
# set up) shows within that time. 0 turns the keeping off. On PostgreSQL two writes in the same
# community may commit in the other order than their entries were stamped; a panel kept in between
# misses the earlier-stamped one until that time runs out (on SQLite writes take turns: never).

_LOCAL: OrderedDict[Hashable, tuple[float, list[tuple[Panel, str]]]] = OrderedDict()
_LOCAL_LOCK = threading.Lock()
LOCAL_MAX = 2_000  # people × communities × languages kept per process (a few KB each)


def community_version(community: Community) -> int | None:
    """The id of the community's newest audit entry: it changes with every write in the community
    (the audit log is append-only). One query on the (community, -created_at) index."""
    found = _newest_entry(community=community.pk)
    return found[0].pk if found else None


# Read on every visit of the dashboard: its SQL written once per process (web/prepared.py).
_newest_entry = Prepared(
    lambda community: (
        AuditEntry.objects.filter(community_id=community).order_by("-created_at", "-id").only("id")[:1]
    ),
    community=int,
)


def _cache_seconds() -> float:
    return float(settings.DP_DASHBOARD_CACHE_SECONDS)


def forget_rendered() -> None:
    """Drop every panel kept in this process (tests that count the work of the panels)."""
    with _LOCAL_LOCK:
        _LOCAL.clear()


def rendered_panels(*, request: HttpRequest, community: Community) -> list[tuple[Panel, str]]:
    """Each panel with its HTML. A panel's template sees its context's keys as plain variables
    (``open_count``), as well as ``panel``, ``community`` and ``request``.

    Kept in this process while nothing is written in the community (see above)."""
    seconds = _cache_seconds()
    user = request.user
    if seconds <= 0 or not user.is_authenticated:
        return _render(request=request, community=community)
    # The creation times tell a community or an account apart from an earlier one that had the
    # same id (deleted, or a test database rolled back).
    key = (
        community.pk,
        community.created_at,
        community_version(community),
        user.pk,
        getattr(user, "date_joined", None),
        get_language(),
    )
    now = time.monotonic()
    with _LOCAL_LOCK:
        kept = _LOCAL.get(key)
        if kept is not None and kept[0] > now:
            _LOCAL.move_to_end(key)
            return kept[1]
    rendered = _render(request=request, community=community)
    # Only what the dashboard's template reads: the panels' contexts (model instances) are let go.
    light = [
        # The title as text in the language of the key: a lazy translation costs on every render.
        (Panel(key=p.key, title=str(p.title), template=p.template, order=p.order), html)
        for p, html in rendered
    ]
    with _LOCAL_LOCK:
        _LOCAL[key] = (now + seconds, light)
        _LOCAL.move_to_end(key)
        while len(_LOCAL) > LOCAL_MAX:
            _LOCAL.popitem(last=False)
    return rendered
