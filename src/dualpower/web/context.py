"""Template context every page gets: the community being shown and the visitor's place in it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from dualpower.members.roles import membership_for


def community(request: HttpRequest) -> dict[str, Any]:
    current = getattr(request, "community", None)
    return {
        "community": current,
        "my_membership": membership_for(request.user, current) if current is not None else None,
    }
