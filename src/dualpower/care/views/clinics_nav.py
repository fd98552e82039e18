"""What the clinics' pages share: the little menu between clinic days, supplies, the directory,
the warm line and (for who sends crisis pairs) crisis response."""

from __future__ import annotations

from django.http import HttpRequest

from dualpower.community.models import Community


def nav(request: HttpRequest, community: Community) -> dict[str, bool]:
    return {"crisis_link": request.user.has_perm("care.view_crisis", community)}
