"""Pages: the public front, the dashboard of what needs me, the audit log, health."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dualpower.community import dashboard, services
from dualpower.community.forms import CommunityForm
from dualpower.community.models import Community
from dualpower.community.selectors import audit_entries
from dualpower.errors import DomainError
from dualpower.members.models import Membership
from dualpower.web.community import require_perm, with_community


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """Members go to their community's dashboard; everyone else sees the public front page."""
    if request.user.is_authenticated:
        memberships = list(
            Membership.objects.filter(user=request.user, status=Membership.Status.ACTIVE).select_related(
                "community"
            )
        )
        if len(memberships) == 1:
            return redirect("community-dashboard", memberships[0].community.slug)
    else:
        memberships = []
    communities = Community.objects.filter(is_public=True)
    return render(request, "community/home.html", {"communities": communities, "memberships": memberships})


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@require_GET
@with_community
def community_dashboard(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "community.view_dashboard", community)
    return render(
        request,
        "community/dashboard.html",
        {"panels": dashboard.rendered_panels(request=request, community=community)},
    )


@require_GET
@with_community
def community_about(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "community.view_community", community)
    return render(
        request,
        "community/about.html",
        {
            "can_change": request.user.has_perm("community.change_community", community),
            "admission_label": Community.Admission(community.admission).label,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def community_edit(request: HttpRequest, community: Community) -> HttpResponse:
    """Coordinators describe the community and set how applicants are admitted."""
    require_perm(request, "community.change_community", community)
    form = CommunityForm(request.POST or None, initial=CommunityForm.initial_for(community))
    if request.method == "POST" and form.is_valid():
        try:
            services.community_update(community=community, actor_user=request.user, **form.changes())
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.detail)
        else:
            messages.success(request, _("The community's settings were saved."))
            return redirect("community-about", community.slug)
    return render(request, "community/edit.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
@with_community
def audit_log(request: HttpRequest, community: Community) -> HttpResponse:
    require_perm(request, "community.view_audit", community)
    page = Paginator(audit_entries(community=community), 50).get_page(request.GET.get("page"))
    return render(request, "community/audit.html", {"page": page})
