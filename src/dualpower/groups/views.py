"""Pages for working groups."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dualpower.node.models import Community
from dualpower.web.community import require_perm, with_community


@with_community
def group_list(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "groups.list_groups", community)
    return render(request, "groups/list.html", {})
