"""A community's own pages: the dashboard of what needs me, its description and settings, the audit log."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from dualpower.community import dashboard, hooks, services
from dualpower.community.decorators import with_community
from dualpower.community.forms import CommunityForm
from dualpower.community.models import Community
from dualpower.community.selectors import audit_entries
from dualpower.web.actions import form_action
from dualpower.web.permissions import check


@require_GET
@with_community
def community_dashboard(request: HttpRequest, community: Community) -> HttpResponse:
    if request.user.is_authenticated and not request.user.has_perm("community.view_dashboard", community):
        # An applicant waiting for a decision sees their application, not a refusal.
        elsewhere = hooks.visitor_page(request.user, community)
        if elsewhere:
            return redirect(elsewhere)
    check(request, "community.view_dashboard", community)
    return render(
        request,
        "community/dashboard.html",
        {"panels": dashboard.rendered_panels(request=request, community=community)},
    )


@require_GET
@with_community
def community_about(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "community.view_community", community)
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
    check(request, "community.change_community", community)
    form = CommunityForm(request.POST or None, initial=CommunityForm.initial_for(community))
    return form_action(
        request,
        form=form,
        run=lambda _data: services.community_update(
            community=community, actor_user=request.user, **form.changes()
        ),
        success=reverse("community-about", args=[community.slug]),
        message=_("The community's settings were saved."),
        template="community/edit.html",
    )


@require_GET
@with_community
def audit_log(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "community.view_audit", community)
    page = Paginator(audit_entries(community=community), 50).get_page(request.GET.get("page"))
    return render(request, "community/audit.html", {"page": page})
