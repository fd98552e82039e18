"""Template tags for other apps' pages: where someone stands with their application."""

from __future__ import annotations

from typing import Any

from django import template

from dualpower.members.selectors import application_of

register = template.Library()


@register.inclusion_tag("members/partials/_application_status.html", takes_context=True)
def application_status(context: dict[str, Any]) -> dict[str, Any]:
    """On a community's public page: "apply", "being reviewed" or "declined", for a visitor not admitted."""
    request = context.get("request")
    community = context.get("community")
    user = getattr(request, "user", None)
    return {
        "community": community,
        "application": application_of(user=user, community=community) if community is not None else None,
        "show_link": True,
    }
