"""Template context every page gets: the community being shown and the visitor's place in it.

At the top of the project (beside urls.py), since it reads several apps: members (my place in
the community), notifications (the unread count) and web (the menu).
"""

from __future__ import annotations

from typing import Any

import rules
from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from dualpower.community.models import Community
from dualpower.members.roles import membership_for
from dualpower.notifications.selectors import menu_unread_count
from dualpower.web.frame import SiteFooter, SiteMenu, csrf_token_of, site_text, site_urls
from dualpower.web.navigation import Link, entries_for, home_for
from dualpower.web.permissions import may


def community(request: HttpRequest) -> dict[str, Any]:
    # Worked out once per request: a page that renders pieces with the request (the dashboard's
    # widgets) runs the context processors for each piece, and this reads the database.
    cached: dict[str, Any] | None = getattr(request, "_dualpower_page_context", None)
    if cached is None:
        cached = _page_context(request)
        request._dualpower_page_context = cached  # type: ignore[attr-defined]  # a per-request cache
    return cached


def _page_context(request: HttpRequest) -> dict[str, Any]:
    current: Community | None = getattr(request, "community", None)
    # Read with the community by the page's ``with_community``: no query of its own.
    mine = membership_for(request.user, current) if current is not None else None
    nav = _menu(request, current) if current is not None and mine is not None else []
    # Whether the menu offers "Start a community". Asked of the rule alone: ``perms.ops...`` in a
    # template also asks Django's ModelBackend, which loads the user's model permissions (two
    # queries on every page) for an answer the rule already gives.
    can_set_up_node = rules.has_perm("ops.set_up_community", request.user)
    user = request.user
    return {
        "community": current,
        "my_membership": mine,
        "community_nav": nav,
        "can_set_up_node": can_set_up_node,
        # The header's addresses and signed-in links, worked out once per process
        # (web/frame.py); the unread count only when a page shows the menu.
        "site_urls": site_urls(),
        "site_text": site_text(),
        "site_menu": SiteMenu(
            request,
            links=nav,
            home_url=home_for(current.slug) if current is not None and mine is not None else "",
            can_set_up_node=can_set_up_node,
            unread=lambda: menu_unread_count(user=user) if user.is_authenticated else 0,
        ),
        "site_footer": SiteFooter(request),
        # Django's own ``csrf_token``, masked once for all of a page's forms (csrf_token_of).
        "csrf_token": SimpleLazyObject(lambda: csrf_token_of(request)),
    }


def _menu(request: HttpRequest, community: Community) -> list[Link]:
    """The menu's links the visitor may follow: an entry asking for a permission is left out
    for those without it."""
    return [
        link
        for link in entries_for(community.slug)
        if not link.perm or may(request.user, link.perm, community)
    ]
