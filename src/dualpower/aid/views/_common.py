"""What the aid pages share: who is asking, finding a request they may see, the request form
page (members and phone intake), the private details' labels and the summary's charts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from dualpower.aid import selectors, services
from dualpower.aid.forms import IntakeForm, RequestForm
from dualpower.aid.models import AidRequest
from dualpower.community.models import Community
from dualpower.errors import DomainError
from dualpower.members.models import Membership
from dualpower.members.roles import membership_for
from dualpower.web import charts
from dualpower.web.actions import attach_error, render_form
from dualpower.web.permissions import check


def me_of(request: HttpRequest, community: Community) -> Membership:
    me = membership_for(request.user, community)
    assert me is not None  # every rule used here starts from being admitted
    return me


def get_request(
    request: HttpRequest, community: Community, code: str, perm: str = "aid.view_request"
) -> AidRequest:
    check(request, "aid.view_requests", community)
    found = selectors.request_for_viewer(community=community, code=code, user=request.user)
    check(request, perm, found)
    return found


def request_form_page(request: HttpRequest, community: Community, *, intake: bool) -> HttpResponse:
    form_class = IntakeForm if intake else RequestForm
    form = form_class(request.POST or None, categories=services.categories_for(community))
    if request.method == "POST" and form.is_valid():
        me = me_of(request, community)
        try:
            data = form.service_kwargs()
            if intake:
                made = services.request_intake(community=community, dispatcher=me, **data)
            else:
                made = services.request_create(community=community, requester=me, **data)
        except DomainError as exc:
            attach_error(form, exc)
        else:
            messages.success(
                request,
                _("Request %(code)s was recorded. Its code stands for the person in every listing.")
                % {"code": made.code},
            )
            target = "aid:request_dispatch" if intake else "aid:request_detail"
            return redirect(target, community.slug, made.code)
    return render_form(request, "aid/request_form.html", form, {"intake": intake})


DETAIL_LABELS = {
    "name": _("Name"),
    "contact": _("Contact details"),
    "address": _("Exact address"),
    "health": _("Health notes"),
    "immigration": _("Immigration notes"),
    "safety": _("Safety notes"),
}


def charts_for(data: dict[str, Any]) -> dict[str, Any]:
    return {
        "by_category": charts.bar_chart(
            data["by_category"],
            title=_("Open requests by category"),
            label_header=_("Category"),
            value_label=_("Open"),
        ),
        "by_urgency": charts.bar_chart(
            data["by_urgency"],
            title=_("Open requests by urgency"),
            label_header=_("Urgency"),
            value_label=_("Open"),
        ),
        "unmet": charts.line_chart(
            data["unmet_over_time"],
            title=_("Unmet needs over the last weeks"),
            label_header=_("Week"),
            value_label=_("Open requests"),
        ),
    }
