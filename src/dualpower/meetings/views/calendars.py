"""Calendar feeds: the page with my addresses, a new secret, and the .ics feed itself."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from dualpower.assemblies import selectors as assembly_selectors
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.errors import NotFound
from dualpower.meetings import ical, selectors, services
from dualpower.meetings.models import FeedToken
from dualpower.meetings.views._common import _me
from dualpower.members.models import Membership
from dualpower.web.permissions import check


@require_http_methods(["GET", "HEAD"])
@with_community
def calendar_page(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "meetings.view_feeds", community)
    me = _me(request, community)
    assert me is not None
    base = request.build_absolute_uri("/").rstrip("/")
    mine = services.feed_token_for_member(membership=me)
    rows = []
    for assembly in assembly_selectors.assemblies_for(community=community):
        if assembly.is_archived:
            continue
        token = services.feed_token_for_assembly(assembly=assembly)
        rows.append(
            {
                "assembly": assembly,
                "url": base + _feed_path(community, token),
                "can_rotate": request.user.has_perm("meetings.rotate_assembly_feed", assembly),
            }
        )
    return render(
        request, "meetings/calendar.html", {"mine": base + _feed_path(community, mine), "rows": rows}
    )


def _feed_path(community: Community, token: FeedToken) -> str:
    from django.urls import reverse

    return reverse(
        "meetings:feed", kwargs={"community": community.slug, "kind": token.kind, "token": token.token}
    )


@require_POST
@with_community
def calendar_rotate(request: HttpRequest, community: Community) -> HttpResponse:
    """A new secret address: for my feed, or (coordinators) for an assembly's."""
    check(request, "meetings.view_feeds", community)
    me = _me(request, community)
    slug = request.POST.get("assembly", "")
    if slug:
        assembly = assembly_selectors.assembly_get(community=community, slug=slug)
        check(request, "meetings.rotate_assembly_feed", assembly)
        token = services.feed_token_for_assembly(assembly=assembly)
    else:
        assert me is not None
        token = services.feed_token_for_member(membership=me)
    services.feed_token_rotate(token=token, by=me)
    messages.success(request, _("The calendar address was changed; the old one no longer works."))
    return redirect("meetings:calendar", community.slug)


@require_http_methods(["GET", "HEAD"])
def feed(request: HttpRequest, community: str, kind: str, token: str) -> HttpResponse:
    """The .ics feed. No sign-in (calendar apps cannot): the secret in the address is the key."""
    try:
        found = selectors.feed_token_get(kind=kind, token=token)
    except NotFound:
        raise Http404 from None
    owner_community = found.community
    if owner_community.slug != community:
        raise Http404
    if found.membership is not None and found.membership.status != Membership.Status.ACTIVE:
        raise Http404  # someone who left no longer follows the community's meetings
    if found.assembly is not None:
        name = f"{owner_community.name}: {found.assembly.name}"
    else:
        name = _("%(community)s: my meetings") % {"community": owner_community.name}
    body = ical.feed(
        name=name,
        meetings=selectors.meetings_for_feed(token=found),
        host=request.get_host().split(":")[0],
        base_url=request.build_absolute_uri("/").rstrip("/"),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    # The address is a secret: keep it out of other sites' logs.
    response["Referrer-Policy"] = "no-referrer"
    return response
