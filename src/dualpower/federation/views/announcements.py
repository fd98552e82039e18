"""Public announcements and events: the coordinators' page, and the objects at their ids.

/c/<slug>/network/announcements/            write one (coordinators); the newest, with replies counted
/c/<slug>/network/announcements/<uuid>/delete/
/ap/c/<slug>/notes/<uuid>                   the Note: JSON for servers, a page for people (with the
                                            replies from the fediverse, as plain text)
/ap/c/<slug>/events/<uuid>                  a public Event (federation/events.py): JSON; a browser
                                            is sent to the event's page
"""

from __future__ import annotations

from uuid import UUID

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from dualpower.community.decorators import with_community
from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.federation import activities, announcements, events
from dualpower.federation.models import ANNOUNCEMENT_MAX
from dualpower.federation.views._responses import json_errors, json_response, wants_html
from dualpower.members.roles import membership_for
from dualpower.web.actions import form_action, post_action
from dualpower.web.permissions import check


class AnnouncementForm(forms.Form):
    content = forms.CharField(
        label=gettext_lazy("Announcement"),
        help_text=gettext_lazy(
            "Public: anyone on the fediverse following this community sees it, and can reply."
        ),
        max_length=ANNOUNCEMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
    )


def _page(community: Community) -> str:
    return reverse("federation:announcements", args=[community.slug])


@require_http_methods(["GET", "HEAD", "POST"])
@with_community
def announcement_list(request: HttpRequest, community: Community) -> HttpResponse:
    check(request, "federation.view_network", community)
    may_announce = request.user.has_perm("federation.announce", community)
    context = {
        "listed": announcements.announcements_of(community=community),
        "may_announce": may_announce,
    }
    if request.method == "POST":
        check(request, "federation.announce", community)
    return form_action(
        request,
        form=AnnouncementForm(request.POST or None),
        run=lambda data: announcements.announcement_publish(
            community=community, by=membership_for(request.user, community), content=data["content"]
        ),
        success=_page(community),
        message=_("Published: the community's followers on the fediverse receive it."),
        template="federation/announcements.html",
        context=context,
    )


@require_POST
@with_community
def announcement_delete(request: HttpRequest, community: Community, uuid: UUID) -> HttpResponse:
    check(request, "federation.announce", community)
    announcement = announcements.announcement_get(community=community, uuid=uuid)
    return post_action(
        request,
        run=lambda: announcements.announcement_delete(
            announcement=announcement, by=membership_for(request.user, community)
        ),
        back=_page(community),
        message=_("Deleted: the servers that received it are asked to delete it too."),
    )


@require_GET
@vary_on_headers("Accept")
@json_errors
def note(request: HttpRequest, slug: str, note_uuid: UUID) -> HttpResponse:
    community = community_get(slug=slug)
    check(request, "federation.view_announcement", community)
    announcement = announcements.announcement_get(community=community, uuid=note_uuid, deleted=True)
    gone = announcement.deleted_at is not None
    if wants_html(request):
        context = {
            "announcement": announcement,
            "community": community,
            "replies": [] if gone else announcements.replies_to(announcement=announcement),
            "gone": gone,
        }
        return render(request, "federation/announcement.html", context, status=410 if gone else 200)
    if gone:
        return json_response(
            {"@context": activities.AS_CONTEXT, **announcements.tombstone(announcement)},
            status=410,
        )
    return json_response({"@context": activities.CONTEXT, **announcements.note_object(announcement)})


@require_GET
@vary_on_headers("Accept")
@json_errors
def event(request: HttpRequest, slug: str, event_uuid: UUID) -> HttpResponse:
    community = community_get(slug=slug)
    check(request, "federation.view_announcement", community)
    found = events.event_get(community=community, uuid=event_uuid)
    if found is None:
        return json_response(
            {"detail": "not found", "code": "not_found"}, content_type="application/json", status=404
        )
    if found.deleted_at is not None:
        return json_response({"@context": events.EVENT_CONTEXT, **events.tombstone(found)}, status=410)
    if wants_html(request) and found.data.get("url"):
        return redirect(str(found.data["url"]))
    return json_response(found.data)
