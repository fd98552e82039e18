"""The ban list against spam reports (coordinators): ban a member, a caller's number (kept only as a
keyed hash) or whoever brought in a report, by its code; lift a ban."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.defence.forms.response import BanForm
from dualpower.defence.selectors import response as selectors
from dualpower.defence.services import response_bans as bans
from dualpower.errors import NotFound
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, post_action
from dualpower.web.pages import page_of
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def ban_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "defence.ban_reporters", community)
    me = membership_for(request.user, community)
    assert me is not None  # coordinators are members
    form = BanForm(request.POST or None, members=selectors.reporters_held(community=community))
    bans_shown = page_of(
        lambda limit, offset: selectors.bans_page(community=community, limit=limit, offset=offset),
        raw=request.GET.get("page"),
    )
    return form_action(
        request,
        form=form,
        run=lambda data: bans.reporter_ban(
            community=community,
            by=me,
            membership=form.member_chosen(),
            number=data.get("number") or "",
            incident_code=data.get("code") or "",
        ),
        success=reverse("defence:bans", args=[community.slug]),
        message=_("Banned: their reports are refused from now on."),
        template="defence/response/bans.html",
        context={
            "bans": bans_shown.rows,
            "page": bans_shown,
            "member_limit": bans.MEMBER_PER_HOUR,
            "caller_limit": bans.CALLER_PER_HOUR,
        },
    )


@require_POST
@with_community
def ban_remove(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    check(request, "defence.ban_reporters", community)
    me = membership_for(request.user, community)
    assert me is not None
    ban = selectors.ban_get(community=community, pk=pk)
    if ban is None:
        raise NotFound(_("No such ban."))
    return post_action(
        request,
        run=lambda: bans.reporter_unban(ban=ban, by=me),
        back=reverse("defence:bans", args=[community.slug]),
        message=_("The ban is lifted."),
    )
