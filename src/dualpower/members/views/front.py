"""The node's front page: my communities, and those listed publicly."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from dualpower.community.selectors import communities_public
from dualpower.members import selectors


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Members go to their community's dashboard; everyone else sees the public front page."""
    memberships = list(selectors.memberships_active_of(user=request.user))
    if len(memberships) == 1:
        return redirect("community-dashboard", memberships[0].community.slug)
    return render(
        request, "community/home.html", {"communities": communities_public(), "memberships": memberships}
    )
