"""Pages about people. Placeholder views; see the members issue work."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from dualpower.node.models import Community
from dualpower.web.community import require_perm, with_community


@with_community
def member_list(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "members.list_members", community)
    return render(request, "members/list.html", {})


@with_community
def apply(request: HttpRequest, community: Community) -> HttpResponse:
    return render(request, "members/apply.html", {})


@login_required
def my_profile(request: HttpRequest) -> HttpResponse:
    return render(request, "members/me.html", {})
