"""My notifications: the list, and marking them read."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.members.roles import signed_in
from dualpower.notifications import selectors, services
from dualpower.web.pages import kept_query, page_of


@require_http_methods(["GET", "HEAD"])
@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    user = signed_in(request)
    page = page_of(
        lambda limit, offset: selectors.notifications_page(
            user=user, unread_only=unread_only, limit=limit, offset=offset
        ),
        raw=request.GET.get("page"),
    )
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "pager_query": kept_query(request.GET),  # ?unread=1 kept on the other pages
            "unread_only": unread_only,
            "unread": selectors.unread_count(user=user),
        },
    )


@require_POST
@login_required
def notification_read(request: HttpRequest) -> HttpResponse:
    ids = [int(x) for x in request.POST.getlist("id") if x.isdigit()] or None
    services.notification_mark_read(user=signed_in(request), ids=ids)
    return redirect("notifications:list")
