"""Pages: the public front, the dashboard of what needs me, the audit log, health."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from dualpower.members.models import Membership
from dualpower.node import dashboard
from dualpower.node.models import Community
from dualpower.node.selectors import audit_entries
from dualpower.web.community import require_perm, with_community


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Members go to their community's dashboard; everyone else sees the public front page."""
    if request.user.is_authenticated:
        memberships = list(
            Membership.objects.filter(user=request.user, status=Membership.Status.ACTIVE).select_related("community")
        )
        if len(memberships) == 1:
            return redirect("community-dashboard", memberships[0].community.slug)
    else:
        memberships = []
    communities = Community.objects.filter(is_public=True)
    return render(request, "node/home.html", {"communities": communities, "memberships": memberships})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
@with_community
def community_dashboard(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "node.view_dashboard", community)
    return render(
        request,
        "node/dashboard.html",
        {"panels": dashboard.panels_for(request=request, community=community)},
    )


@require_GET
@with_community
def community_about(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "node.view_community", community)
    return render(request, "node/about.html", {})


@require_GET
@with_community
def audit_log(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "node.view_audit", community)
    page = Paginator(audit_entries(community=community), 50).get_page(request.GET.get("page"))
    return render(request, "node/audit.html", {"page": page})
