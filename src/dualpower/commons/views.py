"""The commons' pages (parse → check → service → template) and a guide at its ActivityPub id.

c/<slug>/commons/                        search our guides and everything received
c/<slug>/commons/new/                    write a guide
c/<slug>/commons/<pk>/                   one of ours: its text, origin, adoption
c/<slug>/commons/<pk>/edit/              save the next version
c/<slug>/commons/<pk>/history/           every version, and the difference between two
c/<slug>/commons/received/<pk>/          another community's guide; copy it to ours
ap/c/<slug>/guides/<uuid>                the Document (JSON; a page for public ones)
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from dualpower.commons import objects, selectors, services
from dualpower.commons.forms import GuideForm, SearchForm
from dualpower.commons.models import COPYABLE, Guide, Licence, Visibility
from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.federation import inbox
from dualpower.federation import selectors as federation
from dualpower.federation.views._responses import json_errors, json_response, wants_html
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check

NOT_FOUND = {"detail": "not found", "code": "not_found"}


def _before(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


@require_GET
@with_community
def guide_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "commons.view", community)
    form = SearchForm(request.GET or None)
    search = selectors.Search()
    if form.is_valid():
        data = form.cleaned_data
        search = selectors.Search(query=data["q"].strip(), kind=data["kind"], language=data["language"])
    ours = selectors.guides_search(community=community, search=search, before=_before(request, "ours_before"))
    received = selectors.received_search(
        community=community, search=search, before=_before(request, "before")
    )
    filters = search.filters
    return render(
        request,
        "commons/list.html",
        {
            "form": form,
            "searching": bool(filters),
            "ours": ours,
            "received": received,
            "ours_more": urlencode({**filters, "ours_before": ours.next_before}) if ours.next_before else "",
            "received_more": urlencode({**filters, "before": received.next_before})
            if received.next_before
            else "",
            "may_write": request.user.has_perm("commons.write", community),
        },
    )


def _guide_text(data: dict[str, Any]) -> services.GuideText:
    return services.GuideText(
        title=data["title"],
        kind=data["kind"],
        body=data["body"],
        licence=data["licence"],
        language=data["language"],
        visibility=data["visibility"],
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def guide_new(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "commons.write", community)
    may_share = request.user.has_perm("commons.share", community)
    form = GuideForm(
        request.POST or None,
        may_share=may_share,
        initial={"language": request.LANGUAGE_CODE, "visibility": Visibility.MEMBERS},
    )
    me = membership_for(request.user, community)
    return form_action(
        request,
        form=form,
        run=lambda data: services.guide_create(
            community=community, by=me, text=_guide_text(data), note=data.get("note", "")
        ),
        success=lambda guide: reverse("commons:detail", args=[community.slug, guide.pk]),
        message=_("The guide is saved (version 1)."),
        template="commons/form.html",
        context={"guide": None},
    )


def _adopt_link(request: HttpRequest, community: Community, guide: Guide) -> str:
    """The proposal form with ``commons.adopt`` and this guide chosen, if this person may propose."""
    assembly = federation.deciding_assembly(community=community)
    if assembly is None or not request.user.has_perm("assemblies.propose", assembly):
        return ""
    query = urlencode(
        {"process": assembly.policy.default_process, "action": "commons.adopt", "a_guide": guide.pk}
    )
    return f"{reverse('assemblies:new', args=[community.slug, assembly.slug])}?{query}"


@require_GET
@with_community
def guide_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    guide = selectors.guide_get(community=community, pk=pk)
    check(request, "commons.view", guide)
    return render(
        request,
        "commons/detail.html",
        {
            "guide": guide,
            # Edit is offered only to who may open the edit page (a shared guide: coordinators).
            "may_write": request.user.has_perm("commons.write", guide)
            and (guide.visibility == Visibility.MEMBERS or request.user.has_perm("commons.share", community)),
            "adopt_link": _adopt_link(request, community, guide),
            "object_id": objects.guide_id(guide),
            "origin_licence": Licence(guide.origin_licence).label
            if guide.origin_licence in Licence.values
            else guide.origin_licence,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def guide_edit(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    guide = selectors.guide_get(community=community, pk=pk)
    check(request, "commons.write", guide)
    may_share = request.user.has_perm("commons.share", community)
    if guide.visibility != Visibility.MEMBERS and not may_share:
        # A member may not quietly change what the community shares: a coordinator edits it.
        check(request, "commons.share", community)
    initial = {name: getattr(guide, name) for name in ("title", "kind", "body", "licence", "language")}
    form = GuideForm(
        request.POST or None, may_share=may_share, initial={**initial, "visibility": guide.visibility}
    )
    me = membership_for(request.user, community)
    return form_action(
        request,
        form=form,
        run=lambda data: services.guide_edit(
            guide=guide, by=me, text=_guide_text(data), note=data.get("note", "")
        ),
        success=lambda saved: reverse("commons:detail", args=[community.slug, saved.pk]),
        message=lambda saved: _("Saved as version %(n)s.") % {"n": saved.version},
        template="commons/form.html",
        context={"guide": guide},
    )


@require_GET
@with_community
def guide_history(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    guide = selectors.guide_get(community=community, pk=pk)
    check(request, "commons.view", guide)
    versions = selectors.versions_of(guide=guide)
    compared = None
    newest = versions[0].number if versions else 1
    older_n = request.GET.get("from", str(max(newest - 1, 1)))
    newer_n = request.GET.get("to", str(newest))
    if len(versions) > 1:
        older = selectors.version_get(guide=guide, number=older_n)
        newer = selectors.version_get(guide=guide, number=newer_n)
        compared = {"older": older, "newer": newer, "lines": selectors.diff(older, newer)}
    return render(
        request,
        "commons/history.html",
        {"guide": guide, "versions": versions, "compared": compared},
    )


@require_GET
@with_community
def received_detail(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    received = selectors.received_get(community=community, pk=pk)
    check(request, "commons.view", received)
    return render(
        request,
        "commons/received.html",
        {
            "received": received,
            "copies": selectors.copies_of(community=community, uri=received.uri),
            "may_copy": request.user.has_perm("commons.copy", received),
            "copyable": received.licence in COPYABLE,
        },
    )


@require_POST
@with_community
def received_copy(request: HttpRequest, community: Community, pk: int) -> HttpResponse:
    received = selectors.received_get(community=community, pk=pk)
    check(request, "commons.copy", received)
    me = membership_for(request.user, community)
    return post_action(
        request,
        run=lambda: services.guide_copy(received=received, by=me),
        back=reverse("commons:received", args=[community.slug, received.pk]),
        success=lambda guide: reverse("commons:detail", args=[community.slug, guide.pk]),
        message=_("Copied into this community's commons as a draft: adapt it, then propose adopting it."),
    )


# --- the guide at its ActivityPub id ---------------------------------------------------------


def _reader_may_see(request: HttpRequest, guide: Guide) -> bool:
    """Public: anyone. Peers: a request signed by an active peer (or its server), checked the way
    the inbox checks signatures. Anything else (members only, never published): nobody."""
    if guide.published_audience == Visibility.PUBLIC:
        return True
    if guide.published_audience != Visibility.PEERS:
        return False
    headers = {name.lower(): value for name, value in request.headers.items()}
    reader = inbox.signer_verified(method="GET", path=request.get_full_path(), headers=headers, body=b"")
    if isinstance(reader, inbox.Received):
        return False
    return federation.may_read_peers_only(community=guide.community, reader=reader)


@require_GET
@vary_on_headers("Accept", "Signature")
@json_errors
def guide_object(request: HttpRequest, slug: str, guide_uuid: UUID) -> HttpResponse:
    community = community_get(slug=slug)
    guide = selectors.guide_by_uuid(community=community, uuid=guide_uuid)
    # The same 404 whether it does not exist or is not for this reader: nothing says it is there.
    if guide is None or not _reader_may_see(request, guide):
        return json_response(NOT_FOUND, content_type="application/json", status=404)
    if wants_html(request):
        if guide.published_audience == Visibility.PUBLIC:
            return render(request, "commons/public.html", {"guide": guide, "community": community})
        return redirect(reverse("commons:detail", args=[community.slug, guide.pk]))
    document = {
        "@context": objects.GUIDE_CONTEXT,
        **objects.guide_object(guide, audience=guide.published_audience),
    }
    response = json_response(document)
    if guide.published_audience != Visibility.PUBLIC:
        response["Cache-Control"] = "private, no-store"
        del response["Access-Control-Allow-Origin"]
    return response
