"""The actors' documents at their ids, and their collections.

Content negotiation on an actor's URL: a server asking for ``application/activity+json`` (or
``application/ld+json`` with the ActivityStreams profile, or plain JSON) gets the actor; a browser
asking for HTML is sent to the community's page, so an actor's id pasted in an address bar
leads somewhere readable.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from dualpower.community.models import Community
from dualpower.community.selectors import community_get
from dualpower.federation import actors
from dualpower.federation.views._responses import json_errors, json_response, wants_html
from dualpower.web.permissions import check


def _community(request: HttpRequest, slug: str) -> Community:
    community = community_get(slug=slug)
    check(request, "federation.view_actor", community)
    return community


@require_GET
@vary_on_headers("Accept")
@json_errors
def community_actor(request: HttpRequest, slug: str) -> HttpResponse:
    community = _community(request, slug)
    if wants_html(request):
        return redirect(actors.community_page_url(community))
    return json_response(actors.group_actor(community))


@require_GET
@vary_on_headers("Accept")
@json_errors
def instance_actor(request: HttpRequest) -> HttpResponse:
    check(request, "federation.view_actor")
    if wants_html(request):
        return redirect("home")
    return json_response(actors.instance_actor())


@require_GET
@json_errors
def followers(request: HttpRequest, slug: str) -> HttpResponse:
    return json_response(actors.followers_collection(_community(request, slug)))


@require_GET
@json_errors
def following(request: HttpRequest, slug: str) -> HttpResponse:
    return json_response(actors.following_collection(_community(request, slug)))


@require_GET
@json_errors
def outbox(request: HttpRequest, slug: str) -> HttpResponse:
    return json_response(actors.outbox_collection(_community(request, slug)))


@require_GET
@json_errors
def instance_outbox(request: HttpRequest) -> HttpResponse:
    check(request, "federation.view_actor")
    return json_response(actors.outbox_collection(None))
